package dev.background.impl;

import dev.background.TaskContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The context of one run. Cancellation completes {@link #onCancel()} (on the task's event-loop
 * context for an async task; a callback that throws is logged, never thrown at the canceller)
 * and, with interruptOnCancel, interrupts the run's thread, but only while that thread is still
 * running this run.
 */
final class RunContext implements TaskContext {

  static final long NO_TIMER = -1;

  private final String name;
  private final int attempt;
  private final Throwable lastError;
  private final Vertx vertx;
  private final JsonObject config;
  private final Context callbackContext;
  private final boolean interruptOnCancel;
  private final long fencingToken;

  private volatile boolean cancelled;
  private Promise<Void> cancelPromise;
  private Thread thread;

  /** A schedule's slot; set by its supervisor before the run starts, null for other tasks. */
  volatile java.time.Instant slot;

  // Owned by the supervisor, read and written under its monitor.
  long startNanos;
  java.time.Instant startedAt;
  /** The clock's id of the runTimeout timer, or {@link #NO_TIMER}. */
  long timeoutTimer = NO_TIMER;
  boolean timedOut;
  boolean ended;

  RunContext(String name, int attempt, Throwable lastError, Vertx vertx, JsonObject config,
      Context callbackContext, boolean interruptOnCancel, long fencingToken) {
    this.fencingToken = fencingToken;
    this.name = name;
    this.attempt = attempt;
    this.lastError = lastError;
    this.vertx = vertx;
    this.config = config;
    this.callbackContext = callbackContext;
    this.interruptOnCancel = interruptOnCancel;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Throwable lastError() {
    return lastError;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public synchronized Future<Void> onCancel() {
    if (cancelPromise == null) {
      cancelPromise = Promise.promise();
      if (cancelled) {
        cancelPromise.complete();
      }
    }
    return cancelPromise.future();
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public long fencingToken() {
    return fencingToken;
  }

  @Override
  public JsonObject config() {
    return config;
  }

  @Override
  public java.util.Optional<java.time.Instant> slot() {
    return java.util.Optional.ofNullable(slot);
  }

  /** Asks the run to stop; idempotent. */
  void cancel() {
    Promise<Void> p;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      p = cancelPromise;
      if (interruptOnCancel && thread != null) {
        thread.interrupt();
      }
    }
    if (p != null) {
      Callbacks.completeOn(callbackContext, p);
    }
  }

  /** Called by the thread that starts running a blocking task. */
  synchronized void attach(Thread t) {
    thread = t;
    if (cancelled && interruptOnCancel) {
      t.interrupt();
    }
  }

  /**
   * Called by that thread when the task returned: no interrupt can reach it after this, and a
   * pending one is cleared so that the pooled thread starts its next run clean.
   */
  void detach() {
    synchronized (this) {
      thread = null;
    }
    Thread.interrupted();
  }
}
