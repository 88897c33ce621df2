package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Backoff is the exponential restart policy that {@link Tasks#run} takes, like the
 * {@code *exponential.Backoff} that the Go package {@code background} (gostdlib/base) uses: the
 * delay before restart {@code n} (n = 1, 2, ...) is
 * {@code min(initialInterval * multiplier^(n-1), maxInterval)}, then randomized uniformly within
 * {@code [d*(1-f), d*(1+f)]} where {@code f} is the randomization factor.
 *
 * <p>{@code maxAttempts} (0 = unlimited) bounds the consecutive failures after which a task gives
 * up ({@link TaskState#GAVE_UP}). Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class Backoff {

  /** The first delay by default: 100 ms. */
  public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofMillis(100);
  /** The factor between successive delays by default: 2. */
  public static final double DEFAULT_MULTIPLIER = 2.0;
  /** The jitter by default: each delay is drawn from 50 % to 150 % of its value. */
  public static final double DEFAULT_RANDOMIZATION_FACTOR = 0.5;
  /** The cap on the delay by default: 60 s. */
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(60);
  /** The consecutive failures after which a task gives up, by default: 0, never. */
  public static final int DEFAULT_MAX_ATTEMPTS = 0;

  private static final List<String> KEYS = List.of("initialInterval", "multiplier",
      "randomizationFactor", "maxInterval", "maxAttempts");

  private static final Backoff DEFAULTS = builder().build();

  private final Duration initialInterval;
  private final double multiplier;
  private final double randomizationFactor;
  private final Duration maxInterval;
  private final int maxAttempts;
  private final long initialMillis;
  private final long maxMillis;

  private Backoff(Builder b) {
    this.initialInterval = b.initialInterval;
    this.multiplier = b.multiplier;
    this.randomizationFactor = b.randomizationFactor;
    this.maxInterval = b.maxInterval;
    this.maxAttempts = b.maxAttempts;
    this.initialMillis = Math.max(1, Durations.toMillis(initialInterval));
    this.maxMillis = Math.max(1, Durations.toMillis(maxInterval));
  }

  /**
   * A builder holding the defaults: 100 ms, x2.0, factor 0.5, at most 60 s, unlimited attempts.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default policy (see {@link #builder()}).
   *
   * @return the shared default policy
   */
  public static Backoff defaults() {
    return DEFAULTS;
  }

  /**
   * A policy that always waits exactly {@code interval}: multiplier 1, no randomization.
   *
   * @param interval &gt; 0
   * @return the policy
   * @throws ConfigException when {@code interval} is null or not positive
   */
  public static Backoff fixed(Duration interval) {
    return builder().initialInterval(interval).maxInterval(interval).multiplier(1.0)
        .randomizationFactor(0.0).build();
  }

  /**
   * Reads a policy from JSON: {@code initialInterval} and {@code maxInterval} as durations
   * ({@code "500ms"}, {@code "30s"}, {@code "5m"}, ISO-8601 {@code "PT30S"} or a number of
   * milliseconds), {@code multiplier}, {@code randomizationFactor} and {@code maxAttempts} as
   * numbers. Missing keys take {@code base}'s values.
   *
   * @param json the JSON form
   * @param base where missing keys are taken from
   * @return the policy
   * @throws ConfigException at the key, for an unknown key, a wrong type or an invalid value
   *     ({@code multiplier: must be >= 1, was 0.5})
   */
  public static Backoff fromJson(JsonObject json, Backoff base) {
    Objects.requireNonNull(json, "json");
    JsonConfig.knownKeys(json, KEYS);
    Builder b = base.toBuilder();
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "initialInterval":
          b.initialInterval(JsonConfig.duration(key, value));
          break;
        case "maxInterval":
          b.maxInterval(JsonConfig.duration(key, value));
          break;
        case "multiplier":
          b.multiplier(JsonConfig.number(key, value));
          break;
        case "randomizationFactor":
          b.randomizationFactor(JsonConfig.number(key, value));
          break;
        default:
          b.maxAttempts(JsonConfig.wholeNumber(key, value));
          break;
      }
    }
    return b.build();
  }

  /**
   * This policy as JSON, readable by {@link #fromJson(JsonObject, Backoff)}.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("initialInterval", Durations.format(initialInterval))
        .put("multiplier", multiplier)
        .put("randomizationFactor", randomizationFactor)
        .put("maxInterval", Durations.format(maxInterval))
        .put("maxAttempts", maxAttempts);
  }

  /**
   * A builder starting from this policy's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder().initialInterval(initialInterval).multiplier(multiplier)
        .randomizationFactor(randomizationFactor).maxInterval(maxInterval).maxAttempts(maxAttempts);
  }

  /**
   * The first delay.
   *
   * @return &gt; 0
   */
  public Duration initialInterval() {
    return initialInterval;
  }

  /**
   * The factor between successive delays.
   *
   * @return &gt;= 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * The jitter {@code f}: each delay {@code d} is drawn from {@code [d*(1-f), d*(1+f)]}.
   *
   * @return between 0 and 1
   */
  public double randomizationFactor() {
    return randomizationFactor;
  }

  /**
   * The cap on the un-randomized delay.
   *
   * @return &gt;= {@link #initialInterval()}
   */
  public Duration maxInterval() {
    return maxInterval;
  }

  /**
   * Consecutive failures after which the task gives up.
   *
   * @return &gt;= 0; 0 means never
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The un-randomized delay in milliseconds before restart {@code n}:
   * {@code min(initialInterval * multiplier^(n-1), maxInterval)}; never decreasing in {@code n}.
   *
   * @param n the restart's position in the backoff sequence, from 1
   * @return the delay in milliseconds, at least 1
   */
  public long intervalMillis(int n) {
    if (n <= 1) {
      return Math.min(initialMillis, maxMillis);
    }
    double d = initialMillis * Math.pow(multiplier, n - 1);
    return d >= maxMillis ? maxMillis : (long) d;
  }

  /**
   * The randomized delay in milliseconds before restart {@code n}, drawn uniformly from
   * {@code [d*(1-f), d*(1+f)]} around {@link #intervalMillis(int)}.
   *
   * @param n the restart's position in the backoff sequence, from 1
   * @return the delay in milliseconds
   */
  public long delayMillis(int n) {
    return delayMillis(n, ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The delay in milliseconds before restart {@code n} for a given draw {@code random} in
   * {@code [0, 1)}: 0 gives the low end of the range, values near 1 the high end.
   *
   * @param n the restart's position in the backoff sequence, from 1
   * @param random a draw in {@code [0, 1)}
   * @return the delay in milliseconds
   */
  public long delayMillis(int n, double random) {
    long d = intervalMillis(n);
    if (randomizationFactor == 0) {
      return d;
    }
    double delta = randomizationFactor * d;
    double low = d - delta;
    return Math.round(low + random * 2 * delta);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Backoff)) {
      return false;
    }
    Backoff b = (Backoff) o;
    return initialInterval.equals(b.initialInterval) && multiplier == b.multiplier
        && randomizationFactor == b.randomizationFactor && maxInterval.equals(b.maxInterval)
        && maxAttempts == b.maxAttempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialInterval, multiplier, randomizationFactor, maxInterval, maxAttempts);
  }

  @Override
  public String toString() {
    return "Backoff" + toJson().encode();
  }

  /**
   * Builds a {@link Backoff}. Setters record values; {@link #build()} checks them all and throws
   * a {@link ConfigException} naming the first bad field and its value. Not thread-safe.
   */
  public static final class Builder {
    private Duration initialInterval = DEFAULT_INITIAL_INTERVAL;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double randomizationFactor = DEFAULT_RANDOMIZATION_FACTOR;
    private Duration maxInterval = DEFAULT_MAX_INTERVAL;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

    private Builder() {
    }

    /**
     * The first delay; must be &gt; 0 and &lt;= maxInterval.
     *
     * @param initialInterval the first delay
     * @return this builder
     */
    public Builder initialInterval(Duration initialInterval) {
      this.initialInterval = initialInterval;
      return this;
    }

    /**
     * The factor between successive delays; must be &gt;= 1.
     *
     * @param multiplier the factor
     * @return this builder
     */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /**
     * The jitter {@code f}: each delay {@code d} is drawn from {@code [d*(1-f), d*(1+f)]}; must be
     * between 0 and 1.
     *
     * @param randomizationFactor the jitter
     * @return this builder
     */
    public Builder randomizationFactor(double randomizationFactor) {
      this.randomizationFactor = randomizationFactor;
      return this;
    }

    /**
     * The cap on the un-randomized delay; must be &gt; 0.
     *
     * @param maxInterval the cap
     * @return this builder
     */
    public Builder maxInterval(Duration maxInterval) {
      this.maxInterval = maxInterval;
      return this;
    }

    /**
     * Consecutive failures after which the task gives up; 0 (the default) means never.
     *
     * @param maxAttempts &gt;= 0
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Checks every field and returns the policy.
     *
     * @return the policy
     * @throws ConfigException naming the first bad field and its value
     *     ({@code multiplier: must be >= 1, was 0.5})
     */
    public Backoff build() {
      positive("initialInterval", initialInterval);
      positive("maxInterval", maxInterval);
      if (initialInterval.compareTo(maxInterval) > 0) {
        throw new ConfigException("initialInterval", "must be <= maxInterval ("
            + JsonConfig.describe(maxInterval) + "), was " + JsonConfig.describe(initialInterval));
      }
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new ConfigException("multiplier", "must be >= 1, was " + multiplier);
      }
      if (!(randomizationFactor >= 0.0 && randomizationFactor <= 1.0)) {
        throw new ConfigException("randomizationFactor", "must be between 0 and 1, was "
            + randomizationFactor);
      }
      if (maxAttempts < 0) {
        throw new ConfigException("maxAttempts", "must be >= 0, was " + maxAttempts);
      }
      return new Backoff(this);
    }

    private static void positive(String field, Duration d) {
      if (d == null) {
        throw new ConfigException(field, "must be set, was null");
      }
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(field, "must be > 0, was " + JsonConfig.describe(d));
      }
    }
  }
}
