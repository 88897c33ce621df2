package dev.background.health;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TestTasks;
import dev.background.verticle.TasksVerticle;
import dev.background.verticle.TasksVerticleOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tasks are critical: by kind unless {@code RunOption.critical} says, from Java and JSON. */
@ExtendWith(VertxExtension.class)
class CriticalOptionTest {

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  private TaskStatus run(RunOption... extra) {
    RunOption[] options = new RunOption[extra.length + 1];
    options[0] = RunOption.exactName();
    System.arraycopy(extra, 0, options, 1, extra.length);
    return tasks.runAsync("r" + tasks.list().size(), ctx -> ctx.onCancel(), Backoff.defaults(),
        options).status();
  }

  private TaskStatus once(RunOption... extra) {
    RunOption[] options = new RunOption[extra.length + 1];
    options[0] = RunOption.exactName();
    System.arraycopy(extra, 0, options, 1, extra.length);
    return tasks.onceAsync("o" + tasks.list().size(), ctx -> Future.succeededFuture(), options)
        .status();
  }

  @Test
  void runTasksAreCriticalByDefaultAndOnceTasksAreNot() {
    assertThat(run().critical()).isTrue();
    assertThat(once().critical()).isFalse();
  }

  @Test
  void theOptionOverridesTheDefaultOfTheKind() {
    assertThat(run(RunOption.critical(false)).critical()).isFalse();
    assertThat(once(RunOption.critical(true)).critical()).isTrue();
  }

  @Test
  void criticalIsInTheStatusJsonAndReadsBack() {
    TaskStatus s = run(RunOption.critical(false));

    JsonObject json = s.toJson();

    assertThat(json.getBoolean("critical")).isFalse();
    assertThat(TaskStatus.fromJson(json).critical()).isFalse();
    json.remove("critical");
    assertThat(TaskStatus.fromJson(json).critical()).as("an older writer: the kind's default")
        .isTrue();
  }

  @Test
  void aDeclaredTaskReadsCriticalFromItsOptions(Vertx vertx) {
    JsonObject config = new JsonObject().put("tasks", new JsonArray()
        .add(new JsonObject().put("name", "optional-poller")
            .put("class", TestTasks.name(TestTasks.Waits.class))
            .put("options", new JsonObject().put("critical", false)))
        .add(new JsonObject().put("name", "must-warm").put("mode", "once")
            .put("class", TestTasks.name(TestTasks.Waits.class))
            .put("options", new JsonObject().put("critical", true))));
    TasksVerticle verticle = new TasksVerticle(tasks, new TasksVerticleOptions(config));
    vertx.deployVerticle(verticle, new DeploymentOptions()).await();

    assertThat(tasks.status("optional-poller").orElseThrow().critical()).isFalse();
    assertThat(tasks.status("must-warm").orElseThrow().critical()).isTrue();
  }
}
