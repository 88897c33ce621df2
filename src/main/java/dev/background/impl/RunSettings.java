package dev.background.impl;

import dev.background.RunOption;
import dev.background.TaskKind;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checked, immutable form of a task's {@link RunOption}s. */
final class RunSettings {

  /** Shared by every task without a config, so it is read-only (its map refuses changes). */
  static final JsonObject EMPTY_CONFIG = new JsonObject(Map.of());
  private static final RunSettings DEFAULTS = new RunSettings();
  private static final RunSettings EXACT_NAME = new RunSettings();

  static {
    EXACT_NAME.exactName = true;
  }

  boolean exactName;
  boolean restartOnFailureOnly;
  Duration resetAfter;
  Duration startDelay;
  Duration runTimeout;
  boolean interruptOnCancel;
  int maxRestarts = -1;
  Duration maxRestartsWindow;
  boolean virtualThread;
  boolean singleton;
  Map<String, String> tags = Map.of();
  JsonObject config = EMPTY_CONFIG;

  /**
   * Checks {@code options} for a task of {@code kind} started by {@code method}.
   *
   * @throws IllegalArgumentException "Tasks.run: RunOption.resetAfter: must be > 0, was PT-1S"
   */
  static RunSettings of(String method, TaskKind kind, boolean blocking, RunOption[] options) {
    // The two commonest forms share one instance each (settings are never changed once made):
    // no per-task copy, and no option message built, on the hot path of a submission.
    if (options == null || options.length == 0) {
      return DEFAULTS;
    }
    if (options.length == 1 && options[0] != null && options[0].name().equals("exactName")) {
      return EXACT_NAME;
    }
    RunSettings s = new RunSettings();
    for (RunOption o : options) {
      if (o == null) {
        throw new IllegalArgumentException(method + ": options: must not contain null");
      }
      s.apply(method, kind, blocking, o);
    }
    return s;
  }

  private void apply(String method, TaskKind kind, boolean blocking, RunOption o) {
    String where = method + ": RunOption." + o.name();
    List<Object> v = o.values();
    switch (o.name()) {
      case "exactName":
        exactName = true;
        break;
      case "restartOnFailureOnly":
        runOnly(where, kind);
        restartOnFailureOnly = true;
        break;
      case "resetAfter":
        runOnly(where, kind);
        resetAfter = positive(where, v.get(0));
        break;
      case "startDelay":
        startDelay = notNegative(where, v.get(0));
        break;
      case "runTimeout":
        runTimeout = positive(where, v.get(0));
        break;
      case "interruptOnCancel":
        blockingOnly(where, blocking);
        interruptOnCancel = true;
        break;
      case "maxRestarts":
        runOnly(where, kind);
        int n = (Integer) v.get(0);
        if (n < 0) {
          throw new IllegalArgumentException(where + ": count must be >= 0, was " + n);
        }
        maxRestarts = n;
        maxRestartsWindow = positive(where + ": window", v.get(1));
        break;
      case "virtualThread":
        blockingOnly(where, blocking);
        if (!BlockingExecutors.virtualThreadsAvailable()) {
          throw new IllegalArgumentException(where + ": this JVM (Java " + Runtime.version().feature()
              + ") has no virtual threads; they need Java 21 or later");
        }
        virtualThread = true;
        break;
      case "singleton":
        runOnly(where, kind);
        singleton = true;
        break;
      case "tags":
        tags = tags(where, v);
        break;
      case "config":
        if (v.get(0) == null) {
          throw new IllegalArgumentException(where + ": must not be null");
        }
        config = ((JsonObject) v.get(0)).copy();
        break;
      default:
        throw new IllegalArgumentException(where + ": unknown option");
    }
  }

  private static void runOnly(String where, TaskKind kind) {
    if (kind != TaskKind.RUN) {
      throw new IllegalArgumentException(where + ": applies to restarted (run) tasks only");
    }
  }

  private static void blockingOnly(String where, boolean blocking) {
    if (!blocking) {
      throw new IllegalArgumentException(where + ": applies to blocking tasks only");
    }
  }

  private static Duration positive(String where, Object value) {
    Duration d = notNegative(where, value);
    if (d.isZero()) {
      throw new IllegalArgumentException(where + ": must be > 0, was " + d);
    }
    return d;
  }

  private static Duration notNegative(String where, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(where + ": must not be null");
    }
    Duration d = (Duration) value;
    if (d.isNegative()) {
      throw new IllegalArgumentException(where + ": must be >= 0, was " + d);
    }
    return d;
  }

  private static Map<String, String> tags(String where, List<Object> kv) {
    if (kv.size() % 2 != 0) {
      throw new IllegalArgumentException(where + ": needs key/value pairs, was " + kv.size() + " strings");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < kv.size(); i += 2) {
      Object k = kv.get(i);
      Object val = kv.get(i + 1);
      if (k == null || ((String) k).isBlank() || val == null) {
        throw new IllegalArgumentException(where + ": keys must be non-blank and values non-null, was "
            + k + "=" + val);
      }
      if (k.equals("task") || k.equals("kind") || k.equals("outcome")) {
        throw new IllegalArgumentException(where + ": key '" + k + "' is reserved");
      }
      tags.put((String) k, (String) val);
    }
    return Map.copyOf(tags);
  }
}
