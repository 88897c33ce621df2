package dev.background.reliability;

import dev.background.Backoff;
import dev.background.PermanentFailure;
import dev.background.RetryAfter;
import dev.background.RunOption;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Properties of {@link Backoff} and of how the supervisor applies it: jitter bounds, a growing and
 * capped un-jittered sequence, attempt counting and {@code maxAttempts}, {@link RetryAfter}, and
 * the rejection of every invalid policy with a message that names the field.
 */
class BackoffPropertiesTest {

  private static Vertx vertx;

  @BeforeContainer
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterContainer
  static void closeVertx() {
    vertx.close().await();
  }

  // ---------------------------------------------------------------- the delay sequence

  @Property(tries = 500)
  void everyDelayLiesWithinTheJitterRangeOfItsUnjitteredDelay(@ForAll("policies") Backoff b,
      @ForAll @IntRange(min = 1, max = 100_000) int n,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double draw) {
    long[] range = jitterRange(b, n);

    assertThat(b.delayMillis(n, draw)).as("draw %s", draw).isBetween(range[0], range[1]);
    assertThat(b.delayMillis(n)).as("a random draw").isBetween(range[0], range[1]);
  }

  /**
   * {@code [floor(d*(1-f)), ceil(d*(1+f))]} for the un-jittered delay d of restart n, widened by
   * the rounding of a double only where one is coarser than a millisecond (d beyond 2^52 ms).
   */
  private static long[] jitterRange(Backoff b, int n) {
    long d = b.intervalMillis(n);
    double f = b.randomizationFactor();
    double low = d * (1 - f);
    double high = d * (1 + f);
    long slack = Math.ulp(high) >= 1 ? (long) Math.ceil(Math.ulp(high)) : 0;
    long top = high >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.min(Long.MAX_VALUE - slack, (long) Math.ceil(high)) + slack;
    return new long[] {(long) Math.floor(low) - slack, top};
  }

  @Property(tries = 300)
  void unjitteredDelaysStartAtTheInitialIntervalNeverDecreaseAndNeverExceedTheMaximum(
      @ForAll("policies") Backoff b) {
    long max = Math.max(1, millis(b.maxInterval()));
    long initial = Math.max(1, millis(b.initialInterval()));
    assertThat(b.intervalMillis(1)).isEqualTo(Math.min(initial, max));

    long previous = 0;
    for (int n = 1; n <= 2_000; n = n < 100 ? n + 1 : n * 2) {
      long d = b.intervalMillis(n);
      assertThat(d).as("restart %d", n).isGreaterThanOrEqualTo(previous).isBetween(1L, max);
      previous = d;
    }
    assertThat(b.intervalMillis(Integer.MAX_VALUE)).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(max);
  }

  @Property(tries = 200)
  void aFixedPolicyAlwaysWaitsItsInterval(@ForAll @IntRange(min = 1, max = 86_400_000) int millis,
      @ForAll @IntRange(min = 1, max = 1_000_000) int n) {
    Backoff b = Backoff.fixed(Duration.ofMillis(millis));

    assertThat(b.delayMillis(n)).isEqualTo(millis);
    assertThat(b.intervalMillis(n)).isEqualTo(millis);
  }

  // ---------------------------------------------------------------- applied by the supervisor

  /**
   * A task whose runs fail or succeed as {@code outcomes} says, then fail for good: it gives up
   * exactly when {@code maxAttempts} consecutive failures are reached (a success resets the
   * count), every run sees attempt = its position, and every restart waits a delay within the
   * jitter range of the attempt that just ended.
   */
  @Property(tries = 40)
  void attemptsCountEveryRunAndMaxAttemptsConsecutiveFailuresGiveUp(
      @ForAll @Size(max = 10) List<Boolean> outcomes,
      @ForAll @IntRange(min = 1, max = 4) int maxAttempts,
      @ForAll("smallPolicies") Backoff small) {
    Backoff b = small.toBuilder().maxAttempts(maxAttempts).build();
    Tasks tasks = Tasks.create(vertx);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    List<TaskEvent> restarts = new CopyOnWriteArrayList<>();
    tasks.addListener(e -> {
      if (e.type() == TaskEvent.Type.RESTART_SCHEDULED) {
        restarts.add(e);
      }
    });
    AtomicInteger run = new AtomicInteger();
    TaskHandle h = tasks.runAsync("attempts", ctx -> {
      attempts.add(ctx.attempt());
      int i = run.getAndIncrement();
      if (i >= outcomes.size()) {
        return io.vertx.core.Future.failedFuture(new PermanentFailure("done"));
      }
      return outcomes.get(i) ? io.vertx.core.Future.succeededFuture()
          : io.vertx.core.Future.failedFuture(new IllegalStateException("run " + i));
    }, b, RunOption.exactName());

    h.completion().await();

    // The model: which run ends the task, and how.
    int consecutive = 0;
    int expectedRuns = outcomes.size() + 1;
    TaskState expectedState = TaskState.FAILED;
    for (int i = 0; i < outcomes.size(); i++) {
      consecutive = outcomes.get(i) ? 0 : consecutive + 1;
      if (consecutive >= maxAttempts) {
        expectedRuns = i + 1;
        expectedState = TaskState.GAVE_UP;
        break;
      }
    }
    TaskStatus s = h.status();
    assertThat(s.state()).isEqualTo(expectedState);
    assertThat(s.runs()).isEqualTo(expectedRuns);
    assertThat(s.restarts()).isEqualTo(expectedRuns - 1);
    assertThat(s.successes() + s.failures() + s.running()).isEqualTo(s.runs());
    assertThat(s.consecutiveFailures()).isLessThanOrEqualTo(maxAttempts);
    List<Integer> expectedAttempts = new ArrayList<>();
    for (int i = 1; i <= expectedRuns; i++) {
      expectedAttempts.add(i);
    }
    assertThat(attempts).isEqualTo(expectedAttempts);
    assertThat(restarts).hasSize(expectedRuns - 1);
    for (TaskEvent e : restarts) {
      long[] range = jitterRange(b, e.attempt() - 1);
      assertThat(e.delayMillis()).as("delay before attempt %d", e.attempt()).isBetween(range[0], range[1]);
    }
    tasks.close().await();
  }

  /** The restart after a {@link RetryAfter} waits the longer of the hint and the backoff delay. */
  @Property(tries = 100)
  void retryAfterWaitsTheLongerOfTheHintAndTheBackoffDelay(@ForAll("policies") Backoff policy,
      @ForAll @IntRange(min = 0, max = 7_200_000) int hintMillis, @ForAll boolean asInstant) {
    Backoff b = policy.toBuilder().maxAttempts(0).build();
    Tasks tasks = Tasks.create(vertx);
    List<TaskEvent> restarts = new CopyOnWriteArrayList<>();
    tasks.addListener(e -> {
      if (e.type() == TaskEvent.Type.RESTART_SCHEDULED) {
        restarts.add(e);
      }
    });
    Instant[] thrownAt = new Instant[1];
    TaskHandle h = tasks.runAsync("retry-after", ctx -> {
      // The first run's time only: the checks below are about the first restart, and a later run
      // (a 0 ms hint and delay restart at once) must not move it.
      Instant now = Instant.now();
      if (thrownAt[0] == null) {
        thrownAt[0] = now;
      }
      RetryAfter hint = asInstant ? new RetryAfter(now.plusMillis(hintMillis))
          : new RetryAfter(Duration.ofMillis(hintMillis));
      return io.vertx.core.Future.failedFuture(hint);
    }, b, RunOption.exactName());
    Waiting.quickly().until(() -> !restarts.isEmpty());
    Instant scheduledBy = Instant.now();
    TaskStatus s = h.status();
    h.cancel().await();

    long[] range = jitterRange(b, 1);
    long backoffLow = range[0];
    long backoffHigh = range[1];
    // An Instant hint is measured from when the run ended, a moment after it was thrown.
    long slack = asInstant ? Duration.between(thrownAt[0], scheduledBy).toMillis() + 1 : 0;
    long delay = restarts.get(0).delayMillis();
    assertThat(delay).isGreaterThanOrEqualTo(Math.max(backoffLow, hintMillis - slack))
        .isLessThanOrEqualTo(Math.max(backoffHigh, hintMillis));
    if (s.state() == TaskState.BACKING_OFF && s.runs() == 1) {
      assertThat(s.currentDelay()).isEqualTo(Duration.ofMillis(delay));
      assertThat(s.nextRunAt()).isAfterOrEqualTo(thrownAt[0].plusMillis(Math.max(0, hintMillis - slack)));
    }
    tasks.close().await();
  }

  // ---------------------------------------------------------------- validation

  @Property(tries = 500)
  void validPoliciesBuildAndRoundTripThroughJson(@ForAll("policies") Backoff b) {
    assertThat(Backoff.fromJson(b.toJson(), Backoff.defaults())).isEqualTo(b);
    assertThat(b.toBuilder().build()).isEqualTo(b);
  }

  /** Builder input with at least one bad field: build() names a bad field, and the value. */
  @Property(tries = 1000)
  void everyInvalidPolicyIsRejectedByBuildNamingABadField(@ForAll("builderInputs") BuilderInput in) {
    Throwable t = catchThrowable(in::build);

    if (in.badFields().isEmpty()) {
      assertThat(t).isNull();
      return;
    }
    assertThat(t).isInstanceOf(IllegalArgumentException.class);
    assertThat(in.badFields()).anySatisfy(field -> assertThat(t.getMessage()).startsWith(field + ": "));
    assertThat(t.getMessage()).contains("was ");
  }

  /** JSON with bad keys, types or values: fromJson names a bad key; good JSON reads back exactly. */
  @Property(tries = 1000)
  void everyInvalidJsonPolicyIsRejectedNamingABadKey(@ForAll("jsonInputs") JsonInput in) {
    Throwable t = catchThrowable(() -> Backoff.fromJson(in.json, Backoff.defaults()));

    if (in.badKeys().isEmpty()) {
      assertThat(t).as(in.json.encode()).isNull();
      return;
    }
    assertThat(t).as(in.json.encode()).isInstanceOf(IllegalArgumentException.class);
    assertThat(in.badKeys()).as(t.getMessage())
        .anySatisfy(key -> assertThat(t.getMessage()).startsWith(key + ": "));
  }

  // ---------------------------------------------------------------- generators

  /** Valid policies, from 1 ms to days, including sub-millisecond and enormous durations. */
  @Provide
  Arbitrary<Backoff> policies() {
    Arbitrary<Duration> durations = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(1, 86_400_000L).map(Duration::ofMillis)),
        Tuple.of(1, Arbitraries.longs().between(1, 999_999).map(Duration::ofNanos)),
        Tuple.of(1, Arbitraries.longs().between(1, 3_650).map(Duration::ofDays)),
        Tuple.of(1, Arbitraries.of(ChronoUnit.FOREVER.getDuration(), Duration.ofDays(106_751_991_167L),
            Duration.ofMillis(Long.MAX_VALUE), Duration.ofMillis(Long.MAX_VALUE).plusNanos(1))));
    return Combinators.combine(durations, durations,
        Arbitraries.doubles().between(1.0, 10.0).ofScale(3),
        Arbitraries.doubles().between(0.0, 1.0).ofScale(3),
        Arbitraries.integers().between(0, 100))
        .as((a, c, m, f, attempts) -> Backoff.builder()
            .initialInterval(a.compareTo(c) <= 0 ? a : c).maxInterval(a.compareTo(c) <= 0 ? c : a)
            .multiplier(m).randomizationFactor(f).maxAttempts(attempts).build());
  }

  /** Valid policies of a few milliseconds, for runs through a tracker. */
  @Provide
  Arbitrary<Backoff> smallPolicies() {
    return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 8),
        Arbitraries.doubles().between(1.0, 3.0).ofScale(2), Arbitraries.doubles().between(0.0, 1.0).ofScale(2))
        .as((initial, extra, m, f) -> Backoff.builder().initialInterval(Duration.ofMillis(initial))
            .maxInterval(Duration.ofMillis(initial + extra)).multiplier(m).randomizationFactor(f).build());
  }

  /** One field's value for the builder, and whether it is bad on its own. */
  static final class Field<T> {
    final T value;
    final boolean bad;

    Field(T value, boolean bad) {
      this.value = value;
      this.bad = bad;
    }

    @Override
    public String toString() {
      return value + (bad ? " (bad)" : "");
    }
  }

  static final class BuilderInput {
    final Field<Duration> initial;
    final Field<Duration> max;
    final Field<Double> multiplier;
    final Field<Double> factor;
    final Field<Integer> attempts;

    BuilderInput(Field<Duration> initial, Field<Duration> max, Field<Double> multiplier,
        Field<Double> factor, Field<Integer> attempts) {
      this.initial = initial;
      this.max = max;
      this.multiplier = multiplier;
      this.factor = factor;
      this.attempts = attempts;
    }

    Backoff build() {
      return Backoff.builder().initialInterval(initial.value).maxInterval(max.value)
          .multiplier(multiplier.value).randomizationFactor(factor.value).maxAttempts(attempts.value)
          .build();
    }

    /** The fields the model says are wrong (on their own, or initial above max). */
    List<String> badFields() {
      List<String> bad = new ArrayList<>();
      if (initial.bad || (!max.bad && initial.value.compareTo(max.value) > 0)) {
        bad.add("initialInterval");
      }
      if (max.bad) {
        bad.add("maxInterval");
      }
      if (multiplier.bad) {
        bad.add("multiplier");
      }
      if (factor.bad) {
        bad.add("randomizationFactor");
      }
      if (attempts.bad) {
        bad.add("maxAttempts");
      }
      return bad;
    }

    @Override
    public String toString() {
      return "initial=" + initial + ", max=" + max + ", multiplier=" + multiplier + ", factor="
          + factor + ", maxAttempts=" + attempts;
    }
  }

  @Provide
  Arbitrary<BuilderInput> builderInputs() {
    Arbitrary<Field<Duration>> durations = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(1, 86_400_000L).map(ms -> new Field<>(Duration.ofMillis(ms), false))),
        Tuple.of(1, Arbitraries.longs().between(1, 999_999).map(ns -> new Field<>(Duration.ofNanos(ns), false))),
        Tuple.of(1, Arbitraries.of(Duration.ofDays(1_000_000), ChronoUnit.FOREVER.getDuration(),
            Duration.ofMillis(Long.MAX_VALUE).plusMillis(1)).map(d -> new Field<>(d, false))),
        Tuple.of(1, Arbitraries.just(new Field<>(null, true))),
        Tuple.of(1, Arbitraries.just(new Field<>(Duration.ZERO, true))),
        Tuple.of(1, Arbitraries.longs().between(-86_400_000L, -1).map(ms -> new Field<>(Duration.ofMillis(ms), true))));
    Arbitrary<Field<Double>> multipliers = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.doubles().between(1.0, 100.0).map(m -> new Field<>(m, false))),
        Tuple.of(2, Arbitraries.doubles().between(-100.0, 1.0).filter(m -> m < 1.0).map(m -> new Field<>(m, true))),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -0.0, Double.MIN_VALUE, Math.nextDown(1.0)).map(m -> new Field<>(m, true))));
    Arbitrary<Field<Double>> factors = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.doubles().between(0.0, 1.0).map(f -> new Field<>(f, false))),
        Tuple.of(2, Arbitraries.doubles().between(-10.0, 10.0).filter(f -> f < 0 || f > 1).map(f -> new Field<>(f, true))),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Math.nextUp(1.0), -Double.MIN_VALUE).map(f -> new Field<>(f, true))));
    Arbitrary<Field<Integer>> attempts = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(0, Integer.MAX_VALUE).map(n -> new Field<>(n, false))),
        Tuple.of(1, Arbitraries.integers().between(Integer.MIN_VALUE, -1).map(n -> new Field<>(n, true))));
    return Combinators.combine(durations, durations, multipliers, factors, attempts).as(BuilderInput::new);
  }

  /** A JSON policy, and the keys that the model says are wrong. */
  static final class JsonInput {
    final JsonObject json;
    final Map<String, Boolean> badByKey;

    JsonInput(JsonObject json, Map<String, Boolean> badByKey) {
      this.json = json;
      this.badByKey = badByKey;
    }

    List<String> badKeys() {
      List<String> bad = new ArrayList<>();
      badByKey.forEach((k, v) -> {
        if (v) {
          bad.add(k);
        }
      });
      return bad;
    }

    @Override
    public String toString() {
      return json.encode() + " bad: " + badKeys();
    }
  }

  /** A value for one key, with the duration it means (for durations) and whether it is bad. */
  static final class Value {
    final Object json;
    final Duration duration;
    final boolean bad;

    Value(Object json, Duration duration, boolean bad) {
      this.json = json;
      this.duration = duration;
      this.bad = bad;
    }
  }

  @Provide
  Arbitrary<JsonInput> jsonInputs() {
    Arbitrary<Value> goodDurations = Arbitraries.oneOf(
        Arbitraries.longs().between(1, 86_400_000L).map(ms -> new Value(ms, Duration.ofMillis(ms), false)),
        Arbitraries.longs().between(1, 5_000).map(ms -> new Value(ms + "ms", Duration.ofMillis(ms), false)),
        Arbitraries.longs().between(1, 600).map(s -> new Value(s + "s", Duration.ofSeconds(s), false)),
        Arbitraries.longs().between(1, 120).map(m -> new Value(m + "m", Duration.ofMinutes(m), false)),
        Arbitraries.longs().between(1, 48).map(h -> new Value("PT" + h + "H", Duration.ofHours(h), false)));
    Arbitrary<Value> badDurations = Arbitraries.oneOf(
        Arbitraries.of(0, 0L, 0.0, "0ms", "PT0S").map(v -> new Value(v, null, true)),
        Arbitraries.longs().between(-86_400_000L, -1).map(ms -> new Value(ms, null, true)),
        Arbitraries.of("", " ", "abc", "5 parsecs", "-5s", "PT-1S", "1.5s", "5ms5", "ms", "1e3",
            "99999999999999999999ms", "9999999999999999h", "999999999999999d", "P", "PTxS",
            "\u0000", "\uD83D\uDE00").map(v -> new Value(v, null, true)),
        Arbitraries.of(1.5, -0.5, Double.NaN).map(v -> new Value(v, null, true)),
        Arbitraries.of(true, new JsonObject(), new JsonArray().add(5)).map(v -> new Value(v, null, true)));
    Arbitrary<Value> durations = Arbitraries.frequencyOf(Tuple.of(4, goodDurations), Tuple.of(1, badDurations));
    Arbitrary<Value> multipliers = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.doubles().between(1.0, 50.0).map(m -> new Value(m, null, false))),
        Tuple.of(1, Arbitraries.integers().between(1, 50).map(m -> new Value(m, null, false))),
        Tuple.of(1, Arbitraries.doubles().between(-5.0, 0.999).ofScale(3).map(m -> new Value(m, null, true))),
        Tuple.of(1, Arbitraries.of("2", true, new JsonObject(), "x").map(m -> new Value(m, null, true))));
    Arbitrary<Value> factors = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.doubles().between(0.0, 1.0).map(f -> new Value(f, null, false))),
        Tuple.of(1, Arbitraries.of(0, 1).map(f -> new Value(f, null, false))),
        Tuple.of(1, Arbitraries.of(-0.01, 1.01, 2, -1).map(f -> new Value(f, null, true))),
        Tuple.of(1, Arbitraries.of("0.5", false, new JsonArray()).map(f -> new Value(f, null, true))));
    Arbitrary<Value> attempts = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(0, 1000).map(n -> new Value(n, null, false))),
        Tuple.of(1, Arbitraries.of(3.0, 0.0).map(n -> new Value(n, null, false))),
        Tuple.of(1, Arbitraries.of(-1, 2.5, 1e12, -1e12, "3", true).map(n -> new Value(n, null, true))));
    Arbitrary<Value> absent = Arbitraries.just(null);
    Arbitrary<String> unknownKeys = Arbitraries.oneOf(
        Arbitraries.of("initial", "InitialInterval", "max", "jitter", "retries", "", " ", "multiplier "),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
    return Combinators.combine(
        Arbitraries.frequencyOf(Tuple.of(1, absent), Tuple.of(2, durations)),
        Arbitraries.frequencyOf(Tuple.of(1, absent), Tuple.of(2, durations)),
        Arbitraries.frequencyOf(Tuple.of(1, absent), Tuple.of(2, multipliers)),
        Arbitraries.frequencyOf(Tuple.of(1, absent), Tuple.of(2, factors)),
        Arbitraries.frequencyOf(Tuple.of(1, absent), Tuple.of(2, attempts)),
        unknownKeys.optional(0.15))
        .as((initial, max, multiplier, factor, maxAttempts, unknown) -> {
          JsonObject json = new JsonObject();
          Map<String, Boolean> bad = new LinkedHashMap<>();
          put(json, bad, "initialInterval", initial);
          put(json, bad, "maxInterval", max);
          put(json, bad, "multiplier", multiplier);
          put(json, bad, "randomizationFactor", factor);
          put(json, bad, "maxAttempts", maxAttempts);
          Duration i = initial == null ? Backoff.DEFAULT_INITIAL_INTERVAL : initial.duration;
          Duration m = max == null ? Backoff.DEFAULT_MAX_INTERVAL : max.duration;
          if (i != null && m != null && i.compareTo(m) > 0) {
            bad.put("initialInterval", true);
          }
          unknown.filter(k -> !Backoff.defaults().toJson().containsKey(k)).ifPresent(k -> {
            json.put(k, 1);
            bad.put(k, true);
          });
          return new JsonInput(json, bad);
        });
  }

  /** {@code d} in whole milliseconds, Long.MAX_VALUE when it does not fit. */
  private static long millis(Duration d) {
    return d.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toMillis();
  }

  private static void put(JsonObject json, Map<String, Boolean> bad, String key, Value v) {
    if (v != null) {
      json.put(key, v.json);
      bad.put(key, v.bad);
    }
  }
}
