package dev.background;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
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
 * up ({@link TaskState#GAVE_UP}).
 *
 * <p>Which failures are retried, as Failsafe's {@code handle}/{@code abortOn} and resilience4j's
 * {@code retryExceptions}/{@code ignoreExceptions} say it: a failure that is an instance of one of
 * {@link #abortOn()} ends the task in {@link TaskState#FAILED}, as a {@link PermanentFailure}
 * does; when {@link #retryOn()} is not empty, a failure that is an instance of none of them does
 * too. Every other failure is retried. {@code abortOn} wins when both match. A
 * {@link PermanentFailure} or a {@link RetryAfter} is the task's own word and is not classified;
 * a run that exceeds its {@code runTimeout} fails with a
 * {@link java.util.concurrent.TimeoutException}, classified like any failure.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}.
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
      "randomizationFactor", "maxInterval", "maxAttempts", "retryOn", "abortOn");

  private static final Backoff DEFAULTS = builder().build();

  private final Duration initialInterval;
  private final double multiplier;
  private final double randomizationFactor;
  private final Duration maxInterval;
  private final int maxAttempts;
  private final List<Class<? extends Throwable>> retryOn;
  private final List<Class<? extends Throwable>> abortOn;
  private final long initialMillis;
  private final long maxMillis;

  private Backoff(Builder b) {
    this.initialInterval = b.initialInterval;
    this.multiplier = b.multiplier;
    this.randomizationFactor = b.randomizationFactor;
    this.maxInterval = b.maxInterval;
    this.maxAttempts = b.maxAttempts;
    this.retryOn = b.retryOn;
    this.abortOn = b.abortOn;
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
   * numbers, {@code retryOn} and {@code abortOn} as arrays of class names
   * ({@code ["java.io.IOException"]}, loaded with the thread's context class loader, else this
   * library's). Missing keys take {@code base}'s values.
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
        case "retryOn":
          b.retryOn(throwables(key, JsonConfig.array(key, value)));
          break;
        case "abortOn":
          b.abortOn(throwables(key, JsonConfig.array(key, value)));
          break;
        default:
          b.maxAttempts(JsonConfig.wholeNumber(key, value));
          break;
      }
    }
    return b.build();
  }

  /** The classes named in {@code array}, each a {@link Throwable}; mistakes at {@code key[i]}. */
  private static List<Class<? extends Throwable>> throwables(String key, JsonArray array) {
    List<Class<? extends Throwable>> types = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = key + "[" + i + "]";
      String name = JsonConfig.string(at, array.getValue(i));
      Class<?> c = load(name);
      if (c == null) {
        throw new ConfigException(at, "no such class, was " + JsonConfig.describe(name));
      }
      if (!Throwable.class.isAssignableFrom(c)) {
        throw new ConfigException(at, "must be a subclass of java.lang.Throwable, was "
            + JsonConfig.describe(name));
      }
      types.add(c.asSubclass(Throwable.class));
    }
    return types;
  }

  private static Class<?> load(String name) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    for (ClassLoader loader : new ClassLoader[] {context, Backoff.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    return null;
  }

  /**
   * This policy as JSON, readable by {@link #fromJson(JsonObject, Backoff)}; {@code retryOn} and
   * {@code abortOn} (class names) only when not empty.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("initialInterval", Durations.format(initialInterval))
        .put("multiplier", multiplier)
        .put("randomizationFactor", randomizationFactor)
        .put("maxInterval", Durations.format(maxInterval))
        .put("maxAttempts", maxAttempts);
    if (!retryOn.isEmpty()) {
      json.put("retryOn", names(retryOn));
    }
    if (!abortOn.isEmpty()) {
      json.put("abortOn", names(abortOn));
    }
    return json;
  }

  private static JsonArray names(List<Class<? extends Throwable>> types) {
    JsonArray a = new JsonArray();
    types.forEach(t -> a.add(t.getName()));
    return a;
  }

  /**
   * A builder starting from this policy's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder().initialInterval(initialInterval).multiplier(multiplier)
        .randomizationFactor(randomizationFactor).maxInterval(maxInterval).maxAttempts(maxAttempts)
        .retryOn(retryOn).abortOn(abortOn);
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
   * The failures that are retried; empty (the default) means every failure but
   * {@link #abortOn()}'s.
   *
   * @return an immutable list
   */
  public List<Class<? extends Throwable>> retryOn() {
    return retryOn;
  }

  /**
   * The failures that end the task in {@link TaskState#FAILED} instead of being retried.
   *
   * @return an immutable list; empty by default
   */
  public List<Class<? extends Throwable>> abortOn() {
    return abortOn;
  }

  /**
   * Whether {@code failure} is retried: it is an instance of none of {@link #abortOn()}, and of
   * one of {@link #retryOn()} when that is not empty. Reads only the failure's class.
   *
   * @param failure the failure of a run
   * @return {@code true} to restart after the backoff, {@code false} to end the task FAILED
   */
  public boolean retries(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    for (Class<? extends Throwable> t : abortOn) {
      if (t.isInstance(failure)) {
        return false;
      }
    }
    if (retryOn.isEmpty()) {
      return true;
    }
    for (Class<? extends Throwable> t : retryOn) {
      if (t.isInstance(failure)) {
        return true;
      }
    }
    return false;
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
        && maxAttempts == b.maxAttempts && retryOn.equals(b.retryOn) && abortOn.equals(b.abortOn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialInterval, multiplier, randomizationFactor, maxInterval, maxAttempts,
        retryOn, abortOn);
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
    private List<Class<? extends Throwable>> retryOn = List.of();
    private List<Class<? extends Throwable>> abortOn = List.of();

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
     * Retry only failures that are instances of one of {@code types} (and of none of
     * {@link #abortOn}); any other failure ends the task in {@link TaskState#FAILED}. No type (the
     * default) retries every failure. Replaces the types given before.
     *
     * @param types exception classes, not null
     * @return this builder
     * @throws ConfigException at {@code retryOn} for a null type
     */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      this.retryOn = types("retryOn", types == null ? null : Arrays.asList(types));
      return this;
    }

    /**
     * See {@link #retryOn(Class...)}.
     *
     * @param types exception classes, not null
     * @return this builder
     */
    public Builder retryOn(List<Class<? extends Throwable>> types) {
      this.retryOn = types("retryOn", types);
      return this;
    }

    /**
     * End the task in {@link TaskState#FAILED}, as a {@link PermanentFailure} does, on a failure
     * that is an instance of one of {@code types}; wins over {@link #retryOn}. Replaces the types
     * given before.
     *
     * @param types exception classes, not null
     * @return this builder
     * @throws ConfigException at {@code abortOn} for a null type
     */
    @SafeVarargs
    public final Builder abortOn(Class<? extends Throwable>... types) {
      this.abortOn = types("abortOn", types == null ? null : Arrays.asList(types));
      return this;
    }

    /**
     * See {@link #abortOn(Class...)}.
     *
     * @param types exception classes, not null
     * @return this builder
     */
    public Builder abortOn(List<Class<? extends Throwable>> types) {
      this.abortOn = types("abortOn", types);
      return this;
    }

    private static List<Class<? extends Throwable>> types(String field,
        List<Class<? extends Throwable>> types) {
      if (types == null) {
        throw new ConfigException(field, "must not be null");
      }
      LinkedHashSet<Class<? extends Throwable>> distinct = new LinkedHashSet<>();
      for (Class<? extends Throwable> t : types) {
        if (t == null) {
          throw new ConfigException(field, "must not contain null");
        }
        distinct.add(t);
      }
      return List.copyOf(distinct);
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
