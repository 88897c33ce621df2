package dev.background.bench;

import dev.background.AsyncTask;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.Tasks;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedRunnable;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenarios 1 and 2 in JMH: one invocation submits a batch of {@code n} trivial tasks and waits
 * until every one has completed (its future, so the bookkeeping after the run is inside the
 * figure). The score is milliseconds per batch; throughput is {@code n / score}.
 * {@link BenchMain} runs one fork per side and repetition, alternating the sides.
 *
 * <p>The peer is Failsafe 3.3.2 as its README shows it:
 * {@code Failsafe.with(RetryPolicy.ofDefaults()).with(executor).runAsync(body)}, the executor
 * being the same as ours: a cached thread pool for blocking tasks (a thread per running task), the
 * event-loop context for async ones ({@code command -> context.runOnContext(...)}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DispatchBench {

  /** The same trivial task body on both sides. */
  static final Task TRIVIAL = ctx -> {
  };
  static final AsyncTask TRIVIAL_ASYNC = ctx -> Future.succeededFuture();
  /** The same trivial body for Failsafe. */
  static final CheckedRunnable TRIVIAL_RUNNABLE = () -> {
  };
  static final RunOption[] EXACT = {RunOption.exactName()};
  static final RunOption[] NONE = {};

  @Param("200000")
  public int n;

  /** false: the default full name (calling class and method, found by a stack walk); true: exactName. */
  @Param("false")
  public boolean exactName;

  private Vertx vertx;
  private Tasks tasks;
  private Context loop;
  private RunOption[] options;
  private ExecutorService pool;
  private FailsafeExecutor<Object> failsafePool;
  private FailsafeExecutor<Object> failsafeLoop;

  @Setup(Level.Trial)
  public void setUp() {
    vertx = Vertx.vertx();
    tasks = Tasks.create(vertx);
    loop = vertx.getOrCreateContext();
    options = exactName ? EXACT : NONE;
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bench-cached-pool");
      t.setDaemon(true);
      return t;
    });
    RetryPolicy<Object> retry = RetryPolicy.ofDefaults();
    failsafePool = Failsafe.with(retry).with(pool);
    Executor onLoop = command -> loop.runOnContext(v -> command.run());
    failsafeLoop = Failsafe.with(retry).with(onLoop);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    pool.shutdown();
    tasks.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Counts completions of one batch down to zero. */
  static final class Batch implements Handler<AsyncResult<Void>> {
    private final AtomicInteger remaining;
    private final CountDownLatch done = new CountDownLatch(1);

    Batch(int n) {
      remaining = new AtomicInteger(n);
    }

    @Override
    public void handle(AsyncResult<Void> ar) {
      if (remaining.decrementAndGet() == 0) {
        done.countDown();
      }
    }

    void await() throws InterruptedException {
      if (!done.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("batch did not complete: " + remaining.get() + " left");
      }
    }
  }

  // ---------------------------------------------------------------- scenario 1: blocking

  @Benchmark
  public void onceOurs() throws Exception {
    Batch b = new Batch(n);
    for (int i = 0; i < n; i++) {
      tasks.once("trivial", TRIVIAL, options).completion().onComplete(b);
    }
    b.await();
  }

  @Benchmark
  public void onceRaw() throws Exception {
    Batch b = new Batch(n);
    for (int i = 0; i < n; i++) {
      vertx.<Void>executeBlocking(() -> {
        TRIVIAL.run(null);
        return null;
      }).onComplete(b);
    }
    b.await();
  }

  /**
   * Not Vert.x: a plain {@code Executors.newCachedThreadPool()}, which gives every task a thread of
   * its own at once (an idle one or a new one, never a queue) as the library's blocking pool does.
   * It shows what that guarantee costs by itself, without any supervision.
   */
  @Benchmark
  public void oncePool() throws Exception {
    Batch b = new Batch(n);
    for (int i = 0; i < n; i++) {
      pool.execute(() -> {
        try {
          TRIVIAL.run(null);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        b.handle(null);
      });
    }
    b.await();
  }

  /** Failsafe's runAsync with its default RetryPolicy on the same cached pool. */
  @Benchmark
  public void onceFailsafe() throws Exception {
    Batch b = new Batch(n);
    for (int i = 0; i < n; i++) {
      failsafePool.runAsync(TRIVIAL_RUNNABLE).whenComplete((r, e) -> b.handle(null));
    }
    b.await();
  }

  // ---------------------------------------------------------------- scenario 2: async

  @Benchmark
  public void asyncOurs() throws Exception {
    Batch b = new Batch(n);
    loop.runOnContext(v -> {
      for (int i = 0; i < n; i++) {
        tasks.onceAsync("trivial-async", TRIVIAL_ASYNC, options).completion().onComplete(b);
      }
    });
    b.await();
  }

  @Benchmark
  public void asyncRaw() throws Exception {
    Batch b = new Batch(n);
    loop.runOnContext(v -> {
      for (int i = 0; i < n; i++) {
        loop.runOnContext(w -> {
          Future<Void> f;
          try {
            f = TRIVIAL_ASYNC.run(null);
          } catch (Exception e) {
            f = Future.failedFuture(e);
          }
          f.onComplete(b);
        });
      }
    });
    b.await();
  }

  /** Failsafe's runAsync with its default RetryPolicy, run on the same event-loop context. */
  @Benchmark
  public void asyncFailsafe() throws Exception {
    Batch b = new Batch(n);
    loop.runOnContext(v -> {
      for (int i = 0; i < n; i++) {
        failsafeLoop.runAsync(TRIVIAL_RUNNABLE).whenComplete((r, e) -> b.handle(null));
      }
    });
    b.await();
  }
}
