package dev.background.impl;

import dev.background.TaskContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;

/**
 * The context of one run. Cancellation completes {@link #onCancel()} (on the task's event-loop
 * context for an async task; a callback that throws is logged, never thrown at the canceller)
 * and, with interruptOnCancel, interrupts the run's thread, but only while that thread is still
 * running this run. A pause asked while the run runs sets {@link #isPauseRequested()} (a resume
 * clears it) and completes {@link #onPause()} the same way.
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
  private volatile boolean pauseRequested;
  /** Whether a pause was ever asked during this run: {@link #onPause()} stays completed. */
  private boolean pausedOnce;
  private Promise<Void> pausePromise;
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
  public boolean isPauseRequested() {
    return pauseRequested;
  }

  @Override
  public synchronized Future<Void> onPause() {
    if (pausePromise == null) {
      pausePromise = Promise.promise();
      if (pausedOnce) {
        pausePromise.complete();
      }
    }
    return pausePromise.future();
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

  /** A pause was asked while this run runs; idempotent. Call without the supervisor's monitor. */
  void requestPause() {
    Promise<Void> p;
    synchronized (this) {
      pauseRequested = true;
      pausedOnce = true;
      p = pausePromise;
    }
    if (p != null) {
      Callbacks.completeOn(callbackContext, p);
    }
  }

  /** A resume withdrew the pause. */
  void withdrawPause() {
    pauseRequested = false;
  }

  /**
   * Whether {@code error} is what our own interrupt made the run throw: it was cancelled with
   * interruptOnCancel, and {@code error} (or a cause of it) is an {@link InterruptedException}, a
   * {@link ClosedByInterruptException} or an {@link InterruptedIOException} (but a socket's
   * timeout, which is one too). Reads user code
   * ({@code getCause()}): call it without the supervisor's monitor; never throws.
   */
  boolean interruptedByCancel(Throwable error) {
    if (error == null || !cancelled || !interruptOnCancel) {
      return false;
    }
    try {
      Throwable t = error;
      for (int depth = 0; t != null && depth < 16; depth++) {
        if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
            || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))) {
          return true;
        }
        Throwable cause = t.getCause();
        t = cause == t ? null : cause;
      }
    } catch (Throwable unreadable) {
      // a getCause() that throws: not ours to call a cancellation
    }
    return false;
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
