package dev.background.verticle;

import dev.background.Backoff;
import dev.background.ConfigException;
import dev.background.RunOption;
import dev.background.Tasks;
import dev.background.TestTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each rule of the run options is written once, in {@link RunOption}: a bad value, or an option
 * given to a task it does not apply to, gives the same problem whether it comes through the Java
 * API or through a declared task's JSON {@code options}; only the path differs.
 */
@ExtendWith(VertxExtension.class)
class RunOptionRulesTest {

  private static final String ASYNC = TestTasks.name(TestTasks.Waits.class);
  private static final String BLOCKING = TestTasks.name(TestTasks.BlockingEnds.class);

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        arguments((Supplier<RunOption>) () -> RunOption.resetAfter(Duration.ZERO),
            "{\"resetAfter\": \"0s\"}", "resetAfter", "must be > 0, was 0ms"),
        arguments((Supplier<RunOption>) () -> RunOption.runTimeout(Duration.ZERO),
            "{\"runTimeout\": 0}", "runTimeout", "must be > 0, was 0ms"),
        arguments((Supplier<RunOption>) () -> RunOption.maxRestarts(-1, Duration.ofMinutes(1)),
            "{\"maxRestarts\": {\"count\": -1, \"window\": \"1m\"}}", "maxRestarts.count",
            "must be >= 0, was -1"),
        arguments((Supplier<RunOption>) () -> RunOption.maxRestarts(1, Duration.ZERO),
            "{\"maxRestarts\": {\"count\": 1, \"window\": \"0ms\"}}", "maxRestarts.window",
            "must be > 0, was 0ms"),
        arguments((Supplier<RunOption>) () -> RunOption.tags("kind", "x"),
            "{\"tags\": {\"kind\": \"x\"}}", "tags.kind",
            "is reserved (task, kind and outcome are set by the tracker)"),
        arguments((Supplier<RunOption>) () -> RunOption.tags(" ", "x"),
            "{\"tags\": {\" \": \"x\"}}", "tags", "keys must not be blank, was \" \""),
        arguments((Supplier<RunOption>) () -> RunOption.logLevel("loud"),
            "{\"logLevel\": \"loud\"}", "logLevel",
            "must be one of \"warn\", \"info\", \"debug\", was \"loud\""));
  }

  @ParameterizedTest(name = "{2}: {3}")
  @MethodSource("badValues")
  void aBadValueHasOneProblemFromTheApiAndFromJson(Supplier<RunOption> api, String json, String key,
      String problem) {
    ConfigException fromApi = (ConfigException) catchThrowable(api::get);
    ConfigException fromOptions = (ConfigException) catchThrowable(() -> new RunOptions(new JsonObject(json)));
    ConfigException fromConfig = (ConfigException) catchThrowable(() ->
        new TasksVerticleOptions(config(declaration("run", ASYNC).put("options", new JsonObject(json)))));

    assertThat(fromApi.path()).isEqualTo("RunOption." + key);
    assertThat(fromOptions.path()).isEqualTo(key);
    assertThat(fromConfig.path()).isEqualTo("tasks[0].options." + key);
    assertThat(Stream.of(fromApi, fromOptions, fromConfig).map(ConfigException::problem))
        .containsOnly(problem);
  }

  @Test
  void aSetterOfTheJsonFormRefusesWhatTheOptionRefuses() {
    ConfigException fromApi = (ConfigException) catchThrowable(() -> RunOption.startDelay(Duration.ofMillis(-5)));
    ConfigException fromSetter = (ConfigException) catchThrowable(() ->
        new RunOptions().setStartDelay(Duration.ofMillis(-5)));

    assertThat(fromSetter.path()).isEqualTo("startDelay");
    assertThat(fromSetter.problem()).isEqualTo(fromApi.problem()).isEqualTo("must be >= 0, was -5ms");
  }

  static Stream<Arguments> misplacedOptions() {
    return Stream.of(
        arguments("once", BLOCKING, "{\"resetAfter\": \"1s\"}", "resetAfter",
            "applies to restarted (run) tasks only"),
        arguments("once", BLOCKING, "{\"restartOnFailureOnly\": true}", "restartOnFailureOnly",
            "applies to restarted (run) tasks only"),
        arguments("once", ASYNC, "{\"maxRestarts\": {\"count\": 1, \"window\": \"1m\"}}", "maxRestarts",
            "applies to restarted (run) tasks only"),
        arguments("once", ASYNC, "{\"singleton\": true}", "singleton",
            "applies to run and schedule tasks only"),
        arguments("run", ASYNC, "{\"interruptOnCancel\": true}", "interruptOnCancel",
            "applies to blocking tasks only"));
  }

  @ParameterizedTest(name = "{0} {3}")
  @MethodSource("misplacedOptions")
  void anOptionThatDoesNotApplyHasOneProblemFromTheApiAndFromJson(String mode, String className,
      String json, String key, String problem) {
    RunOption option = new RunOptions(new JsonObject(json)).toRunOptions().get(0);
    Throwable fromApi = catchThrowable(() -> submit(mode, className.equals(BLOCKING), option));
    ConfigException fromConfig = (ConfigException) catchThrowable(() ->
        new TasksVerticleOptions(config(declaration(mode, className).put("options", new JsonObject(json)))));

    String method = (mode.equals("run") ? "Tasks.run" : "Tasks.once")
        + (className.equals(BLOCKING) ? "" : "Async");
    assertThat(fromApi).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(method + ": RunOption." + key + ": " + problem);
    assertThat(fromConfig.path()).isEqualTo("tasks[0].options." + key);
    assertThat(fromConfig.problem()).isEqualTo(problem);
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void virtualThreadsNeedJava21FromTheApiAndFromJson() {
    assumeThat(Runtime.version().feature()).as("the default test JVM is Java 17").isLessThan(21);
    ConfigException fromApi = (ConfigException) catchThrowable(RunOption::virtualThread);
    ConfigException fromConfig = (ConfigException) catchThrowable(() -> new TasksVerticleOptions(
        config(declaration("run", BLOCKING).put("options", new JsonObject().put("virtualThread", true)))));

    assertThat(fromApi.path()).isEqualTo("RunOption.virtualThread");
    assertThat(fromConfig.path()).isEqualTo("tasks[0].options.virtualThread");
    assertThat(fromConfig.problem()).isEqualTo(fromApi.problem())
        .startsWith("this JVM (Java " + Runtime.version().feature() + ") has no virtual threads");
  }

  @Test
  void everyOptionButNameAndConfigHasAJsonKeyNamedAfterIt() {
    // exactName is implied by a declaration (names are verbatim), config has its own key there.
    assertThat(Arrays.stream(RunOption.class.getPermittedSubclasses()).map(Class::getSimpleName)
        .map(n -> Character.toLowerCase(n.charAt(0)) + n.substring(1)))
        .containsExactlyInAnyOrderElementsOf(Stream.concat(RunOptions.KEYS.stream(),
            Stream.of("exactName", "config")).toList());
  }

  @Test
  void theJsonFormReadsBackToEqualOptions() {
    JsonObject json = new JsonObject().put("restartOnFailureOnly", true).put("resetAfter", "1m")
        .put("startDelay", 250).put("runTimeout", "PT30S").put("interruptOnCancel", true)
        .put("singleton", true).put("maxRestarts", new JsonObject().put("count", 5).put("window", "1m"))
        .put("tags", new JsonObject().put("team", "ops"));

    RunOptions read = new RunOptions(json);

    assertThat(read.toRunOptions()).containsExactly(RunOption.restartOnFailureOnly(),
        RunOption.resetAfter(Duration.ofMinutes(1)), RunOption.startDelay(Duration.ofMillis(250)),
        RunOption.runTimeout(Duration.ofSeconds(30)), RunOption.interruptOnCancel(),
        RunOption.maxRestarts(5, Duration.ofMinutes(1)), RunOption.singleton(), RunOption.tags("team", "ops"));
    assertThat(new RunOptions(read.toJson()).toRunOptions()).isEqualTo(read.toRunOptions());
  }

  @Test
  void criticalAndLogLevelReadBackAndAreLeftOutWhenUnset() {
    RunOptions read = new RunOptions(new JsonObject().put("critical", false).put("logLevel", "INFO"));

    assertThat(read.toRunOptions()).containsExactly(RunOption.critical(false),
        RunOption.logLevel("info"));
    assertThat(read.toJson().getBoolean("critical")).isFalse();
    assertThat(read.toJson().getString("logLevel")).isEqualTo("info");
    assertThat(new RunOptions(read.toJson()).toRunOptions()).isEqualTo(read.toRunOptions());
    assertThat(new RunOptions().toJson().containsKey("critical")).isFalse();
    assertThat(new RunOptions().toJson().containsKey("logLevel")).isFalse();
  }

  private void submit(String mode, boolean blocking, RunOption option) {
    if (mode.equals("run")) {
      if (blocking) {
        tasks.run("t", ctx -> {
        }, Backoff.defaults(), option);
      } else {
        tasks.runAsync("t", ctx -> ctx.onCancel(), Backoff.defaults(), option);
      }
    } else if (blocking) {
      tasks.once("t", ctx -> {
      }, option);
    } else {
      tasks.onceAsync("t", ctx -> ctx.onCancel(), option);
    }
  }

  private static JsonObject declaration(String mode, String className) {
    return new JsonObject().put("name", "a").put("class", className).put("mode", mode)
        .put("autoStart", false);
  }

  private static JsonObject config(JsonObject declaration) {
    return new JsonObject().put("tasks", new JsonArray().add(declaration));
  }
}
