package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * RunOption is an optional argument of {@link Tasks#run} and {@link Tasks#once}, like the seed's
 * {@code RunOption}. Options are immutable values; they are checked when the task is submitted,
 * and a bad value makes {@code run}/{@code once} throw {@link IllegalArgumentException} naming
 * the option and the value. Options that only make sense for restarted tasks ({@code resetAfter},
 * {@code restartOnFailureOnly}, {@code maxRestarts}) are rejected by {@code once}.
 */
public final class RunOption {

  private final String name;
  private final List<Object> values;

  private RunOption(String name, Object... values) {
    this.name = name;
    this.values = Arrays.asList(values);
  }

  /** Use {@code name} verbatim as the full name, without the calling class and method prefix. */
  public static RunOption exactName() {
    return new RunOption("exactName");
  }

  /**
   * Restart only after a failure (Erlang's transient restart); a run that returns normally ends
   * the task in state {@link TaskState#COMPLETED}. By default a task is restarted whenever it
   * ends, as the seed does.
   */
  public static RunOption restartOnFailureOnly() {
    return new RunOption("restartOnFailureOnly");
  }

  /** A run that lasted at least {@code minRunTime} starts the backoff sequence over (attempt 1). */
  public static RunOption resetAfter(Duration minRunTime) {
    return new RunOption("resetAfter", minRunTime);
  }

  /** Wait {@code delay} before the first run (state {@link TaskState#PENDING} meanwhile). */
  public static RunOption startDelay(Duration delay) {
    return new RunOption("startDelay", delay);
  }

  /**
   * A run that lasts longer than {@code timeout} has its context cancelled and counts as failed
   * (with a {@link java.util.concurrent.TimeoutException}), even if it then returns normally.
   */
  public static RunOption runTimeout(Duration timeout) {
    return new RunOption("runTimeout", timeout);
  }

  /** Interrupt a blocking task's thread when its context is cancelled. */
  public static RunOption interruptOnCancel() {
    return new RunOption("interruptOnCancel");
  }

  /**
   * Restart intensity, as in OTP supervisors: more than {@code maxRestarts} restarts inside any
   * {@code window} makes the task give up ({@link TaskState#GAVE_UP}).
   */
  public static RunOption maxRestarts(int maxRestarts, Duration window) {
    return new RunOption("maxRestarts", maxRestarts, window);
  }

  /**
   * Run a blocking task on a virtual thread instead of a dedicated platform thread. Needs a JVM
   * with virtual threads (Java 21+); elsewhere {@code run} throws {@link IllegalArgumentException}.
   */
  public static RunOption virtualThread() {
    return new RunOption("virtualThread");
  }

  /** Extra metric tags for this task, as alternating keys and values. */
  public static RunOption tags(String... keyValues) {
    return new RunOption("tags", (Object[]) (keyValues == null ? new String[] {null} : keyValues));
  }

  /**
   * Run this task on one node at a time: among all trackers of a Vert.x cluster (or of one Vert.x
   * instance) that run a task with the same full name, one holds it and runs it, the others wait
   * in {@link TaskState#STANDBY} and take over when the holder leaves, closes or cancels it. Uses
   * Vert.x shared data: cluster-wide locks, counters and maps when Vert.x is clustered, local ones
   * otherwise. Each takeover gets a new {@link TaskContext#fencingToken()}.
   */
  public static RunOption singleton() {
    return new RunOption("singleton");
  }

  /** The configuration that the task reads through {@link TaskContext#config()}. */
  public static RunOption config(JsonObject config) {
    return new RunOption("config", config);
  }

  /** The option's name, as written in its factory method ("resetAfter"). */
  public String name() {
    return name;
  }

  /** The arguments given to the factory method, unchecked. */
  public List<Object> values() {
    return values;
  }

  @Override
  public String toString() {
    return "RunOption." + name + values.toString().replace('[', '(').replace(']', ')');
  }
}
