package dev.background;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code closed} event reaches listeners before the close future completes. */
@ExtendWith(VertxExtension.class)
class TasksCloseEventTest {

  @Test
  void closedEventArrivesBeforeCloseCompletes(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    List<String> seen = new CopyOnWriteArrayList<>();
    Handler<TaskEvent> listener = e -> seen.add(e.type().wireName());
    tasks.addListener(listener);
    // Ends a little after its cancellation, so that close is still pending when map() is attached.
    tasks.runAsync("waits", ctx -> ctx.onCancel().compose(v -> vertx.timer(50).<Void>mapEmpty()),
        Backoff.defaults(), RunOption.exactName());

    List<String> atCompletion = tasks.close()
        .map(v -> List.copyOf(seen))
        .await();

    assertThat(atCompletion).endsWith("cancelled", "closed");
  }

  @Test
  void closedEventArrivesBeforeCloseTimesOut(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    List<String> seen = new CopyOnWriteArrayList<>();
    tasks.addListener(e -> seen.add(e.type().wireName()));
    CountDownLatch release = new CountDownLatch(1);
    tasks.run("stuck", ctx -> release.await(), Backoff.defaults(), RunOption.exactName());

    List<String> atCompletion = tasks.close(Duration.ofMillis(100))
        .transform(ar -> Future.succeededFuture(List.copyOf(seen)))
        .await();
    release.countDown();

    assertThat(atCompletion).endsWith("closed");
  }
}
