package dev.background.verticle;

import dev.background.ConfigException;
import dev.background.Misfire;
import dev.background.Overlap;
import dev.background.Schedule;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.TestTasks;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** {@code "mode": "schedule"} in a {@link TasksVerticle} configuration. */
@ExtendWith(VertxExtension.class)
class ScheduleDeclarationTest {

  private Vertx vertx;
  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(2)));
  }

  @AfterEach
  void tearDown() {
    tasks.close().otherwiseEmpty().await();
  }

  private static JsonObject scheduled(String name, JsonObject schedule) {
    return new JsonObject().put("name", name).put("class", TestTasks.BlockingEnds.class.getName())
        .put("mode", "schedule").put("schedule", schedule);
  }

  private static TasksVerticleOptions options(JsonObject... tasks) {
    JsonArray list = new JsonArray();
    for (JsonObject t : tasks) {
      list.add(t);
    }
    return new TasksVerticleOptions(new JsonObject().put("tasks", list));
  }

  @Test
  void aScheduleDeclarationReadsEveryScheduleKey() {
    TaskDeclaration d = options(scheduled("nightly", new JsonObject().put("cron", "0 3 * * *")
        .put("zone", "Europe/Paris").put("overlap", "queue").put("misfire", "catch-up")
        .put("jitter", "30s"))).getTasks().get(0);

    assertThat(d.getMode()).isEqualTo(TaskKind.SCHEDULE);
    assertThat(d.getSchedule()).isEqualTo(Schedule.cron("0 3 * * *").inZone(ZoneId.of("Europe/Paris"))
        .withOverlap(Overlap.QUEUE).withMisfire(Misfire.CATCH_UP).withJitter(Duration.ofSeconds(30)));
    assertThat(new TaskDeclaration(d.toJson()).getSchedule()).isEqualTo(d.getSchedule());
  }

  @Test
  void aBadCronExpressionNamesTheKeyPathAndTheField() {
    Throwable failure = catchThrowable(() -> options(scheduled("a", new JsonObject().put("every", "1m")),
        scheduled("b", new JsonObject().put("cron", "0 25 * * *"))));

    assertThat(failure).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) failure).path()).isEqualTo("tasks[1].schedule.cron");
    assertThat(failure.getMessage()).startsWith("tasks[1].schedule.cron: field 2 (hour)")
        .contains("25");
  }

  @Test
  void aScheduleModeWithoutAScheduleIsRefused() {
    Throwable failure = catchThrowable(() -> options(new JsonObject().put("name", "a")
        .put("class", TestTasks.BlockingEnds.class.getName()).put("mode", "schedule")));

    assertThat(failure).hasMessageStartingWith("tasks[0].schedule: is required with mode \"schedule\"");
  }

  @Test
  void aScheduleObjectOnARunTaskIsRefused() {
    Throwable failure = catchThrowable(() -> options(scheduled("a", new JsonObject().put("every", "1m"))
        .put("mode", "run")));

    assertThat(failure).hasMessage("tasks[0].schedule: applies to mode \"schedule\" only, the mode is "
        + "\"run\"");
  }

  @Test
  void optionsAboutRestartsAreRefusedOnAScheduleNamingTheOption() {
    Throwable failure = catchThrowable(() -> options(scheduled("a", new JsonObject().put("every", "1m"))
        .put("options", new JsonObject().put("resetAfter", "1m"))));

    assertThat(failure).hasMessage("tasks[0].options.resetAfter: applies to restarted (run) tasks only");
  }

  @Test
  void theVerticleStartsADeclaredScheduleThatFires() {
    JsonObject config = new JsonObject().put("tasks", new JsonArray()
        .add(scheduled("tick", new JsonObject().put("fixedRate", "1h"))
            .put("options", new JsonObject().put("singleton", true))));

    vertx.deployVerticle(new TasksVerticle(tasks), new DeploymentOptions().setConfig(config)).await();

    await().atMost(Duration.ofSeconds(10)).until(() -> tasks.status("tick")
        .map(TaskStatus::state).orElse(null) == TaskState.SCHEDULED);
    TaskStatus s = tasks.status("tick").orElseThrow();
    assertThat(s.kind()).isEqualTo(TaskKind.SCHEDULE);
    assertThat(s.schedule()).isEqualTo(Schedule.fixedRate(Duration.ofHours(1)));
    assertThat(s.nextFireAt()).isNotNull();
  }
}
