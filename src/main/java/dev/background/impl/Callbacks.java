package dev.background.impl;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.RejectedExecutionException;

/**
 * Completes the futures user code listens to ({@code completion()}, {@code cancel()},
 * {@code onCancel()}, {@code close()}): their callbacks may run on the completing thread, inside
 * the engine's control flow, and one that throws (even an {@code Error}) is logged and ignored
 * here instead of breaking a cancel or a close half-way.
 */
final class Callbacks {

  private Callbacks() {
  }

  /** Completes {@code promise} here (idempotent); what its callbacks throw is logged. */
  static void complete(Promise<Void> promise) {
    try {
      promise.tryComplete();
    } catch (Throwable callbackFailed) {
      FailureLog.warn(callbackFailed, "Tasks: a callback failed; ignored");
    }
  }

  /** Fails {@code promise} with {@code cause} here (idempotent); what its callbacks throw is logged. */
  static void fail(Promise<Void> promise, Throwable cause) {
    try {
      promise.tryFail(cause);
    } catch (Throwable callbackFailed) {
      FailureLog.warn(callbackFailed, "Tasks: a callback failed; ignored");
    }
  }

  /**
   * Completes {@code promise} on {@code context} (null: here), hopping there unless already on it.
   * When Vert.x was closed and refuses the hop, completes it here rather than never.
   */
  static void completeOn(Context context, Promise<Void> promise) {
    if (context != null && Vertx.currentContext() != context) {
      try {
        context.runOnContext(v -> complete(promise));
      } catch (RejectedExecutionException vertxClosed) {
        complete(promise);
      }
    } else {
      complete(promise);
    }
  }
}
