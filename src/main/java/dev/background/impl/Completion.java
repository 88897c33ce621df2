package dev.background.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * When a task will never run again. The engine waits on {@link #internal()}, which only it listens
 * to and which completes first; then the future of {@code completion()} and {@code cancel()}
 * completes, on the context of the code that submitted the task when there was one (so that
 * callbacks run where the caller expects them; after Vert.x was closed, on the completing
 * thread). User callbacks hang on that one only, and what they throw is contained
 * ({@link Callbacks}): a callback can neither delay nor break the engine's own bookkeeping.
 */
final class Completion {

  private final Promise<Void> internal = Promise.promise();
  private final Promise<Void> completion = Promise.promise();
  private final Context callerContext = Vertx.currentContext();

  /** What {@code completion()} and {@code cancel()} return. */
  Future<Void> future() {
    return completion.future();
  }

  /** For the tracker only (close waits on it): no user callback ever hangs on it. */
  Future<Void> internal() {
    return internal.future();
  }

  /** Completes the futures; idempotent. Call without holding any lock: callbacks may run here. */
  void complete() {
    if (!internal.future().isComplete()) {
      Callbacks.complete(internal);
      Callbacks.completeOn(callerContext, completion);
    }
  }
}
