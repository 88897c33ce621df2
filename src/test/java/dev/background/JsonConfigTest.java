package dev.background;

import dev.background.cluster.ClusterOptions;
import dev.background.verticle.RunOptions;
import dev.background.verticle.TaskDeclaration;
import dev.background.verticle.TasksVerticleOptions;
import dev.background.web.TasksWebOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The one strict JSON reader, the one exception with a key path and the one value describer:
 * every options class reports a mistake the same way.
 */
class JsonConfigTest {

  @Test
  void describeQuotesAndCutsStrings() {
    assertThat(JsonConfig.describe("abc")).isEqualTo("\"abc\"");
    assertThat(JsonConfig.describe("x".repeat(1_000_000)))
        .isEqualTo("\"" + "x".repeat(64) + "...\" (1000000 characters)");
  }

  @Test
  void describeNamesContainersByKindAndBytesBySize() {
    assertThat(JsonConfig.describe(null)).isEqualTo("null");
    assertThat(JsonConfig.describe(new JsonObject().put("secret", "s"))).isEqualTo("a JSON object");
    assertThat(JsonConfig.describe(Map.of("k", "v"))).isEqualTo("a JSON object");
    assertThat(JsonConfig.describe(new JsonArray().add(1))).isEqualTo("a JSON array");
    assertThat(JsonConfig.describe(List.of(1))).isEqualTo("a JSON array");
    assertThat(JsonConfig.describe(Buffer.buffer("hello"))).isEqualTo("a buffer of 5 bytes");
    assertThat(JsonConfig.describe(new byte[3])).isEqualTo("a byte array of 3 bytes");
  }

  @Test
  void describeWritesScalarsAsTheyAreAndDurationsInTheConfigurationSyntax() {
    assertThat(JsonConfig.describe(42)).isEqualTo("42");
    assertThat(JsonConfig.describe(0.5)).isEqualTo("0.5");
    assertThat(JsonConfig.describe(true)).isEqualTo("true");
    assertThat(JsonConfig.describe(Duration.ofSeconds(-1))).isEqualTo("-1s");
    assertThat(JsonConfig.describe(Duration.ofNanos(1))).isEqualTo("PT0.000000001S");
  }

  @Test
  void wholeNumbersAreWholeAndFitAnInt() {
    assertThat(JsonConfig.wholeNumber("n", 3.0)).isEqualTo(3);
    assertThat(catchThrowable(() -> JsonConfig.wholeNumber("n", 1.5)))
        .hasMessage("n: must be a whole number, was 1.5");
    assertThat(catchThrowable(() -> JsonConfig.wholeNumber("n", "3")))
        .hasMessage("n: must be a whole number, was \"3\"");
    assertThat(catchThrowable(() -> JsonConfig.wholeNumber("n", 1L << 40)))
        .hasMessage("n: must be a whole number from -2147483648 to 2147483647, was 1099511627776");
  }

  @Test
  void aPathIsReRootedWithoutReadingTheMessage() {
    ConfigException e = new ConfigException("RunOption.maxRestarts.count", "must be >= 0, was -1: odd");

    assertThat(e.relativeTo("RunOption").under("tasks[0].options"))
        .hasMessage("tasks[0].options.maxRestarts.count: must be >= 0, was -1: odd")
        .extracting(ConfigException::problem).isEqualTo("must be >= 0, was -1: odd");
    assertThat(e.relativeTo("Other")).isSameAs(e);
  }

  /** One wrong type, read by each options class: same problem, at its key. */
  static Stream<Arguments> readers() {
    return Stream.of(
        arguments("TasksOptions", (Function<JsonObject, Object>) TasksOptions::new),
        arguments("TasksWebOptions", (Function<JsonObject, Object>) TasksWebOptions::new),
        arguments("ClusterOptions", (Function<JsonObject, Object>) ClusterOptions::new),
        arguments("RunOptions", (Function<JsonObject, Object>) RunOptions::new),
        arguments("TaskDeclaration", (Function<JsonObject, Object>) TaskDeclaration::new),
        arguments("TasksVerticleOptions", (Function<JsonObject, Object>) TasksVerticleOptions::new),
        arguments("Backoff", (Function<JsonObject, Object>) json -> Backoff.fromJson(json, Backoff.defaults())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readers")
  void everyOptionsClassRefusesAnUnknownKeyTheSameWay(String name, Function<JsonObject, Object> read) {
    Throwable t = catchThrowable(() -> read.apply(new JsonObject().put("bogus", 1)));

    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) t).path()).isEqualTo("bogus");
    assertThat(((ConfigException) t).problem()).startsWith("unknown key (expected one of ");
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        arguments((Function<JsonObject, Object>) TasksOptions::new, "closeTimeout", new JsonArray(),
            "must be a duration such as \"500ms\", \"30s\", \"5m\" or \"PT30S\", was a JSON array"),
        arguments((Function<JsonObject, Object>) TasksOptions::new, "historySize", "50",
            "must be a whole number, was \"50\""),
        arguments((Function<JsonObject, Object>) TasksOptions::new, "historySize", 5000,
            "must be between 0 and 1000, was 5000"),
        arguments((Function<JsonObject, Object>) TasksOptions::new, "nodeId", 7,
            "must be a string, was 7"),
        arguments((Function<JsonObject, Object>) TasksWebOptions::new, "enabled", "yes",
            "must be true or false, was \"yes\""),
        arguments((Function<JsonObject, Object>) ClusterOptions::new, "enabled", "yes",
            "must be true or false, was \"yes\""),
        arguments((Function<JsonObject, Object>) ClusterOptions::new, "replyTimeout", "0s",
            "must be > 0, was 0ms"),
        arguments((Function<JsonObject, Object>) ClusterOptions::new, "locks", new JsonObject(),
            "must be a string, was a JSON object"),
        arguments((Function<JsonObject, Object>) RunOptions::new, "singleton", "yes",
            "must be true or false, was \"yes\""),
        arguments((Function<JsonObject, Object>) json -> Backoff.fromJson(json, Backoff.defaults()),
            "multiplier", 0.5, "must be >= 1, was 0.5"));
  }

  @ParameterizedTest(name = "{1}: {3}")
  @MethodSource("wrongTypes")
  void aBadValueIsAConfigExceptionAtItsKey(Function<JsonObject, Object> read, String key, Object value,
      String problem) {
    Throwable t = catchThrowable(() -> read.apply(new JsonObject().put(key, value)));

    assertThat(t).isInstanceOf(ConfigException.class).hasMessage(key + ": " + problem);
  }
}
