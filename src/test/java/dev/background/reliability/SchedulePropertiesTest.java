package dev.background.reliability;

import dev.background.Backoff;
import dev.background.Misfire;
import dev.background.Overlap;
import dev.background.Schedule;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link Schedule}: jittered fires stay within their bounds, the JSON form reads
 * back, cron slots near daylight-saving changes (in zones with whole-hour, half-hour and odd
 * changes) are each the first slot after the instant and never repeat a wall-clock time, fixed
 * rates keep their grid, and {@link Schedule#dueSlots} accounts for every slot that came due.
 */
class SchedulePropertiesTest {

  private static final List<String> EXPRESSIONS = List.of("30 2 * * *", "*/15 * * * *",
      "0 * * * *", "0 30 1 * * *", "*/20 * * * * *", "0 0 * * 0", "15,45 1-3 * * *", "@hourly",
      "@daily", "0 0 9 * * MON-FRI", "0 59 23 L * ?");

  private static final List<String> ZONES = List.of("Europe/Paris", "America/New_York",
      "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham", "Africa/Casablanca",
      "Asia/Kolkata", "UTC");

  // ---------------------------------------------------------------- jitter

  @Property(tries = 500)
  void aJitteredFireStaysWithinTheSlotAndTheSlotPlusTheJitter(
      @ForAll("jitters") Duration jitter, @ForAll("instants") Instant slot,
      @ForAll @DoubleRange(min = 0, max = 1) double draw) {
    Schedule s = Schedule.every(Duration.ofDays(1)).withJitter(jitter);

    assertThat(s.jittered(slot, draw)).isBetween(slot, slot.plus(jitter));
    assertThat(s.jittered(slot)).isBetween(slot, slot.plus(jitter));
  }

  // ---------------------------------------------------------------- JSON

  @Property(tries = 300)
  void theJsonFormReadsBackToTheSameSchedule(@ForAll("schedules") Schedule s) {
    JsonObject json = s.toJson();
    Schedule back = Schedule.fromJson(new JsonObject(json.encode()));

    assertThat(back).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(back.toJson()).isEqualTo(json);
    assertThat(back.describe()).isEqualTo(s.describe());
  }

  // ---------------------------------------------------------------- cron around DST changes

  @Property(tries = 400)
  void aCronFireIsTheFirstSlotAfterTheInstantAndNeverRepeatsAWallClockTime(
      @ForAll("expressions") String expression, @ForAll("zones") String zoneId,
      @ForAll @IntRange(min = 2020, max = 2030) int year, @ForAll boolean secondChange,
      @ForAll @LongRange(min = -4 * 3600, max = 4 * 3600) long offsetSeconds,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double fraction) {
    ZoneId zone = ZoneId.of(zoneId);
    Schedule s = Schedule.cron(expression).inZone(zone);
    Instant t = nearAChange(zone, year, secondChange).plusSeconds(offsetSeconds);

    Instant next = s.nextFireAfter(t).orElseThrow();
    Instant between = t.plusNanos((long) (Duration.between(t, next).toNanos() * fraction));
    Instant after = s.nextFireAfter(next).orElseThrow();

    assertThat(next).isAfter(t);
    assertThat(s.nextFireAfter(between)).as("no slot between %s and %s", t, next).contains(next);
    assertThat(after).isAfter(next);
    assertThat(after.atZone(zone).toLocalDateTime())
        .as("wall clock of %s then %s", next, after)
        .isAfter(next.atZone(zone).toLocalDateTime());
  }

  /** A daylight-saving change of {@code zone} in {@code year}, or the year's start without one. */
  private static Instant nearAChange(ZoneId zone, int year, boolean second) {
    Instant start = Instant.parse(year + "-01-01T00:00:00Z");
    ZoneOffsetTransition first = zone.getRules().nextTransition(start);
    if (first == null) {
      return start.plus(Duration.ofDays(100));
    }
    if (!second) {
      return first.getInstant();
    }
    ZoneOffsetTransition next = zone.getRules().nextTransition(first.getInstant());
    return next == null ? first.getInstant() : next.getInstant();
  }

  // ---------------------------------------------------------------- fixed rate

  @Property(tries = 500)
  void aFixedRateFiresOnItsGrid(@ForAll @LongRange(min = 1, max = 86_400_000) long periodMillis,
      @ForAll("instants") Instant anchor, @ForAll("instants") Instant t, @ForAll boolean anchored) {
    Duration period = Duration.ofMillis(periodMillis);
    Schedule s = Schedule.fixedRate(period);
    Instant origin = Instant.EPOCH;
    if (anchored) {
      s = s.startingAt(anchor);
      origin = anchor;
    }

    Instant next = s.nextFireAfter(t).orElseThrow();

    assertThat(next).isAfter(t);
    assertThat(Duration.between(origin, next).toMillis() % periodMillis).isZero();
    assertThat(next.minus(period).isAfter(t) && !next.minus(period).isBefore(origin)).isFalse();
  }

  // ---------------------------------------------------------------- misfires

  @Property(tries = 500)
  void dueSlotsAccountsForEverySlotThatCameDue(
      @ForAll @LongRange(min = 1, max = 3_600_000) long periodMillis,
      @ForAll @IntRange(min = 0, max = 300) int periodsLate,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double extra,
      @ForAll("misfires") Misfire misfire, @ForAll("deadlines") Duration deadline,
      @ForAll("instants") Instant last) {
    Duration period = Duration.ofMillis(periodMillis);
    Schedule s = Schedule.fixedRate(period).withMisfire(misfire);
    if (deadline != null) {
      s = s.withStartingDeadline(deadline);
    }
    Instant now = last.plus(period.multipliedBy(periodsLate))
        .plusNanos((long) (period.toNanos() * extra));
    List<Instant> slots = new ArrayList<>();
    for (Instant t = last; ; ) {
      Instant next = s.nextFireAfter(t).orElseThrow();
      if (next.isAfter(now)) {
        break;
      }
      slots.add(next);
      t = next;
    }

    Schedule.Due due = s.dueSlots(last, now);

    assertThat(due.run().size() + due.missed()).isEqualTo(slots.size());
    assertThat(due.missedIsLowerBound()).isFalse();
    if (!due.run().isEmpty()) {
      assertThat(slots).endsWith(due.run().toArray(new Instant[0]));
    }
    assertThat(due.run().size()).isLessThanOrEqualTo(misfire == Misfire.CATCH_UP
        ? Schedule.MAX_CATCH_UP : 1);
    assertThat(due.latestSlot()).isEqualTo(slots.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of(slots.get(slots.size() - 1)));
    if (deadline != null) {
      assertThat(due.run()).allSatisfy(slot -> assertThat(now).isBeforeOrEqualTo(slot.plus(deadline)));
    }
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<Duration> jitters() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 60_000).map(Duration::ofMillis),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofNanos),
        Arbitraries.longs().between(0, 3_000_000_000L).map(Duration::ofSeconds));
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(0, 7_258_118_400L) // 1970 to 2200
        .flatMap(s -> Arbitraries.integers().between(0, 999_999_999)
            .map(n -> Instant.ofEpochSecond(s, n)));
  }

  @Provide
  Arbitrary<String> expressions() {
    return Arbitraries.of(EXPRESSIONS);
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of(ZONES);
  }

  @Provide
  Arbitrary<Misfire> misfires() {
    return Arbitraries.of(Misfire.class);
  }

  @Provide
  Arbitrary<Duration> deadlines() {
    return Arbitraries.longs().between(1, 7_200_000).map(Duration::ofMillis).injectNull(0.4);
  }

  @Provide
  Arbitrary<Schedule> schedules() {
    Arbitrary<Schedule> base = Arbitraries.oneOf(
        Arbitraries.longs().between(1, 86_400_000L * 30).map(ms -> Schedule.every(Duration.ofMillis(ms))),
        Arbitraries.longs().between(1_000_000, 86_400_000_000_000L)
            .map(ns -> Schedule.fixedRate(Duration.ofNanos(ns))),
        Combinators.combine(expressions(), zones())
            .as((e, z) -> Schedule.cron(e).inZone(ZoneId.of(z))));
    Arbitrary<Long> jitterNanos = Arbitraries.longs().between(0, 3_600_000_000_000L).injectNull(0.5);
    Arbitrary<Instant> start = instants().injectNull(0.5);
    Arbitrary<Long> length = Arbitraries.longs().between(0, 1_000_000_000L).injectNull(0.5);
    return Combinators.combine(base, jitterNanos, Arbitraries.of(Overlap.class), misfires(),
        deadlines(), start, length, backoffs().injectNull(0.5))
        .as((s, jitter, overlap, misfire, deadline, startAt, untilAfter, retry) -> {
          Schedule r = s.withOverlap(overlap).withMisfire(misfire);
          if (jitter != null) {
            long max = s.kind() == Schedule.Kind.FIXED_RATE
                ? s.interval().orElseThrow().toNanos() : Long.MAX_VALUE;
            r = r.withJitter(Duration.ofNanos(jitter % max));
          }
          if (deadline != null) {
            r = r.withStartingDeadline(deadline);
          }
          if (startAt != null) {
            r = r.startingAt(startAt);
          }
          if (untilAfter != null) {
            r = r.until((startAt != null ? startAt : Instant.parse("2030-01-01T00:00:00Z"))
                .plusSeconds(untilAfter));
          }
          return retry == null ? r : r.withRetry(retry);
        });
  }

  private Arbitrary<Backoff> backoffs() {
    return Combinators.combine(Arbitraries.longs().between(1, 10_000),
        Arbitraries.longs().between(0, 100_000), Arbitraries.doubles().between(1, 10),
        Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 20))
        .as((initial, extra, multiplier, factor, attempts) -> Backoff.builder()
            .initialInterval(Duration.ofMillis(initial))
            .maxInterval(Duration.ofMillis(initial + extra)).multiplier(multiplier)
            .randomizationFactor(factor).maxAttempts(attempts).build());
  }
}
