package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.background.reliability.Waiting.quickly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * User code that breaks our bookkeeping from inside: failures whose getMessage() or toString()
 * throw an Error, and callbacks that throw while we cancel. Each must stay contained: counters
 * keep their invariant, completions complete, the task is restarted on schedule and close() ends.
 */
@ExtendWith(VertxExtension.class)
class FaultContainmentTest {

  private static final Backoff FAST = Backoff.fixed(Duration.ofMillis(5));
  private static final Backoff HOUR = Backoff.fixed(Duration.ofHours(1));

  /** An exception whose message cannot be read: getMessage() overflows the stack. */
  static final class UnreadableMessage extends RuntimeException {
    @Override
    public String getMessage() {
      throw new StackOverflowError("getMessage() recursed");
    }
  }

  /** An exception that cannot be rendered: toString() overflows the stack. */
  static final class UnprintableFailure extends RuntimeException {
    UnprintableFailure() {
      super("cannot be printed");
    }

    @Override
    public String toString() {
      throw new StackOverflowError("toString() recursed");
    }
  }

  @Test
  void failureWhoseGetMessageThrowsAnErrorIsCountedAndRestarted(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    TaskHandle h = tasks.run("unreadable", ctx -> {
      throw new UnreadableMessage();
    }, FAST, RunOption.exactName());

    quickly().until(() -> h.status().failures() >= 3);
    TaskStatus s = h.status();
    assertThat(s.runs()).isEqualTo(s.successes() + s.failures() + s.running());
    assertThat(s.lastError().type()).isEqualTo(UnreadableMessage.class.getName());
    assertThat(s.lastError().message()).isEqualTo("(getMessage() threw java.lang.StackOverflowError)");
    tasks.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void failureWhoseGetMessageThrowsAnErrorIsCountedAndRestartedWithWarnLogging(Vertx vertx)
      throws Exception {
    try (TasksWarnLogging warn = TasksWarnLogging.on()) {
      Tasks tasks = Tasks.create(vertx);
      TaskHandle h = tasks.run("unreadable-logged", ctx -> {
        throw new UnreadableMessage();
      }, FAST, RunOption.exactName());

      quickly().until(() -> h.status().failures() >= 3);
      TaskStatus s = h.status();
      assertThat(s.runs()).isEqualTo(s.successes() + s.failures() + s.running());
      tasks.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void onceFailureWhoseToStringThrowsAnErrorWithWarnLoggingCompletesAndDeliversItsEvents(Vertx vertx)
      throws Exception {
    try (TasksWarnLogging warn = TasksWarnLogging.on()) {
      Tasks tasks = Tasks.create(vertx);
      List<TaskEvent.Type> events = new CopyOnWriteArrayList<>();
      tasks.addListener(e -> events.add(e.type()));
      TaskHandle h = tasks.once("unprintable", ctx -> {
        throw new UnprintableFailure();
      }, RunOption.exactName());

      quickly().until(() -> h.completion().isComplete());
      assertThat(h.status().state()).isEqualTo(TaskState.FAILED);
      assertThat(h.status().failures()).isEqualTo(1);
      assertThat(h.status().running()).isZero();
      quickly().until(() -> events.contains(TaskEvent.Type.FAILED));
      assertThat(events).containsExactly(TaskEvent.Type.STARTED, TaskEvent.Type.FAILED);
      tasks.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void runFailureWhoseToStringThrowsAnErrorWithWarnLoggingIsRestartedAndClosed(Vertx vertx)
      throws Exception {
    try (TasksWarnLogging warn = TasksWarnLogging.on()) {
      Tasks tasks = Tasks.create(vertx);
      List<TaskEvent.Type> events = new CopyOnWriteArrayList<>();
      tasks.addListener(e -> events.add(e.type()));
      TaskHandle h = tasks.runAsync("unprintable-run", ctx -> Future.failedFuture(new UnprintableFailure()),
          FAST, RunOption.exactName());

      quickly().until(() -> h.status().failures() >= 3);
      tasks.close().await(10, TimeUnit.SECONDS);
      quickly().until(() -> h.completion().isComplete());
      TaskStatus s = h.status();
      assertThat(s.state()).isEqualTo(TaskState.CANCELLED);
      assertThat(s.runs()).isEqualTo(s.successes() + s.failures());
      quickly().until(() -> events.contains(TaskEvent.Type.CANCELLED));
      assertThat(events.stream().filter(e -> e == TaskEvent.Type.FAILED).count()).isEqualTo(s.failures());
    }
  }

  @Test
  void throwingCancelCallbackDoesNotStopCloseFromCancellingTheOthers(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    CountDownLatch running = new CountDownLatch(2);
    TaskHandle rude = tasks.run("rude", ctx -> {
      ctx.onCancel().onComplete(v -> {
        throw new IllegalStateException("callback failed");
      });
      running.countDown();
      while (!ctx.isCancelled()) {
        Thread.onSpinWait();
      }
    }, FAST, RunOption.exactName());
    TaskHandle polite = tasks.run("polite", ctx -> {
      running.countDown();
      while (!ctx.isCancelled()) {
        Thread.onSpinWait();
      }
    }, FAST, RunOption.exactName());
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    tasks.close(Duration.ofSeconds(10)).await(20, TimeUnit.SECONDS);

    assertThat(rude.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(polite.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void throwingCancelCallbackOfAnAsyncTaskDoesNotBreakCancel(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    CountDownLatch running = new CountDownLatch(1);
    TaskHandle h = tasks.runAsync("rude-async", ctx -> {
      ctx.onCancel().onComplete(v -> {
        throw new IllegalStateException("callback failed");
      });
      running.countDown();
      return ctx.onCancel();
    }, HOUR, RunOption.exactName());
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    h.cancel().await(10, TimeUnit.SECONDS);

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    tasks.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void throwingCompletionCallbackDoesNotStopCloseFromCancellingTheOthers(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    List<TaskHandle> handles = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      TaskHandle h = tasks.run("backing-off-" + i, ctx -> {
      }, HOUR, RunOption.exactName());
      h.completion().onComplete(v -> {
        throw new IllegalStateException("completion callback failed");
      });
      handles.add(h);
    }
    quickly().until(() -> handles.stream().allMatch(h -> h.status().state() == TaskState.BACKING_OFF));

    Future<Void> closing = tasks.close(Duration.ofSeconds(10));

    closing.await(20, TimeUnit.SECONDS);
    assertThat(handles).allSatisfy(h -> {
      assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
      assertThat(h.completion().isComplete()).isTrue();
    });
  }

  @Test
  void throwingCompletionCallbackDoesNotEscapeCancel(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    TaskHandle h = tasks.run("backing-off", ctx -> {
    }, HOUR, RunOption.exactName());
    h.completion().onComplete(v -> {
      throw new IllegalStateException("completion callback failed");
    });
    quickly().until(() -> h.status().state() == TaskState.BACKING_OFF);

    Future<Void> cancelled = h.cancel();

    cancelled.await(10, TimeUnit.SECONDS);
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    tasks.close().await(10, TimeUnit.SECONDS);
  }
}
