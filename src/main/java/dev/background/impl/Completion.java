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

  /** In {@link #completion} once completed, when no one had asked for the future before. */
  private static final Promise<Void> DONE = Promise.promise();

  /** The future of {@link #internal()}, made when first asked for (by close). Guarded by this. */
  private Promise<Void> internal;
  /**
   * The future of {@code completion()}, made when first asked for (most tasks' never is, and an
   * idle task then holds one promise less); {@link #DONE} once completed. Guarded by this.
   */
  private Promise<Void> completion;
  private final Context callerContext = Vertx.currentContext();

  /** What {@code completion()} and {@code cancel()} return. */
  Future<Void> future() {
    synchronized (this) {
      if (completion == DONE) {
        return Future.succeededFuture();
      }
      if (completion == null) {
        completion = Promise.promise();
      }
      return completion.future();
    }
  }

  /** For the tracker only (close waits on it): no user callback ever hangs on it. */
  Future<Void> internal() {
    synchronized (this) {
      if (completion == DONE) {
        return Future.succeededFuture();
      }
      if (internal == null) {
        internal = Promise.promise();
      }
      return internal.future();
    }
  }

  /** Completes the futures; idempotent. Call without holding any lock: callbacks may run here. */
  void complete() {
    Promise<Void> asked;
    Promise<Void> engine;
    synchronized (this) {
      asked = completion;
      engine = internal;
      completion = DONE;
    }
    if (asked != DONE) {
      if (engine != null) {
        Callbacks.complete(engine);
      }
      if (asked != null) {
        Callbacks.completeOn(callerContext, asked);
      }
    }
  }
}
