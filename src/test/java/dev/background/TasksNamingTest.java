package dev.background;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Full names, lookups and the shared trackers. */
@ExtendWith(VertxExtension.class)
class TasksNamingTest {

  private static final Backoff LONG = Backoff.fixed(Duration.ofMinutes(10));

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  @Test
  void fullNameIsTheCallingClassAndMethodThenTheName() {
    TaskHandle h = tasks.runAsync("poller", ctx -> ctx.onCancel(), LONG);
    assertThat(h.name()).isEqualTo(TasksNamingTest.class.getName()
        + ".fullNameIsTheCallingClassAndMethodThenTheName.poller");
    assertThat(h.status().shortName()).isEqualTo("poller");
  }

  @Test
  void aLambdaCallerIsNamedAfterItsEnclosingMethod() throws Exception {
    Callable<TaskHandle> inLambda = () -> tasks.runAsync("inner", ctx -> ctx.onCancel(), LONG);
    assertThat(inLambda.call().name()).isEqualTo(TasksNamingTest.class.getName()
        + ".aLambdaCallerIsNamedAfterItsEnclosingMethod.inner");
  }

  @Test
  void exactNameKeepsTheNameVerbatim() {
    TaskHandle h = tasks.runAsync("billing.poller", ctx -> ctx.onCancel(), LONG, RunOption.exactName());
    assertThat(h.name()).isEqualTo("billing.poller");
  }

  @Test
  void aLiveNameCannotBeRunTwice() {
    tasks.runAsync("dup", ctx -> ctx.onCancel(), LONG, RunOption.exactName());
    assertThatThrownBy(() -> tasks.runAsync("dup", ctx -> ctx.onCancel(), LONG, RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.runAsync: name 'dup' is used by a live task");
  }

  @Test
  void aFinishedNameCanBeRunAgain() {
    TaskHandle first = tasks.runAsync("again", ctx -> ctx.onCancel(), LONG, RunOption.exactName());
    first.cancel().await();
    TaskHandle second = tasks.runAsync("again", ctx -> ctx.onCancel(), LONG, RunOption.exactName());
    assertThat(second.status().state()).isNotEqualTo(TaskState.CANCELLED);
    assertThat(tasks.list()).hasSize(1);
  }

  @Test
  void runAndOnceCannotShareAName() {
    tasks.once("shared", ctx -> {
    }, RunOption.exactName());
    assertThatThrownBy(() -> tasks.run("shared", ctx -> {
    }, LONG, RunOption.exactName())).hasMessage("Tasks.run: name 'shared' is used by a once task");
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> tasks.run(null, ctx -> {
    }, LONG)).hasMessage("Tasks.run: name must not be null or blank, was null");
    assertThatThrownBy(() -> tasks.run("  ", ctx -> {
    }, LONG)).hasMessage("Tasks.run: name must not be null or blank, was \"  \"");
    assertThatThrownBy(() -> tasks.run("x", null, LONG)).hasMessage("Tasks.run: task must not be null");
    assertThatThrownBy(() -> tasks.run("x", ctx -> {
    }, null)).hasMessage("Tasks.run: backoff must not be null");
    assertThatThrownBy(() -> tasks.once("x", null)).hasMessage("Tasks.once: task must not be null");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void statusFindsATaskByFullOrUniqueShortName() {
    TaskHandle h = tasks.runAsync("unique", ctx -> ctx.onCancel(), LONG);
    assertThat(tasks.status(h.name())).get().extracting(TaskStatus::name).isEqualTo(h.name());
    assertThat(tasks.status("unique")).get().extracting(TaskStatus::name).isEqualTo(h.name());
    assertThat(tasks.handle("unique")).containsSame(h);
    assertThat(tasks.status("missing")).isEmpty();
  }

  @Test
  void anAmbiguousShortNameFindsNothing() {
    tasks.runAsync("same", ctx -> ctx.onCancel(), LONG, RunOption.exactName());
    tasks.runAsync("same", ctx -> ctx.onCancel(), LONG);
    assertThat(tasks.list()).hasSize(2);
    assertThat(tasks.status("same")).get().extracting(TaskStatus::name).isEqualTo("same");
    assertThat(tasks.status("other")).isEmpty();
  }

  @Test
  void listIsSortedByFullName() {
    for (String n : List.of("c", "a", "b")) {
      tasks.runAsync(n, ctx -> ctx.onCancel(), LONG, RunOption.exactName());
    }
    assertThat(tasks.list()).extracting(TaskStatus::name).containsExactly("a", "b", "c");
  }

  @Test
  void ofSharesOneTrackerPerVertxAndReplacesAClosedOne(Vertx vertx) {
    Tasks shared = Tasks.of(vertx);
    assertThat(Tasks.of(vertx)).isSameAs(shared);
    shared.close().await();
    Tasks replacement = Tasks.of(vertx);
    assertThat(replacement).isNotSameAs(shared);
    assertThat(replacement.isClosed()).isFalse();
    replacement.close().await();
  }

  @Test
  void getDefaultIsOneInstanceEvenWhenManyThreadsAskAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Tasks>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        calls.add(Tasks::getDefault);
      }
      Set<Tasks> seen = ConcurrentHashMap.newKeySet();
      for (var f : pool.invokeAll(calls)) {
        seen.add(f.get());
      }
      assertThat(seen).hasSize(1);
      Tasks def = seen.iterator().next();
      TaskHandle h = def.onceAsync("default-works", ctx -> Future.succeededFuture());
      h.completion().await();
      assertThat(h.status().successes()).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aFullNameOfExactlyTheMaximumLengthIsAccepted() {
    String name = "n".repeat(Tasks.MAX_NAME_LENGTH);

    TaskHandle h = tasks.runAsync(name, ctx -> ctx.onCancel(), LONG, RunOption.exactName());

    assertThat(h.name()).hasSize(512);
    assertThat(tasks.status(name)).isPresent();
  }

  @Test
  void everySubmittingMethodRefusesALongerNameNamingItselfTheLimitAndTheLength() {
    String name = "n".repeat(Tasks.MAX_NAME_LENGTH + 1);

    assertThatThrownBy(() -> tasks.run(name, ctx -> { }, LONG, RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.run: the full name must be at most 512 characters, was 513");
    assertThatThrownBy(() -> tasks.runAsync(name, ctx -> ctx.onCancel(), LONG, RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.runAsync: the full name must be at most 512 characters, was 513");
    assertThatThrownBy(() -> tasks.once(name, ctx -> { }, RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.once: the full name must be at most 512 characters, was 513");
    assertThatThrownBy(() -> tasks.onceAsync(name, ctx -> Future.succeededFuture(), RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.onceAsync: the full name must be at most 512 characters, was 513");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void theCallerPrefixCountsTowardsTheLimit() {
    String prefix = TasksNamingTest.class.getName() + ".theCallerPrefixCountsTowardsTheLimit.";
    String name = "n".repeat(Tasks.MAX_NAME_LENGTH - prefix.length() + 1);

    assertThatThrownBy(() -> tasks.once(name, ctx -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.once: the full name must be at most 512 characters, was 513 (\""
            + prefix.substring(0, 40));
    assertThat(tasks.list()).isEmpty();
  }
}
