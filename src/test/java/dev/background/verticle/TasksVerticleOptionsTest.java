package dev.background.verticle;

import dev.background.ConfigException;
import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskKind;
import dev.background.TestTasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Reading and validating the {@link dev.background.verticle.TasksVerticle} configuration. */
class TasksVerticleOptionsTest {

  private static final String WAITS = TestTasks.name(TestTasks.Waits.class);
  private static final String BLOCKING = TestTasks.name(TestTasks.BlockingEnds.class);

  @Test
  void emptyConfigGivesTheDefaults() {
    TasksVerticleOptions o = new TasksVerticleOptions(new JsonObject());

    assertThat(o.getAddress()).isEqualTo("background.tasks");
    assertThat(o.getEventsAddress()).isEqualTo("background.tasks.events");
    assertThat(o.getCloseTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.getDefaultBackoff()).isEqualTo(Backoff.defaults());
    assertThat(o.getTasks()).isEmpty();
    assertThat(o.getHttp()).isNull();
  }

  @Test
  void fullConfigIsReadAndRoundTrips() {
    JsonObject json = new JsonObject()
        .put("address", "ops.tasks")
        .put("eventsAddress", "ops.events")
        .put("closeTimeout", "PT5S")
        .put("defaultBackoff", new JsonObject().put("initialInterval", "200ms").put("multiplier", 3))
        .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1"))
        .put("tasks", new JsonArray()
            .add(new JsonObject().put("name", "poller").put("class", WAITS)
                .put("backoff", new JsonObject().put("maxInterval", "5m"))
                .put("options", new JsonObject()
                    .put("restartOnFailureOnly", true).put("resetAfter", "1m")
                    .put("startDelay", 250).put("runTimeout", "30s")
                    .put("maxRestarts", new JsonObject().put("count", 5).put("window", "1m"))
                    .put("tags", new JsonObject().put("team", "ops")))
                .put("config", new JsonObject().put("url", "http://127.0.0.1:1")))
            .add(new JsonObject().put("name", "warm-up").put("class", BLOCKING)
                .put("mode", "once").put("autoStart", false)
                .put("options", new JsonObject().put("interruptOnCancel", true))));

    TasksVerticleOptions o = new TasksVerticleOptions(json);

    assertThat(o.getCloseTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.getDefaultBackoff().initialInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(o.getHttp()).isEqualTo(new JsonObject().put("port", 0).put("host", "127.0.0.1"));
    TaskDeclaration poller = o.getTasks().get(0);
    assertThat(poller.getMode()).isEqualTo(TaskKind.RUN);
    assertThat(poller.isAutoStart()).isTrue();
    // A task's backoff is applied on top of defaultBackoff.
    assertThat(poller.getBackoff().initialInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(poller.getBackoff().multiplier()).isEqualTo(3.0);
    assertThat(poller.getBackoff().maxInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(poller.getOptions().getStartDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(poller.getOptions().toRunOptions().stream().map(RunOption::name))
        .containsExactly("restartOnFailureOnly", "resetAfter", "startDelay", "runTimeout",
            "maxRestarts", "tags");
    assertThat(poller.getConfig().getString("url")).isEqualTo("http://127.0.0.1:1");
    TaskDeclaration warmUp = o.getTasks().get(1);
    assertThat(warmUp.getMode()).isEqualTo(TaskKind.ONCE);
    assertThat(warmUp.isAutoStart()).isFalse();
    assertThat(warmUp.getBackoff()).isNull();

    JsonObject written = o.toJson();
    assertThat(new TasksVerticleOptions(written).toJson()).isEqualTo(written);
    assertThat(new TasksVerticleOptions(o).toJson()).isEqualTo(written);
  }

  @ParameterizedTest
  @ValueSource(strings = {"500ms", "30s", "5m", "PT30S", "1h"})
  void closeTimeoutAcceptsDurationForms(String value) {
    TasksVerticleOptions o = new TasksVerticleOptions(new JsonObject().put("closeTimeout", value));
    assertThat(o.getCloseTimeout()).isPositive();
  }

  @Test
  void closeTimeoutAcceptsMilliseconds() {
    assertThat(new TasksVerticleOptions(new JsonObject().put("closeTimeout", 1500)).getCloseTimeout())
        .isEqualTo(Duration.ofMillis(1500));
  }

  static Stream<Arguments> mistakes() {
    String notTask = TestTasks.name(TestTasks.NotATask.class);
    String needsArgument = TestTasks.name(TestTasks.NeedsArgument.class);
    String abstractTask = TestTasks.name(TestTasks.Abstract.class);
    return Stream.of(
        arguments("unknown top-level key", "{\"adress\": \"x\"}",
            "adress: unknown key (expected one of address, eventsAddress, closeTimeout, "
                + "defaultBackoff, tasks, http, cluster, metrics)"),
        arguments("address of the wrong type", "{\"address\": 42}",
            "address: must be a string, was 42"),
        arguments("blank address", "{\"address\": \" \"}",
            "address: must not be blank, was \" \""),
        arguments("null eventsAddress", "{\"eventsAddress\": null}",
            "eventsAddress: must be a string, was null"),
        arguments("one address for both", "{\"address\": \"a\", \"eventsAddress\": \"a\"}",
            "eventsAddress: must differ from address, was \"a\""),
        arguments("bad duration", "{\"closeTimeout\": \"soon\"}",
            "closeTimeout: must be a duration such as \"500ms\", \"30s\", \"5m\" or \"PT30S\", "
                + "was \"soon\""),
        arguments("negative duration", "{\"closeTimeout\": \"-PT1S\"}",
            "closeTimeout: must be >= 0, was \"-PT1S\""),
        arguments("zero closeTimeout", "{\"closeTimeout\": \"0s\"}",
            "closeTimeout: must be > 0, was 0ms"),
        arguments("fractional milliseconds", "{\"closeTimeout\": 1.5}",
            "closeTimeout: must be a duration such as \"500ms\", \"30s\", \"5m\" or \"PT30S\", "
                + "was 1.5"),
        arguments("invalid default backoff", "{\"defaultBackoff\": {\"multiplier\": 0.5}}",
            "defaultBackoff.multiplier: must be >= 1, was 0.5"),
        arguments("unknown default backoff key", "{\"defaultBackoff\": {\"factor\": 1}}",
            "defaultBackoff.factor: unknown key (expected one of initialInterval, multiplier, "
                + "randomizationFactor, maxInterval, maxAttempts, retryOn, abortOn)"),
        arguments("default backoff not an object", "{\"defaultBackoff\": \"fast\"}",
            "defaultBackoff: must be a JSON object, was \"fast\""),
        arguments("http not an object", "{\"http\": true}",
            "http: must be a JSON object, was true"),
        arguments("tasks not an array", "{\"tasks\": {}}",
            "tasks: must be a JSON array, was a JSON object"),
        arguments("task not an object", tasks("42"),
            "tasks[0]: must be a JSON object, was 42"),
        arguments("invalid task backoff (the issue's example)",
            tasks(task("a", WAITS), task("b", WAITS),
                "{\"name\": \"c\", \"class\": \"" + WAITS + "\", \"backoff\": {\"multiplier\": 0.5}}"),
            "tasks[2].backoff.multiplier: must be >= 1, was 0.5"),
        arguments("task backoff initial above max",
            tasks("{\"name\": \"a\", \"class\": \"" + WAITS + "\", \"backoff\": "
                + "{\"initialInterval\": \"2m\", \"maxInterval\": \"1m\"}}"),
            "tasks[0].backoff.initialInterval: must be <= maxInterval (1m), was 2m"),
        arguments("task backoff attempts not whole",
            tasks("{\"name\": \"a\", \"class\": \"" + WAITS + "\", \"backoff\": {\"maxAttempts\": 1.5}}"),
            "tasks[0].backoff.maxAttempts: must be a whole number, was 1.5"),
        arguments("unknown task key", tasks("{\"name\": \"a\", \"clazz\": \"x\"}"),
            "tasks[0].clazz: unknown key (expected one of name, class, mode, autoStart, backoff, "
                + "schedule, options, config)"),
        arguments("missing name", tasks("{\"class\": \"" + WAITS + "\"}"),
            "tasks[0].name: is required"),
        arguments("name of the wrong type", tasks("{\"name\": 7, \"class\": \"" + WAITS + "\"}"),
            "tasks[0].name: must be a string, was 7"),
        arguments("name too long", tasks(task("x".repeat(513), WAITS)),
            "tasks[0].name: must be at most 512 characters, was 513"),
        arguments("duplicate name", tasks(task("a", WAITS), task("a", WAITS)),
            "tasks[1].name: duplicate: \"a\" is also the name of tasks[0]"),
        arguments("missing class", tasks("{\"name\": \"a\"}"),
            "tasks[0].class: is required (a public class implementing dev.background.Task or "
                + "dev.background.AsyncTask)"),
        arguments("unknown class", tasks(task("a", "com.example.Nope")),
            "tasks[0].class: no such class, was \"com.example.Nope\""),
        arguments("class that is not a task", tasks(task("a", notTask)),
            "tasks[0].class: must implement dev.background.Task or dev.background.AsyncTask, was \""
                + notTask + "\""),
        arguments("class without no-arg constructor", tasks(task("a", needsArgument)),
            "tasks[0].class: must have a public no-arg constructor, was \"" + needsArgument + "\""),
        arguments("abstract class", tasks(task("a", abstractTask)),
            "tasks[0].class: must be a public, concrete, top-level or static nested class, was \""
                + abstractTask + "\""),
        arguments("unknown mode", tasks("{\"name\": \"a\", \"class\": \"" + WAITS
                + "\", \"mode\": \"loop\"}"),
            "tasks[0].mode: must be \"run\", \"once\" or \"schedule\", was \"loop\""),
        arguments("autoStart not a boolean", tasks("{\"name\": \"a\", \"class\": \"" + WAITS
                + "\", \"autoStart\": \"yes\"}"),
            "tasks[0].autoStart: must be true or false, was \"yes\""),
        arguments("config not an object", tasks("{\"name\": \"a\", \"class\": \"" + WAITS
                + "\", \"config\": \"x\"}"),
            "tasks[0].config: must be a JSON object, was \"x\""),
        arguments("backoff for a once task", tasks("{\"name\": \"a\", \"class\": \"" + WAITS
                + "\", \"mode\": \"once\", \"backoff\": {}}"),
            "tasks[0].backoff: applies to mode \"run\" only"),
        arguments("unknown option", options(WAITS, "{\"restartOnFailure\": true}"),
            "tasks[0].options.restartOnFailure: unknown key (expected one of restartOnFailureOnly, "
                + "resetAfter, startDelay, runTimeout, interruptOnCancel, virtualThread, "
                + "maxRestarts, tags, singleton, critical, logLevel)"),
        arguments("option of the wrong type", options(WAITS, "{\"restartOnFailureOnly\": 1}"),
            "tasks[0].options.restartOnFailureOnly: must be true or false, was 1"),
        arguments("zero resetAfter", options(WAITS, "{\"resetAfter\": \"0s\"}"),
            "tasks[0].options.resetAfter: must be > 0, was 0ms"),
        arguments("bad runTimeout", options(WAITS, "{\"runTimeout\": \"fast\"}"),
            "tasks[0].options.runTimeout: must be a duration such as \"500ms\", \"30s\", \"5m\" or "
                + "\"PT30S\", was \"fast\""),
        arguments("negative startDelay", options(WAITS, "{\"startDelay\": -5}"),
            "tasks[0].options.startDelay: must be >= 0, was -5"),
        arguments("maxRestarts without window", options(WAITS, "{\"maxRestarts\": {\"count\": 3}}"),
            "tasks[0].options.maxRestarts.window: is required"),
        arguments("negative maxRestarts", options(WAITS,
                "{\"maxRestarts\": {\"count\": -1, \"window\": \"1m\"}}"),
            "tasks[0].options.maxRestarts.count: must be >= 0, was -1"),
        arguments("reserved tag", options(WAITS, "{\"tags\": {\"task\": \"x\"}}"),
            "tasks[0].options.tags.task: is reserved (task, kind and outcome are set by the tracker)"),
        arguments("tag value not a string", options(WAITS, "{\"tags\": {\"team\": 7}}"),
            "tasks[0].options.tags.team: must be a string, was 7"),
        arguments("run-only option on a once task", tasks("{\"name\": \"a\", \"class\": \"" + WAITS
                + "\", \"mode\": \"once\", \"options\": {\"restartOnFailureOnly\": true}}"),
            "tasks[0].options.restartOnFailureOnly: applies to restarted (run) tasks only"),
        arguments("blocking-only option on an async task",
            options(WAITS, "{\"interruptOnCancel\": true}"),
            "tasks[0].options.interruptOnCancel: applies to blocking tasks only"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void mistakeIsReportedWithItsKeyPath(String mistake, String config, String message) {
    assertThatThrownBy(() -> new TasksVerticleOptions(new JsonObject(config)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void configExceptionSplitsPathAndProblem() {
    ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() ->
        new TasksVerticleOptions(new JsonObject(tasks(task("a", WAITS),
            "{\"name\": \"b\", \"class\": \"" + WAITS + "\", \"backoff\": {\"multiplier\": 0.5}}"))));
    assertThat(e.path()).isEqualTo("tasks[1].backoff.multiplier");
    assertThat(e.problem()).isEqualTo("must be >= 1, was 0.5");
  }

  @Test
  void settersNameTheField() {
    assertThatThrownBy(() -> new TasksVerticleOptions().setCloseTimeout(Duration.ZERO))
        .hasMessage("closeTimeout: must be > 0, was 0ms");
    assertThatThrownBy(() -> new TasksVerticleOptions().setAddress(""))
        .hasMessage("address: must not be blank, was \"\"");
    assertThatThrownBy(() -> new RunOptions().setResetAfter(Duration.ofSeconds(-1)))
        .hasMessage("resetAfter: must be > 0, was -1s");
    assertThatThrownBy(() -> new TaskDeclaration().setName(" "))
        .hasMessage("name: must not be blank, was \" \"");
  }

  @Test
  void programmaticOptionsAreValidatedWithKeyPaths() {
    TasksVerticleOptions o = new TasksVerticleOptions()
        .addTask(new TaskDeclaration().setName("a").setTaskClass(TestTasks.Waits.class))
        .addTask(new TaskDeclaration().setName("b").setTaskClass(TestTasks.Waits.class)
            .setMode(TaskKind.ONCE).setOptions(new RunOptions().setResetAfter(Duration.ofSeconds(1))));

    assertThatThrownBy(o::validate)
        .hasMessage("tasks[1].options.resetAfter: applies to restarted (run) tasks only");
  }

  private static String tasks(String... tasks) {
    return "{\"tasks\": [" + List.of(tasks).stream().collect(Collectors.joining(", ")) + "]}";
  }

  private static String task(String name, String className) {
    return "{\"name\": \"" + name + "\", \"class\": \"" + className + "\"}";
  }

  private static String options(String className, String options) {
    return tasks("{\"name\": \"a\", \"class\": \"" + className + "\", \"options\": " + options + "}");
  }
}
