package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Backoff is the exponential restart policy that {@link Tasks#run} takes, like the seed's
 * {@code *exponential.Backoff}: the delay before restart {@code n} (n = 1, 2, ...) is
 * {@code min(initialInterval * multiplier^(n-1), maxInterval)}, then randomized uniformly within
 * {@code [d*(1-f), d*(1+f)]} where {@code f} is the randomization factor.
 *
 * <p>{@code maxAttempts} (0 = unlimited) bounds the consecutive failures after which a task gives
 * up ({@link TaskState#GAVE_UP}). Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class Backoff {

  public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofMillis(100);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final double DEFAULT_RANDOMIZATION_FACTOR = 0.5;
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_ATTEMPTS = 0;

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

  /** A builder holding the defaults: 100 ms, x2.0, factor 0.5, at most 60 s, unlimited attempts. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default policy (see {@link #builder()}). */
  public static Backoff defaults() {
    return DEFAULTS;
  }

  /** A policy that always waits exactly {@code interval}: multiplier 1, no randomization. */
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
   * @throws IllegalArgumentException naming the key, for an unknown key, a wrong type or an
   *     invalid value ({@code "multiplier: must be >= 1, was 0.5"})
   */
  public static Backoff fromJson(JsonObject json, Backoff base) {
    Objects.requireNonNull(json, "json");
    Builder b = base.toBuilder();
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "initialInterval":
          b.initialInterval(Durations.parse(key, value));
          break;
        case "maxInterval":
          b.maxInterval(Durations.parse(key, value));
          break;
        case "multiplier":
          b.multiplier(number(key, value).doubleValue());
          break;
        case "randomizationFactor":
          b.randomizationFactor(number(key, value).doubleValue());
          break;
        case "maxAttempts":
          b.maxAttempts(wholeNumber(key, value));
          break;
        default:
          throw new IllegalArgumentException(key + ": unknown key (expected one of initialInterval, "
              + "multiplier, randomizationFactor, maxInterval, maxAttempts)");
      }
    }
    return b.build();
  }

  private static Number number(String key, Object value) {
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException(key + ": must be a number, was " + Durations.describe(value));
    }
    return (Number) value;
  }

  private static int wholeNumber(String key, Object value) {
    Number n = number(key, value);
    double d = n.doubleValue();
    if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(key + ": must be a whole number, was " + value);
    }
    return n.intValue();
  }

  /** This policy as JSON, readable by {@link #fromJson(JsonObject, Backoff)}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("initialInterval", Durations.format(initialInterval))
        .put("multiplier", multiplier)
        .put("randomizationFactor", randomizationFactor)
        .put("maxInterval", Durations.format(maxInterval))
        .put("maxAttempts", maxAttempts);
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder().initialInterval(initialInterval).multiplier(multiplier)
        .randomizationFactor(randomizationFactor).maxInterval(maxInterval).maxAttempts(maxAttempts);
  }

  public Duration initialInterval() {
    return initialInterval;
  }

  public double multiplier() {
    return multiplier;
  }

  public double randomizationFactor() {
    return randomizationFactor;
  }

  public Duration maxInterval() {
    return maxInterval;
  }

  /** Consecutive failures after which the task gives up; 0 means never. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The un-randomized delay in milliseconds before restart {@code n}:
   * {@code min(initialInterval * multiplier^(n-1), maxInterval)}; never decreasing in {@code n}.
   *
   * @param n the restart's position in the backoff sequence, from 1
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
   */
  public long delayMillis(int n) {
    return delayMillis(n, ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The delay in milliseconds before restart {@code n} for a given draw {@code random} in
   * {@code [0, 1)}: 0 gives the low end of the range, values near 1 the high end.
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
   * {@link IllegalArgumentException} naming the first bad field and its value. Not thread-safe.
   */
  public static final class Builder {
    private Duration initialInterval = DEFAULT_INITIAL_INTERVAL;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double randomizationFactor = DEFAULT_RANDOMIZATION_FACTOR;
    private Duration maxInterval = DEFAULT_MAX_INTERVAL;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

    private Builder() {
    }

    /** The first delay; must be > 0 and <= maxInterval. */
    public Builder initialInterval(Duration initialInterval) {
      this.initialInterval = initialInterval;
      return this;
    }

    /** The factor between successive delays; must be >= 1. */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /** The jitter: each delay is drawn from [d*(1-f), d*(1+f)]; must be in [0, 1]. */
    public Builder randomizationFactor(double randomizationFactor) {
      this.randomizationFactor = randomizationFactor;
      return this;
    }

    /** The cap on the un-randomized delay; must be > 0. */
    public Builder maxInterval(Duration maxInterval) {
      this.maxInterval = maxInterval;
      return this;
    }

    /** Consecutive failures after which the task gives up; 0 (the default) means never. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Checks every field and returns the policy.
     *
     * @throws IllegalArgumentException naming the field and the bad value
     */
    public Backoff build() {
      positive("initialInterval", initialInterval);
      positive("maxInterval", maxInterval);
      if (initialInterval.compareTo(maxInterval) > 0) {
        throw new IllegalArgumentException("initialInterval: must be <= maxInterval ("
            + Durations.format(maxInterval) + "), was " + Durations.format(initialInterval));
      }
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier: must be >= 1, was " + multiplier);
      }
      if (!(randomizationFactor >= 0.0 && randomizationFactor <= 1.0)) {
        throw new IllegalArgumentException(
            "randomizationFactor: must be between 0 and 1, was " + randomizationFactor);
      }
      if (maxAttempts < 0) {
        throw new IllegalArgumentException("maxAttempts: must be >= 0, was " + maxAttempts);
      }
      return new Backoff(this);
    }

    private static void positive(String field, Duration d) {
      if (d == null) {
        throw new IllegalArgumentException(field + ": must be set, was null");
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + ": must be > 0, was " + Durations.format(d));
      }
    }
  }
}
