package dev.background.impl;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads blocking tasks run on. Each run of a blocking task takes a thread of its own: an
 * idle pooled platform thread or a new one (never a queue), or a new virtual thread. So a task
 * that blocks for hours holds one thread and starves nobody.
 */
final class BlockingExecutors {

  private static final AtomicInteger POOLS = new AtomicInteger();

  private BlockingExecutors() {
  }

  /**
   * A pool that hands every submitted run to an idle thread or starts a new one; idle threads end
   * after 60 s. Its threads are daemons named {@code vertx-background-<pool>-<n>}.
   */
  static ExecutorService platformPool() {
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "vertx-background-" + pool + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), factory);
  }

  static boolean virtualThreadsAvailable() {
    return Virtual.EXECUTOR != null;
  }

  /** A thread-per-task executor of virtual threads; only when {@link #virtualThreadsAvailable()}. */
  static Executor virtual() {
    return Virtual.EXECUTOR;
  }

  /**
   * Looked up reflectively because the library is compiled for Java 17, where
   * {@code Thread.ofVirtual()} does not exist.
   */
  private static final class Virtual {
    static final Executor EXECUTOR = create();

    private static Executor create() {
      if (Runtime.version().feature() < 21) {
        return null;
      }
      try {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class, long.class)
            .invoke(builder, "vertx-background-virtual-", 1L);
        ThreadFactory factory = (ThreadFactory) Class.forName("java.lang.Thread$Builder")
            .getMethod("factory").invoke(builder);
        Method perTask = java.util.concurrent.Executors.class
            .getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
        return (Executor) perTask.invoke(null, factory);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }
}
