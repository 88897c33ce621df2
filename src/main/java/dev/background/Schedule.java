package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Schedule says when a recurring task fires: {@link #every(Duration) every} (a fixed delay after
 * each run ends), {@link #fixedRate(Duration) fixedRate} (slots a fixed period apart, whatever the
 * runs last) or {@link #cron(String) cron} (wall-clock slots in a time zone), with the policies for
 * overlapping runs ({@link Overlap}) and missed fires ({@link Misfire}). An immutable value: each
 * modifier returns a new schedule; {@link #toJson()} and {@link #fromJson(JsonObject)} give its
 * configuration form. Everything here is pure computation on instants: no clock is read.
 *
 * <h2>Slots</h2>
 * <ul>
 *   <li>{@code every(interval)}: the next fire is {@code interval} after a run ends, so
 *       {@code nextFireAfter(end) = end + interval}. The first fire is at once, or at
 *       {@link #startingAt(Instant) startAt} ({@link #firstFireAt(Instant)}).</li>
 *   <li>{@code fixedRate(period)}: the slots are {@code anchor + k * period} for every whole
 *       {@code k}, where the anchor is {@link #startingAt(Instant) startAt} when set, else the
 *       Unix epoch (1970-01-01T00:00:00Z). The slots are therefore a function of the schedule
 *       alone: every node of a cluster, every restart and every failover computes the same ones,
 *       and {@code fixedRate(5m)} fires at :00, :05, :10... UTC. To start a fixed rate at a given
 *       instant (Spring's "now, then every period"), set {@code startingAt(thatInstant)}.</li>
 *   <li>{@code cron(expression)}: the local date-times that match the expression in the
 *       schedule's {@link #inZone(ZoneId) zone} (the system zone unless set). Each matching local
 *       date-time fires once: one in a spring-forward gap fires at the first valid instant after
 *       the gap (all the gap's slots together fire once there), one in a repeated fall-back hour
 *       fires at its first occurrence only. A schedule that must keep firing through the repeated
 *       hour by elapsed time is a {@code fixedRate} (or a cron in {@code UTC}).</li>
 * </ul>
 * {@code every} and {@code fixedRate} count in instants, so time zones and daylight-saving time
 * never change them. {@code startAt} and {@code until} are inclusive: no slot is before the
 * first or after the second.
 *
 * <h2>Fires</h2>
 * A fire is delayed by a uniform random amount in {@code [0, jitter]} after its slot
 * ({@link #jittered(Instant, double)}). {@link #dueSlots(Instant, Instant)} tells what to run
 * when the schedule wakes up late (after a pause, a stalled JVM or a failover), per the
 * {@link Misfire} policy and the {@linkplain #withStartingDeadline(Duration) starting deadline}.
 */
public final class Schedule {

  /** The smallest {@code every} interval and {@code fixedRate} period: 1 ms. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(1);

  /** The overlap policy by default: {@link Overlap#SKIP}. */
  public static final Overlap DEFAULT_OVERLAP = Overlap.SKIP;

  /** The misfire policy by default: {@link Misfire#RUN_ONCE}. */
  public static final Misfire DEFAULT_MISFIRE = Misfire.RUN_ONCE;

  /**
   * How late (after its slot and the jitter) a fire still counts as on time under
   * {@link Misfire#SKIP} when no starting deadline is set: 1 s. A timer that fires a little late
   * still runs its slot; a slot that fell in a pause, a stall or a failover does not. Set a
   * {@linkplain #withStartingDeadline(Duration) starting deadline} for a wider margin (Quartz's
   * misfire threshold is 60 s).
   */
  public static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofSeconds(1);

  /** At most this many missed slots run under {@link Misfire#CATCH_UP}: 100. */
  public static final int MAX_CATCH_UP = 100;

  /**
   * {@link #dueSlots} counts at most this many missed slots of a cron schedule one by one (each
   * costs a cron evaluation); past it the count is a lower bound.
   */
  static final int CRON_COUNT_LIMIT = 1000;

  static final List<String> KIND_KEYS = List.of("every", "fixedRate", "cron");
  static final List<String> KEYS = List.of("every", "fixedRate", "cron", "zone", "jitter",
      "overlap", "misfire", "startingDeadline", "startAt", "until", "retry");

  /** How a schedule places its slots, with the JSON key of each kind. */
  public enum Kind {
    /** A fixed delay after each run ends: {@link Schedule#every(Duration)}. */
    EVERY("every"),
    /** Slots a fixed period apart: {@link Schedule#fixedRate(Duration)}. */
    FIXED_RATE("fixedRate"),
    /** Wall-clock slots of a cron expression: {@link Schedule#cron(String)}. */
    CRON("cron");

    private final String key;

    Kind(String key) {
      this.key = key;
    }

    /**
     * The JSON key of this kind: {@code "every"}, {@code "fixedRate"} or {@code "cron"}.
     *
     * @return the key
     */
    public String key() {
      return key;
    }
  }

  /**
   * What {@link Schedule#dueSlots(Instant, Instant)} found between the last handled slot and now.
   *
   * @param run the slots to run now, oldest first: none, one, or (with {@link Misfire#CATCH_UP})
   *     up to {@link Schedule#MAX_CATCH_UP}
   * @param missed how many slots came due and will not run
   * @param missedIsLowerBound whether {@code missed} is only a lower bound: a cron schedule asleep
   *     for more than a thousand of its slots is not counted slot by slot
   * @param lastMissed the latest missed slot, if any
   * @param latestSlot the latest slot that came due, run or missed: the caller records it as
   *     handled (the "last fired slot"), so that no slot up to it is considered again
   */
  public record Due(List<Instant> run, long missed, boolean missedIsLowerBound,
      Optional<Instant> lastMissed, Optional<Instant> latestSlot) {

    static final Due NOTHING = new Due(List.of(), 0, false, Optional.empty(),
        Optional.empty());

    /** Checks the components and copies the list. */
    public Due {
      run = List.copyOf(run);
      Objects.requireNonNull(lastMissed, "lastMissed");
      Objects.requireNonNull(latestSlot, "latestSlot");
      if (missed < 0) {
        throw new IllegalArgumentException("missed: must be >= 0, was " + missed);
      }
    }

    /**
     * Whether no slot came due.
     *
     * @return {@code true} when there is nothing to run and nothing was missed
     */
    public boolean isEmpty() {
      return run.isEmpty() && missed == 0;
    }
  }

  private final Kind kind;
  /** The interval of every, the period of fixedRate; null for cron. */
  final Duration interval;
  /** The normalized expression of cron; null otherwise. */
  private final String expression;
  /** The zone of cron; null otherwise. */
  private final ZoneId zone;
  /** The parsed expression of cron (derived from expression); null otherwise. */
  private final CronSlots cron;
  final Duration jitter;
  private final Overlap overlap;
  final Misfire misfire;
  final Duration startingDeadline;
  final Instant startingAt;
  final Instant until;
  private final Backoff retry;
  /** What {@link #dueSlots} works with, made at its first call (an engine calls it at every fire). */
  private DueSlots dueSlots;

  private Schedule(Draft d) {
    this.kind = d.kind;
    this.interval = d.interval;
    this.expression = d.expression;
    this.zone = d.zone;
    this.cron = d.cron;
    this.jitter = d.jitter;
    this.overlap = d.overlap;
    this.misfire = d.misfire;
    this.startingDeadline = d.startingDeadline;
    this.startingAt = d.startingAt;
    this.until = d.until;
    this.retry = d.retry;
  }

  /** The mutable copy a modifier changes before building the new schedule. */
  private static final class Draft {
    private Kind kind;
    private Duration interval;
    private String expression;
    private ZoneId zone;
    private CronSlots cron;
    private Duration jitter = Duration.ZERO;
    private Overlap overlap = DEFAULT_OVERLAP;
    private Misfire misfire = DEFAULT_MISFIRE;
    private Duration startingDeadline;
    private Instant startingAt;
    private Instant until;
    private Backoff retry;
  }

  private Draft draft() {
    Draft d = new Draft();
    d.kind = kind;
    d.interval = interval;
    d.expression = expression;
    d.zone = zone;
    d.cron = cron;
    d.jitter = jitter;
    d.overlap = overlap;
    d.misfire = misfire;
    d.startingDeadline = startingDeadline;
    d.startingAt = startingAt;
    d.until = until;
    d.retry = retry;
    return d;
  }

  // ------------------------------------------------------------------------------ factories

  /**
   * A fixed delay: each fire is {@code interval} after the previous run ends (Spring
   * {@code fixedDelay}); the first fire is at once, or at {@link #startingAt(Instant) startAt}.
   *
   * @param interval at least {@link #MIN_INTERVAL} (1 ms)
   * @return the schedule
   * @throws ConfigException at {@code every} when {@code interval} is null or shorter than 1 ms
   */
  public static Schedule every(Duration interval) {
    Draft d = new Draft();
    d.kind = Kind.EVERY;
    d.interval = checkInterval("every", interval);
    return new Schedule(d);
  }

  /**
   * A fixed rate: slots {@code period} apart whatever the runs last, anchored at
   * {@link #startingAt(Instant) startAt} or else at the Unix epoch (see the class comment).
   *
   * @param period at least {@link #MIN_INTERVAL} (1 ms)
   * @return the schedule
   * @throws ConfigException at {@code fixedRate} when {@code period} is null or shorter than 1 ms
   */
  public static Schedule fixedRate(Duration period) {
    Draft d = new Draft();
    d.kind = Kind.FIXED_RATE;
    d.interval = checkInterval("fixedRate", period);
    return new Schedule(d);
  }

  /**
   * A cron schedule in the system time zone (change it with {@link #inZone(ZoneId)}), parsed by
   * cron-utils: 5 fields with minute precision as in a Unix crontab
   * ({@code minute hour day-of-month month day-of-week}; a day matches when its day-of-month or
   * its day-of-week does, as in Vixie cron), 6 fields with seconds first as in Spring
   * ({@code second minute hour day-of-month month day-of-week}, with {@code ?}, {@code L},
   * {@code W} and {@code #}), or a macro: {@code @yearly} ({@code @annually}), {@code @monthly},
   * {@code @weekly}, {@code @daily} ({@code @midnight}), {@code @hourly}. Blanks around and
   * between the fields do not matter; {@link #expression()} keeps single spaces.
   *
   * @param expression the cron expression
   * @return the schedule
   * @throws ConfigException (an {@link IllegalArgumentException}) at {@code cron}, naming the
   *     field and its value: {@code cron: field 2 (hour): value 25 not in range [0, 23], was "25"
   *     in "0 25 * * *"}; also for an expression that never fires ({@code 0 0 30 2 *})
   */
  public static Schedule cron(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new ConfigException("cron", "must be a cron expression such as \"0 3 * * *\", was "
          + JsonConfig.describe(expression));
    }
    String normalized = CronSlots.normalize(expression);
    Draft d = new Draft();
    d.kind = Kind.CRON;
    d.expression = normalized;
    d.cron = CronSlots.parse(normalized);
    d.zone = ZoneId.systemDefault();
    return new Schedule(d);
  }

  private static Duration checkInterval(String key, Duration d) {
    if (d == null || d.compareTo(MIN_INTERVAL) < 0) {
      throw new ConfigException(key, "must be >= " + Durations.format(MIN_INTERVAL) + ", was "
          + JsonConfig.describe(d));
    }
    return d;
  }

  // ------------------------------------------------------------------------------ modifiers

  /**
   * This cron schedule in {@code zone}: its expression is read on that zone's wall clock.
   *
   * @param zone the time zone, such as {@code ZoneId.of("Europe/Paris")}
   * @return a new schedule
   * @throws ConfigException at {@code zone} when {@code zone} is null or this schedule is not a
   *     cron schedule ({@code every} and {@code fixedRate} count in instants)
   */
  public Schedule inZone(ZoneId zone) {
    if (zone == null) {
      throw new ConfigException("zone", "must be a time-zone ID such as \"Europe/Paris\", was null");
    }
    if (kind != Kind.CRON) {
      throw new ConfigException("zone", "applies to cron schedules only (" + kind.key()
          + " counts in instants, whatever the zone), was " + JsonConfig.describe(zone.getId()));
    }
    Draft d = draft();
    d.zone = zone;
    return new Schedule(d);
  }

  /**
   * Delays each fire by a uniform random amount in {@code [0, max]} after its slot, so that many
   * schedules with the same slots do not all fire at once. {@code Duration.ZERO} (the default)
   * means no jitter.
   *
   * @param max &gt;= 0; for a fixed rate, shorter than the period
   * @return a new schedule
   * @throws ConfigException at {@code jitter} when {@code max} is null, negative, or not shorter
   *     than a fixed rate's period
   */
  public Schedule withJitter(Duration max) {
    if (max == null || max.isNegative()) {
      throw new ConfigException("jitter", "must be >= 0, was " + JsonConfig.describe(max));
    }
    if (kind == Kind.FIXED_RATE && max.compareTo(interval) >= 0) {
      throw new ConfigException("jitter", "must be shorter than the fixedRate period ("
          + Durations.format(interval) + "), was " + JsonConfig.describe(max));
    }
    Draft d = draft();
    d.jitter = max;
    return new Schedule(d);
  }

  /**
   * What to do when a fire comes due while the previous run still runs; {@link Overlap#SKIP} by
   * default.
   *
   * @param overlap the policy
   * @return a new schedule
   * @throws ConfigException at {@code overlap} when {@code overlap} is null
   */
  public Schedule withOverlap(Overlap overlap) {
    if (overlap == null) {
      throw new ConfigException("overlap", "must be one of skip, queue, replace, was null");
    }
    Draft d = draft();
    d.overlap = overlap;
    return new Schedule(d);
  }

  /**
   * What to do with fires missed while paused, stalled or failing over;
   * {@link Misfire#RUN_ONCE} by default.
   *
   * @param misfire the policy
   * @return a new schedule
   * @throws ConfigException at {@code misfire} when {@code misfire} is null
   */
  public Schedule withMisfire(Misfire misfire) {
    if (misfire == null) {
      throw new ConfigException("misfire", "must be one of run-once, skip, catch-up, was null");
    }
    Draft d = draft();
    d.misfire = misfire;
    return new Schedule(d);
  }

  /**
   * How late a fire may start: a fire that would start more than {@code deadline} after its
   * slot (plus the jitter) is missed, not run, whatever the misfire policy (Kubernetes
   * {@code startingDeadlineSeconds}). Unset by default: no deadline.
   *
   * @param deadline &gt; 0
   * @return a new schedule
   * @throws ConfigException at {@code startingDeadline} when {@code deadline} is null or not
   *     positive
   */
  public Schedule withStartingDeadline(Duration deadline) {
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new ConfigException("startingDeadline", "must be > 0, was "
          + JsonConfig.describe(deadline));
    }
    Draft d = draft();
    d.startingDeadline = deadline;
    return new Schedule(d);
  }

  /**
   * No slot before {@code start} (inclusive: a slot at {@code start} fires). For a fixed rate it
   * is also the anchor of the slots; for {@code every}, the first fire.
   *
   * @param start the first instant a fire may have
   * @return a new schedule
   * @throws ConfigException at {@code startAt} when {@code start} is null or after
   *     {@link #until()}
   */
  public Schedule startingAt(Instant start) {
    if (start == null) {
      throw new ConfigException("startAt", "must be an instant, was null");
    }
    if (until != null && start.isAfter(until)) {
      throw new ConfigException("startAt", "must not be after until (" + until + "), was "
          + start);
    }
    Draft d = draft();
    d.startingAt = start;
    return new Schedule(d);
  }

  /**
   * No slot after {@code end} (inclusive: a slot at {@code end} fires); the schedule ends when
   * its next slot would be later.
   *
   * @param end the last instant a fire may have
   * @return a new schedule
   * @throws ConfigException at {@code until} when {@code end} is null or before
   *     {@link #startingAt()}
   */
  public Schedule until(Instant end) {
    if (end == null) {
      throw new ConfigException("until", "must be an instant, was null");
    }
    if (startingAt != null && end.isBefore(startingAt)) {
      throw new ConfigException("until", "must not be before startAt (" + startingAt + "), was "
          + end);
    }
    Draft d = draft();
    d.until = end;
    return new Schedule(d);
  }

  /**
   * Retries a failed fire after the delays of {@code backoff} until it succeeds, its
   * {@link Backoff#maxAttempts()} run out, or the next slot comes due. Unset by default: a failed
   * fire waits for the next slot.
   *
   * @param backoff the retry policy
   * @return a new schedule
   * @throws ConfigException at {@code retry} when {@code backoff} is null
   */
  public Schedule withRetry(Backoff backoff) {
    if (backoff == null) {
      throw new ConfigException("retry", "must be a backoff, was null");
    }
    Draft d = draft();
    d.retry = backoff;
    return new Schedule(d);
  }

  // ------------------------------------------------------------------------------ accessors

  /**
   * How this schedule places its slots.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The interval of {@link #every(Duration)} or the period of {@link #fixedRate(Duration)}.
   *
   * @return the duration, empty for a cron schedule
   */
  public Optional<Duration> interval() {
    return Optional.ofNullable(interval);
  }

  /**
   * The cron expression, with single spaces between its fields.
   *
   * @return the expression, empty unless a cron schedule
   */
  public Optional<String> expression() {
    return Optional.ofNullable(expression);
  }

  /**
   * The time zone a cron expression is read in.
   *
   * @return the zone, empty unless a cron schedule
   */
  public Optional<ZoneId> zone() {
    return Optional.ofNullable(zone);
  }

  /**
   * The largest random delay of a fire after its slot.
   *
   * @return &gt;= 0; zero means no jitter
   */
  public Duration jitter() {
    return jitter;
  }

  /**
   * What happens when a fire comes due while the previous run still runs.
   *
   * @return the overlap policy
   */
  public Overlap overlap() {
    return overlap;
  }

  /**
   * What happens to fires missed while paused, stalled or failing over.
   *
   * @return the misfire policy
   */
  public Misfire misfire() {
    return misfire;
  }

  /**
   * How late after its slot (plus the jitter) a fire may start.
   *
   * @return the deadline, empty when there is none
   */
  public Optional<Duration> startingDeadline() {
    return Optional.ofNullable(startingDeadline);
  }

  /**
   * The first instant a slot may have (the anchor of a fixed rate).
   *
   * @return the instant, empty when unset
   */
  public Optional<Instant> startingAt() {
    return Optional.ofNullable(startingAt);
  }

  /**
   * The last instant a slot may have.
   *
   * @return the instant, empty when the schedule never ends by itself
   */
  public Optional<Instant> until() {
    return Optional.ofNullable(until);
  }

  /**
   * The retry policy of a failed fire.
   *
   * @return the backoff, empty when a failed fire waits for the next slot
   */
  public Optional<Backoff> retry() {
    return Optional.ofNullable(retry);
  }

  // ------------------------------------------------------------------------------ slots

  /**
   * The next slot strictly after {@code t}, within {@link #startingAt()} and {@link #until()}.
   * For {@code every}, {@code t} is the end of a run (or the instant the schedule started
   * waiting) and the answer is {@code t + interval}, or {@code startAt} if later. For
   * {@code fixedRate} and {@code cron} it is the first slot after {@code t} (see the class
   * comment for the anchor and the daylight-saving rules). A pure function of the schedule and
   * {@code t}.
   *
   * @param t an instant
   * @return the slot, empty when the schedule has no slot after {@code t} (past {@code until},
   *     or beyond what an {@link Instant} can hold)
   */
  public Optional<Instant> nextFireAfter(Instant t) {
    return Optional.ofNullable(slotAfterOrNull(t));
  }

  /** {@link #nextFireAfter(Instant)} without the Optional, for the engine's per-fire path. */
  Instant slotAfterOrNull(Instant t) {
    Objects.requireNonNull(t, "t");
    Instant next;
    if (kind == Kind.EVERY) {
      next = plus(t, interval);
      if (next != null && startingAt != null && next.isBefore(startingAt)) {
        next = startingAt;
      }
    } else if (startingAt != null && t.isBefore(startingAt)) {
      next = slotAtOrAfter(startingAt);
    } else {
      next = slotAfter(t);
    }
    if (next == null || (until != null && next.isAfter(until))) {
      return null;
    }
    return next;
  }

  /**
   * The first fire of a schedule that starts waiting at {@code now}: {@code every} fires at once
   * (at {@code now}, or at {@code startAt} if later); {@code fixedRate} and {@code cron} at their
   * first slot at or after {@code now} (and {@code startAt}).
   *
   * @param now the instant the schedule starts
   * @return the first fire, empty when the schedule has none (past {@code until})
   */
  public Optional<Instant> firstFireAt(Instant now) {
    Objects.requireNonNull(now, "now");
    Instant from = startingAt != null && now.isBefore(startingAt) ? startingAt : now;
    Instant first = kind == Kind.EVERY ? from : slotAtOrAfter(from);
    if (first == null || (until != null && first.isAfter(until))) {
      return Optional.empty();
    }
    return Optional.of(first);
  }

  /** The first raw slot (fixedRate or cron) at or after {@code t}, ignoring until. */
  private Instant slotAtOrAfter(Instant t) {
    if (t.equals(Instant.MIN)) {
      return slotAfter(t);
    }
    return slotAfter(t.minusNanos(1));
  }

  /** The first raw slot (fixedRate or cron) strictly after {@code t}, ignoring startAt's bound. */
  private Instant slotAfter(Instant t) {
    if (kind == Kind.CRON) {
      return cron.after(t, zone).orElse(null);
    }
    Instant anchor = startingAt != null ? startingAt : Instant.EPOCH;
    if (t.isBefore(anchor)) {
      return anchor;
    }
    try {
      long k = Duration.between(anchor, t).dividedBy(interval);
      return plus(anchor, interval.multipliedBy(k + 1));
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** {@code t + d}, or null when the result is not an {@link Instant}. */
  static Instant plus(Instant t, Duration d) {
    try {
      return t.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  /**
   * The fire time of {@code slot} for a given draw {@code random} in {@code [0, 1]}:
   * {@code slot + random * jitter}, always within {@code [slot, slot + jitter]} (0 gives the slot,
   * 1 the slot plus the whole jitter). The deterministic seam of {@link #jittered(Instant)}, like
   * {@link Backoff#delayMillis(int, double)}.
   *
   * @param slot a slot of this schedule
   * @param random a draw in {@code [0, 1]}
   * @return the instant to fire at
   * @throws IllegalArgumentException when {@code random} is outside {@code [0, 1]} or NaN
   */
  public Instant jittered(Instant slot, double random) {
    Objects.requireNonNull(slot, "slot");
    if (!(random >= 0.0 && random <= 1.0)) {
      throw new IllegalArgumentException("random: must be between 0 and 1, was " + random);
    }
    if (jitter.isZero()) {
      return slot;
    }
    long max = Durations.toNanos(jitter);
    long offset = Math.max(0, Math.min(max, Math.round(random * max)));
    try {
      return slot.plusNanos(offset);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  /**
   * The fire time of {@code slot} with a random jitter: {@link #jittered(Instant, double)} with a
   * uniform draw.
   *
   * @param slot a slot of this schedule
   * @return an instant within {@code [slot, slot + jitter]}
   */
  public Instant jittered(Instant slot) {
    return jitter.isZero() ? slot : jittered(slot, ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The slots that came due after {@code lastSlot} up to {@code now} (both as instants), and
   * what to do with them under this schedule's {@link Misfire} policy and starting deadline: what
   * the engine calls when it wakes up (a timer, a resume, a failover) to know what to run now.
   *
   * <p>A slot is <em>startable</em> at {@code now} unless a starting deadline is set and
   * {@code now} is later than {@code slot + jitter + deadline}; it is <em>on time</em> when
   * {@code now} is at most {@code slot + jitter + (deadline, or DEFAULT_MISFIRE_THRESHOLD)}.
   * <ul>
   *   <li>{@link Misfire#RUN_ONCE}: the latest slot runs if startable; all others are missed.</li>
   *   <li>{@link Misfire#SKIP}: the latest slot runs if on time (a timer that fired a little
   *       late); all others are missed.</li>
   *   <li>{@link Misfire#CATCH_UP}: the latest {@link #MAX_CATCH_UP} slots that are startable run,
   *       oldest first; all others are missed.</li>
   * </ul>
   * A fixed rate therefore never fires a burst unless {@code CATCH_UP} is set. For {@code every},
   * {@code lastSlot} is the end of the last run (or the instant the schedule started waiting) and
   * the only slot is {@code lastSlot + interval}; it never accumulates more. The next fire after
   * this is {@link #nextFireAfter(Instant) nextFireAfter(now)} (for {@code every}, after the end
   * of the run, or after {@code now} when nothing runs).
   *
   * @param lastSlot the last slot handled (fired or missed), or the instant the schedule started
   *     waiting when none was: only slots strictly after it are considered
   * @param now the present instant
   * @return the slots to run now and the count of missed ones
   */
  public Due dueSlots(Instant lastSlot, Instant now) {
    DueSlots d = dueSlots;
    if (d == null) {
      d = new DueSlots(this); // a benign race: every copy is the same
      dueSlots = d;
    }
    return d.find(lastSlot, now);
  }

  // ------------------------------------------------------------------------------ text, JSON

  /**
   * A human description: "every 5 minutes", "every 30 seconds at a fixed rate",
   * "at 03:00 every day (Europe/Paris)" (cron-utils' describer, then the zone), followed by the
   * jitter, startAt and until when set ("every hour, jitter up to 30 seconds, until
   * 2030-01-01T00:00:00Z").
   *
   * @return the description, in English
   */
  public String describe() {
    StringBuilder b = new StringBuilder();
    switch (kind) {
      case EVERY:
        b.append("every ").append(human(interval, true));
        break;
      case FIXED_RATE:
        b.append("every ").append(human(interval, true)).append(" at a fixed rate");
        break;
      default:
        b.append(cronDescription()).append(" (")
            .append(zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId()).append(')');
        break;
    }
    if (!jitter.isZero()) {
      b.append(", jitter up to ").append(human(jitter, false));
    }
    if (startingAt != null) {
      b.append(", from ").append(startingAt);
    }
    if (until != null) {
      b.append(", until ").append(until);
    }
    return b.toString();
  }

  /** cron-utils' description, or the expression itself if the describer fails on it. */
  private String cronDescription() {
    try {
      return cron.describe();
    } catch (RuntimeException e) {
      return "cron \"" + expression + "\"";
    }
  }

  /** "5 minutes", "30 seconds", "1 hour" (or "hour" when {@code dropOne}), "1500 milliseconds". */
  private static String human(Duration d, boolean dropOne) {
    String[] units = {"day", "hour", "minute", "second"};
    long[] seconds = {86_400, 3_600, 60, 1};
    long n = -1;
    String unit = null;
    if (d.getNano() == 0 && d.getSeconds() > 0) {
      for (int i = 0; i < units.length && unit == null; i++) {
        if (d.getSeconds() % seconds[i] == 0) {
          n = d.getSeconds() / seconds[i];
          unit = units[i];
        }
      }
    } else if (d.getNano() % 1_000_000 == 0 && !d.isZero() && !d.isNegative()
        && d.getSeconds() < Long.MAX_VALUE / 1000 - 1) {
      n = d.toMillis();
      unit = "millisecond";
    }
    if (unit == null) {
      return Durations.format(d);
    }
    if (n == 1) {
      return dropOne ? unit : "1 " + unit;
    }
    return n + " " + unit + "s";
  }

  /**
   * This schedule as JSON, readable by {@link #fromJson(JsonObject)}: its kind's key
   * ({@code every}, {@code fixedRate} or {@code cron}, with {@code zone}), {@code overlap} and
   * {@code misfire} always, and {@code jitter}, {@code startingDeadline}, {@code startAt},
   * {@code until} and {@code retry} when set. Durations in the configuration syntax
   * ({@code "5m"}), instants in ISO-8601 ({@code "2030-01-01T00:00:00Z"}).
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (kind == Kind.CRON) {
      json.put("cron", expression).put("zone", zone.getId());
    } else {
      json.put(kind.key(), Durations.format(interval));
    }
    if (!jitter.isZero()) {
      json.put("jitter", Durations.format(jitter));
    }
    json.put("overlap", overlap.wireName()).put("misfire", misfire.wireName());
    if (startingDeadline != null) {
      json.put("startingDeadline", Durations.format(startingDeadline));
    }
    if (startingAt != null) {
      json.put("startAt", startingAt.toString());
    }
    if (until != null) {
      json.put("until", until.toString());
    }
    if (retry != null) {
      json.put("retry", retry.toJson());
    }
    return json;
  }

  /**
   * Reads a schedule: exactly one of {@code every}, {@code fixedRate} (durations: {@code "5m"},
   * {@code "30s"}, {@code "500ms"}, {@code "PT30S"} or milliseconds) and {@code cron} (an
   * expression), plus optional {@code zone} (cron only; a time-zone ID, the system zone by
   * default), {@code jitter}, {@code overlap} ({@code skip|queue|replace}), {@code misfire}
   * ({@code run-once|skip|catch-up}), {@code startingDeadline}, {@code startAt} and {@code until}
   * (ISO-8601 instants) and {@code retry} (a backoff object, see
   * {@link Backoff#fromJson(JsonObject, Backoff)}, its missing keys from
   * {@link Backoff#defaults()}).
   *
   * @param json the JSON form
   * @return the schedule
   * @throws ConfigException at the key path of the first mistake: {@code cron: field 2 (hour):
   *     ...}, {@code overlap: must be one of skip, queue, replace, was "x"},
   *     {@code retry.multiplier: must be >= 1, was 0.5}, an unknown key, or not exactly one of
   *     the three kinds
   */
  public static Schedule fromJson(JsonObject json) {
    return ScheduleJson.read(json);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Schedule)) {
      return false;
    }
    Schedule s = (Schedule) o;
    return kind == s.kind && Objects.equals(interval, s.interval)
        && Objects.equals(expression, s.expression) && Objects.equals(zone, s.zone)
        && jitter.equals(s.jitter) && overlap == s.overlap && misfire == s.misfire
        && Objects.equals(startingDeadline, s.startingDeadline)
        && Objects.equals(startingAt, s.startingAt) && Objects.equals(until, s.until)
        && Objects.equals(retry, s.retry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, interval, expression, zone, jitter, overlap, misfire,
        startingDeadline, startingAt, until, retry);
  }

  /**
   * {@code Schedule} followed by the JSON form.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return "Schedule" + toJson().encode();
  }
}
