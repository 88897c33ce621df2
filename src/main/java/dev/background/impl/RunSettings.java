package dev.background.impl;

import dev.background.ConfigException;
import dev.background.RunOption;
import dev.background.TaskKind;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of one task, in the form the engine reads: immutable, every field final. Each
 * {@link RunOption} has checked its own arguments when it was made, and decides itself which
 * tasks it applies to ({@link RunOption#checkAppliesTo}); this class only asks it and copies its
 * values. A later option of the same type replaces an earlier one.
 */
final class RunSettings {

  /** Shared by every task without a config, so it is read-only (its map refuses changes). */
  static final JsonObject EMPTY_CONFIG = new JsonObject(Map.of());
  private static final RunSettings DEFAULTS = new Builder().build();
  private static final RunSettings EXACT_NAME = new Builder().exactName().build();

  final boolean exactName;
  final boolean restartOnFailureOnly;
  final Duration resetAfter;
  final Duration startDelay;
  final Duration runTimeout;
  final boolean interruptOnCancel;
  /** More than this many restarts inside {@link #maxRestartsWindow} gives up; -1 means no limit. */
  final int maxRestarts;
  final Duration maxRestartsWindow;
  final boolean virtualThread;
  final boolean singleton;
  final Map<String, String> tags;
  final JsonObject config;
  /** Null: the kind's default (see {@link #critical(TaskKind)}). */
  final Boolean critical;
  /** The level of failure lines: "warn", "info" or "debug". */
  final String logLevel;

  private RunSettings(Builder b) {
    this.exactName = b.exactName;
    this.restartOnFailureOnly = b.restartOnFailureOnly;
    this.resetAfter = b.resetAfter;
    this.startDelay = b.startDelay;
    this.runTimeout = b.runTimeout;
    this.interruptOnCancel = b.interruptOnCancel;
    this.maxRestarts = b.maxRestarts;
    this.maxRestartsWindow = b.maxRestartsWindow;
    this.virtualThread = b.virtualThread;
    this.singleton = b.singleton;
    this.tags = b.tags;
    this.config = b.config;
    this.critical = b.critical;
    this.logLevel = b.logLevel;
  }

  /** Whether a task of {@code kind} with these settings is critical: run and schedule by default. */
  boolean critical(TaskKind kind) {
    return critical != null ? critical : kind != TaskKind.ONCE;
  }

  /**
   * The settings of a task of {@code kind} started by {@code method} with {@code options}.
   *
   * @throws IllegalArgumentException for a null option, or an option that does not apply:
   *     "Tasks.once: RunOption.resetAfter: applies to restarted (run) tasks only"
   */
  static RunSettings of(String method, TaskKind kind, boolean blocking, RunOption[] options) {
    // The two commonest forms share one instance each (settings are never changed once made):
    // no per-task copy, and no option message built, on the hot path of a submission.
    if (options == null || options.length == 0) {
      return DEFAULTS;
    }
    if (options.length == 1 && options[0] instanceof RunOption.ExactName) {
      return EXACT_NAME;
    }
    Builder b = new Builder();
    for (RunOption o : options) {
      if (o == null) {
        throw new IllegalArgumentException(method + ": options: must not contain null");
      }
      try {
        o.checkAppliesTo(kind, blocking);
      } catch (ConfigException e) {
        throw new IllegalArgumentException(method + ": " + e.getMessage(), e);
      }
      b.apply(o);
    }
    return b.build();
  }

  /**
   * These settings as the options that make them, in the order of {@link RunOption}'s factories:
   * what {@code TaskHandle.options()} reports.
   */
  List<RunOption> options() {
    List<RunOption> options = new ArrayList<>();
    if (exactName) {
      options.add(RunOption.exactName());
    }
    if (restartOnFailureOnly) {
      options.add(RunOption.restartOnFailureOnly());
    }
    if (resetAfter != null) {
      options.add(RunOption.resetAfter(resetAfter));
    }
    if (startDelay != null) {
      options.add(RunOption.startDelay(startDelay));
    }
    if (runTimeout != null) {
      options.add(RunOption.runTimeout(runTimeout));
    }
    if (interruptOnCancel) {
      options.add(RunOption.interruptOnCancel());
    }
    if (maxRestarts >= 0) {
      options.add(RunOption.maxRestarts(maxRestarts, maxRestartsWindow));
    }
    if (virtualThread) {
      options.add(RunOption.virtualThread());
    }
    if (!tags.isEmpty()) {
      options.add(new RunOption.Tags(tags));
    }
    if (singleton) {
      options.add(RunOption.singleton());
    }
    if (config != EMPTY_CONFIG) {
      options.add(RunOption.config(config));
    }
    return options;
  }

  /** The values while the options are read; used by {@link #of} only. */
  private static final class Builder {
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
    Boolean critical;
    String logLevel = "warn";

    Builder exactName() {
      exactName = true;
      return this;
    }

    void apply(RunOption o) {
      if (o instanceof RunOption.ExactName) {
        exactName = true;
      } else if (o instanceof RunOption.RestartOnFailureOnly) {
        restartOnFailureOnly = true;
      } else if (o instanceof RunOption.ResetAfter r) {
        resetAfter = r.minRunTime();
      } else if (o instanceof RunOption.StartDelay d) {
        startDelay = d.delay();
      } else if (o instanceof RunOption.RunTimeout t) {
        runTimeout = t.timeout();
      } else if (o instanceof RunOption.InterruptOnCancel) {
        interruptOnCancel = true;
      } else if (o instanceof RunOption.MaxRestarts m) {
        maxRestarts = m.count();
        maxRestartsWindow = m.window();
      } else if (o instanceof RunOption.VirtualThread) {
        virtualThread = true;
      } else if (o instanceof RunOption.Tags t) {
        tags = t.tags();
      } else if (o instanceof RunOption.Singleton) {
        singleton = true;
      } else if (o instanceof RunOption.Config c) {
        config = c.config();
      } else if (o instanceof RunOption.Critical c) {
        critical = c.critical();
      } else if (o instanceof RunOption.LogLevel l) {
        logLevel = l.level();
      } else {
        // RunOption is sealed: a new record must be added here.
        throw new IllegalStateException("unhandled option " + o);
      }
    }

    RunSettings build() {
      return new RunSettings(this);
    }
  }
}
