package dev.background;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RunOption.virtualThread() on a JVM that has virtual threads. Surefire runs this class alone
 * on Java 21+ (the {@code virtual-threads} execution in pom.xml).
 */
@ExtendWith(VertxExtension.class)
class VirtualThreadTest {

  @Test
  void runsOnAJava21OrLaterRuntime() {
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
  }

  @Test
  void aBlockingTaskRunsOnAVirtualThread(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    AtomicInteger virtual = new AtomicInteger();
    var isVirtual = Thread.class.getMethod("isVirtual");
    tasks.once("vt", ctx -> {
      if ((Boolean) isVirtual.invoke(Thread.currentThread())) {
        virtual.incrementAndGet();
      }
    }, RunOption.virtualThread()).completion().await();
    assertThat(virtual.get()).isEqualTo(1);
    tasks.close().await();
  }

  @Test
  void tenThousandBlockedVirtualThreadTasksAllRunAtOnce(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(20)));
    int n = 10_000;
    CountDownLatch allRunning = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      tasks.run("vt-" + i, ctx -> {
        allRunning.countDown();
        ctx.onCancel().toCompletionStage().toCompletableFuture().get();
      }, Backoff.defaults(), RunOption.virtualThread(), RunOption.exactName());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> allRunning.getCount() == 0);
    tasks.close().await();
    assertThat(tasks.list()).allMatch(s -> s.state() == TaskState.CANCELLED);
  }
}
