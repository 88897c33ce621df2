package dev.background.web;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Tasks in known states, and a server for a router, shared by the web tests. */
final class WebFixtures {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final Backoff LONG = Backoff.fixed(Duration.ofMinutes(10));
  static final Backoff GIVE_UP_AT_ONCE = Backoff.fixed(Duration.ofMillis(1)).toBuilder().maxAttempts(1).build();

  /** A blocking task that runs until it is cancelled. */
  static final Task UNTIL_CANCELLED = ctx -> ctx.onCancel().toCompletionStage().toCompletableFuture().join();

  private WebFixtures() {
  }

  /** Serves {@code router} on 127.0.0.1 and a free port. */
  static HttpServer serve(Vertx vertx, Router router) {
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  /** A RUNNING task: it runs until cancelled. */
  static TaskHandle running(Tasks tasks, String name) {
    TaskHandle h = tasks.run(name, UNTIL_CANCELLED, LONG, RunOption.exactName());
    return awaitState(h, TaskState.RUNNING);
  }

  /** A BACKING_OFF task: it failed once and waits ten minutes before its restart. */
  static TaskHandle backingOff(Tasks tasks, String name, String message) {
    TaskHandle h = tasks.run(name, ctx -> {
      throw new IllegalStateException(message);
    }, LONG, RunOption.exactName());
    return awaitState(h, TaskState.BACKING_OFF);
  }

  /** A GAVE_UP task: its first failure exhausted maxAttempts. */
  static TaskHandle gaveUp(Tasks tasks, String name, String message) {
    TaskHandle h = tasks.run(name, ctx -> {
      throw new IllegalStateException(message);
    }, GIVE_UP_AT_ONCE, RunOption.exactName());
    return awaitState(h, TaskState.GAVE_UP);
  }

  /** A COMPLETED once task. */
  static TaskHandle completedOnce(Tasks tasks, String name) {
    TaskHandle h = tasks.once(name, ctx -> { }, RunOption.exactName());
    return awaitState(h, TaskState.COMPLETED);
  }

  static TaskHandle awaitState(TaskHandle h, TaskState state) {
    await().atMost(WAIT).until(() -> h.status().state() == state);
    return h;
  }
}
