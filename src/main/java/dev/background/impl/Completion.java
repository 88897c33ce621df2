package dev.background.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.RejectedExecutionException;

/**
 * The future a task's handle returns from {@code completion()} and {@code cancel()}. It completes
 * on the context of the code that submitted the task, when there was one, so that callbacks run
 * where the caller expects them; after Vert.x was closed, on the completing thread.
 */
final class Completion {

  private final Promise<Void> promise = Promise.promise();
  private final Context callerContext = Vertx.currentContext();

  Future<Void> future() {
    return promise.future();
  }

  /** Completes the future; idempotent. Call without holding any lock: callbacks may run here. */
  void complete() {
    if (!promise.future().isComplete()) {
      completeOn(callerContext, promise);
    }
  }

  /**
   * Completes {@code promise} on {@code context} (null: here), hopping there unless already on it.
   * When Vert.x was closed and refuses the hop, completes it here rather than never.
   */
  static void completeOn(Context context, Promise<Void> promise) {
    if (context != null && Vertx.currentContext() != context) {
      try {
        context.runOnContext(v -> promise.tryComplete());
      } catch (RejectedExecutionException vertxClosed) {
        promise.tryComplete();
      }
    } else {
      promise.tryComplete();
    }
  }
}
