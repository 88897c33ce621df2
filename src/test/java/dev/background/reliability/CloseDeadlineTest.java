package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Tasks;
import dev.background.TasksCloseTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.background.reliability.Waiting.quickly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close deadline holds whatever a task does, also when an async task blocks the event loop
 * it runs on (which is the tracker's own context when submitted from outside Vert.x).
 */
@ExtendWith(VertxExtension.class)
class CloseDeadlineTest {

  @Test
  void closeDeadlineHoldsWhileAnAsyncTaskBlocksItsEventLoop(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    AtomicBoolean release = new AtomicBoolean();
    AtomicBoolean blocking = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    tasks.runAsync("blocks-its-loop", ctx -> {
      blocking.set(true);
      started.countDown();
      // Blocks its event loop until the test is done, at most 5 s so that it can never hang.
      long cap = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!release.get() && System.nanoTime() - cap < 0) {
        Thread.onSpinWait();
      }
      blocking.set(false);
      return Future.succeededFuture();
    }, Backoff.fixed(Duration.ofHours(1)), RunOption.exactName());
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    AtomicBoolean blockedWhenClosed = new AtomicBoolean();
    Future<Void> closing;
    try {
      closing = tasks.close(Duration.ofMillis(300));
      closing.onComplete(ar -> blockedWhenClosed.set(blocking.get()));
      quickly().until(closing::isComplete);
    } finally {
      release.set(true);
    }

    assertThat(closing.failed()).as("close failed at its deadline").isTrue();
    assertThat(closing.cause()).isInstanceOf(TasksCloseTimeoutException.class);
    assertThat(((TasksCloseTimeoutException) closing.cause()).stillRunning()).containsExactly("blocks-its-loop");
    assertThat(blockedWhenClosed).as("the event loop was still blocked at the deadline").isTrue();
  }
}
