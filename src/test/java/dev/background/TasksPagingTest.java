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
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Tasks.list(limit, after) and Tasks.summary(). */
@ExtendWith(VertxExtension.class)
class TasksPagingTest {

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

  /** {@code n} waiting run tasks named t-00, t-01, ..., submitted in a shuffled order. */
  private void waiting(int n) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order);
    for (int i : order) {
      tasks.runAsync(String.format("t-%02d", i), TaskContext::onCancel, LONG, RunOption.exactName());
    }
  }

  private static List<String> names(List<TaskStatus> statuses) {
    return statuses.stream().map(TaskStatus::name).collect(Collectors.toList());
  }

  @Test
  void pagesWalkTheSortedListWithoutGapsOrRepeats() {
    waiting(25);
    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String after = null;
    do {
      TaskPage page = tasks.list(10, after);
      seen.addAll(names(page.tasks()));
      sizes.add(page.tasks().size());
      after = page.next();
    } while (after != null);

    assertThat(sizes).containsExactly(10, 10, 5);
    assertThat(seen).isEqualTo(names(tasks.list())).isSorted().hasSize(25).doesNotHaveDuplicates();
  }

  @Test
  void nextIsTheLastNameOfAPageThatMoreTasksFollow() {
    waiting(20);

    TaskPage first = tasks.list(10, null);
    TaskPage second = tasks.list(10, first.next());

    assertThat(first.next()).isEqualTo("t-09");
    assertThat(names(second.tasks())).startsWith("t-10").endsWith("t-19");
    assertThat(second.next()).isNull();
  }

  @Test
  void aCursorNeedNotBeATasksName() {
    waiting(10);

    TaskPage page = tasks.list(3, "t-04x");

    assertThat(names(page.tasks())).containsExactly("t-05", "t-06", "t-07");
    assertThat(tasks.list(5, "zzz").tasks()).isEmpty();
    assertThat(tasks.list(5, "zzz").next()).isNull();
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> tasks.list(0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.list: limit must be >= 1, was 0");
  }

  @Test
  void aPageReadsBackFromItsJson() {
    waiting(3);
    TaskPage page = tasks.list(2, null);

    TaskPage read = TaskPage.fromJson(page.toJson());

    assertThat(read).isEqualTo(page);
    assertThat(page.toJson().getString("next")).isEqualTo("t-01");
  }

  @Test
  void summaryCountsTasksByStateAndKindAndSumsTheirCounters() {
    tasks.runAsync("a", TaskContext::onCancel, LONG, RunOption.exactName());
    tasks.runAsync("b", TaskContext::onCancel, LONG, RunOption.exactName());
    tasks.onceAsync("ok", ctx -> Future.succeededFuture(), RunOption.exactName()).completion().await();
    tasks.onceAsync("ko", ctx -> Future.failedFuture("no"), RunOption.exactName()).completion().await();
    await().until(() -> tasks.summary().states().get(TaskState.RUNNING) == 2);

    TasksSummary summary = tasks.summary();

    assertThat(summary.tasks()).isEqualTo(4);
    assertThat(summary.states()).containsEntry(TaskState.RUNNING, 2)
        .containsEntry(TaskState.COMPLETED, 1).containsEntry(TaskState.FAILED, 1)
        .containsEntry(TaskState.PENDING, 0).hasSize(TaskState.values().length);
    assertThat(summary.kinds()).containsEntry(TaskKind.RUN, 2).containsEntry(TaskKind.ONCE, 2)
        .containsEntry(TaskKind.SCHEDULE, 0);
    assertThat(summary.runs()).isEqualTo(4);
    assertThat(summary.successes()).isEqualTo(1);
    assertThat(summary.failures()).isEqualTo(1);
    assertThat(summary.dropped()).isZero();
  }

  @Test
  void theCountersOfARunTaskReplacedUnderItsNameStayInTheTotals() {
    TaskHandle first = tasks.runAsync("again", TaskContext::onCancel, LONG, RunOption.exactName());
    await().until(() -> first.status().runs() == 1);
    first.cancel().await();
    TaskHandle second = tasks.runAsync("again", TaskContext::onCancel, LONG, RunOption.exactName());
    await().until(() -> second.status().runs() == 1);

    TasksSummary summary = tasks.summary();

    assertThat(summary.tasks()).isEqualTo(1);
    assertThat(summary.runs()).isEqualTo(2);
    assertThat(summary.successes()).isEqualTo(1);
  }

  @Test
  void aSummaryReadsBackFromItsJson() {
    tasks.runAsync("a", TaskContext::onCancel, LONG, RunOption.exactName());
    await().until(() -> tasks.summary().runs() == 1);
    TasksSummary summary = tasks.summary();

    assertThat(TasksSummary.fromJson(summary.toJson())).isEqualTo(summary);
    assertThat(summary.toJson().getJsonObject("states").getInteger("RUNNING")).isEqualTo(1);
    assertThat(summary.toJson().getJsonObject("totals").getLong("runs")).isEqualTo(1);
  }
}
