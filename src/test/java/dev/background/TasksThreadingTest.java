package dev.background;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Where tasks run: blocking tasks on threads of their own, async tasks on event loops. */
@ExtendWith(VertxExtension.class)
class TasksThreadingTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(10)));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  @Test
  void sixtyFourLongBlockingTasksAllProgressWhileTheAppsExecuteBlockingStillCompletes(Vertx vertx) {
    int n = 64;
    CountDownLatch allStarted = new CountDownLatch(n);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger progressed = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      tasks.run("blocker-" + i, ctx -> {
        threads.add(Thread.currentThread().getName());
        allStarted.countDown();
        // Each task blocks until all 64 are running at once: impossible on a bounded shared pool.
        allStarted.await();
        progressed.incrementAndGet();
        ctx.onCancel().toCompletionStage().toCompletableFuture().get();
      }, Backoff.defaults());
    }

    await().atMost(WAIT).until(() -> progressed.get() == n);
    String fromWorkerPool = vertx.executeBlocking(() -> "done").await();

    assertThat(fromWorkerPool).isEqualTo("done");
    assertThat(threads).hasSize(n).allMatch(t -> t.startsWith("vertx-background-"));
  }

  @Test
  void blockingTasksNeverRunOnAnEventLoop() {
    AtomicReference<Boolean> onEventLoop = new AtomicReference<>();
    AtomicReference<Context> context = new AtomicReference<>();
    tasks.once("blocking", ctx -> {
      onEventLoop.set(Context.isOnEventLoopThread());
      context.set(Vertx.currentContext());
    }).completion().await();
    assertThat(onEventLoop.get()).isFalse();
    assertThat(context.get()).isNull();
  }

  @Test
  void asyncTaskStartedFromAVerticleRunsOnThatVerticlesContext(Vertx vertx) {
    AtomicReference<Context> verticleContext = new AtomicReference<>();
    AtomicReference<Context> taskContext = new AtomicReference<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        verticleContext.set(context);
        tasks.onceAsync("in-verticle", ctx -> {
          taskContext.set(Vertx.currentContext());
          return Future.succeededFuture();
        });
        return Future.succeededFuture();
      }
    }).await();

    await().atMost(WAIT).until(() -> taskContext.get() != null);
    assertThat(taskContext.get()).isSameAs(verticleContext.get());
  }

  @Test
  void restartsOutliveTheVerticleThatStartedTheTask(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    String id = vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        tasks.runAsync("outlives", ctx -> {
          runs.incrementAndGet();
          return Future.failedFuture("again");
        }, Backoff.fixed(Duration.ofMillis(200)));
        return Future.succeededFuture();
      }
    }).await();
    await().atMost(WAIT).until(() -> runs.get() >= 1);

    vertx.undeploy(id).await();
    int atUndeploy = runs.get();

    await().atMost(WAIT).until(() -> runs.get() >= atUndeploy + 2);
  }

  @Test
  void asyncOnCancelCallbacksRunOnTheTasksContext(Vertx vertx) {
    AtomicReference<Context> taskContext = new AtomicReference<>();
    AtomicReference<Context> callbackContext = new AtomicReference<>();
    TaskHandle h = tasks.runAsync("ctx-callbacks", ctx -> {
      taskContext.set(Vertx.currentContext());
      Promise<Void> done = Promise.promise();
      ctx.onCancel().onComplete(v -> {
        callbackContext.set(Vertx.currentContext());
        done.complete();
      });
      return done.future();
    }, Backoff.defaults());
    await().atMost(WAIT).until(() -> taskContext.get() != null);

    h.cancel().await();

    assertThat(callbackContext.get()).isSameAs(taskContext.get());
  }
}
