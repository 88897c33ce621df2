package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.background.reliability.Waiting.quickly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task that can never run again no longer holds its code, nor what the code captured; its
 * status and counters stay, and its handle and the tracker stay reachable.
 */
@ExtendWith(VertxExtension.class)
class FinishedTaskMemoryTest {

  /** A handle, and a weak reference to 32 KB that the task's lambda captured. */
  private record Submitted(TaskHandle handle, WeakReference<byte[]> captured) {
  }

  private static Submitted onceCapturing(Tasks tasks) {
    byte[] payload = new byte[32 * 1024];
    TaskHandle h = tasks.once("once-capturing", ctx -> {
      payload[0]++;
    }, RunOption.exactName());
    return new Submitted(h, new WeakReference<>(payload));
  }

  private static Submitted runCapturing(Tasks tasks, CountDownLatch running) {
    byte[] payload = new byte[32 * 1024];
    TaskHandle h = tasks.run("run-capturing", ctx -> {
      payload[0]++;
      running.countDown();
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.onCancel().onComplete(v -> cancelled.countDown());
      cancelled.await(10, TimeUnit.SECONDS);
    }, Backoff.fixed(Duration.ofHours(1)), RunOption.exactName());
    return new Submitted(h, new WeakReference<>(payload));
  }

  private static void awaitCollected(WeakReference<?> ref) {
    Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(10)).until(() -> {
          System.gc();
          return ref.get() == null;
        });
  }

  @Test
  void aFinishedOnceTaskDropsWhatItsCodeCaptured(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    Submitted s = onceCapturing(tasks);
    s.handle().completion().await(10, TimeUnit.SECONDS);

    awaitCollected(s.captured());

    assertThat(s.handle().status().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(s.handle().status().successes()).isEqualTo(1);
    assertThat(tasks.status("once-capturing")).isPresent();
    Reference.reachabilityFence(tasks);
    tasks.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aCancelledRunTaskDropsWhatItsCodeCaptured(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    CountDownLatch running = new CountDownLatch(1);
    Submitted s = runCapturing(tasks, running);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    s.handle().cancel().await(10, TimeUnit.SECONDS);

    awaitCollected(s.captured());

    assertThat(s.handle().status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(s.handle().status().runs()).isEqualTo(1);
    assertThat(tasks.status("run-capturing")).isPresent();
    Reference.reachabilityFence(tasks);
    tasks.close().await(10, TimeUnit.SECONDS);
  }
}
