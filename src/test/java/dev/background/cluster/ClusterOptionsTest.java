package dev.background.cluster;

import dev.background.ConfigException;
import dev.background.TasksOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The {@code cluster} section's JSON: every key reads back, and each bad value names its key. */
class ClusterOptionsTest {

  private static JsonObject everyKeySet() {
    return new JsonObject().put("enabled", true).put("replyTimeout", "1500ms")
        .put("hazelcastConfig", "conf/cluster-k8s.xml").put("host", "10.1.2.3")
        .put("eventBusPort", 5710).put("clusterName", "billing-prod").put("port", 5801)
        .put("portCount", 20).put("locks", "cp").put("singletonRetryInterval", "250ms")
        .put("nodeId", "node-a");
  }

  @Test
  void everyKeyReadsBackFromItsJson() {
    ClusterOptions options = new ClusterOptions(everyKeySet());

    assertThat(options.toJson()).isEqualTo(everyKeySet());
    assertThat(new ClusterOptions(options.toJson()).toJson()).isEqualTo(everyKeySet());
    assertThat(new ClusterOptions(options).toJson()).isEqualTo(everyKeySet());
  }

  @Test
  void theDefaultsLeaveTheFileAndTheTrackerAsTheyAre() {
    ClusterOptions defaults = new ClusterOptions(new JsonObject());

    assertThat(defaults.getClusterName()).isNull();
    assertThat(defaults.getPort()).isNull();
    assertThat(defaults.getPortCount()).isNull();
    assertThat(defaults.getEventBusPort()).isZero();
    assertThat(defaults.getSingletonRetryInterval()).isNull();
    assertThat(defaults.getNodeId()).isNull();
    assertThat(defaults.trackerSetting()).isNull();
    assertThat(new ClusterOptions(defaults.toJson()).toJson()).isEqualTo(defaults.toJson());
  }

  @Test
  void jsonNullIsTheDefaultOfTheKeysThatMayBeUnset() {
    JsonObject nulls = new JsonObject().put("clusterName", null).put("port", null)
        .put("portCount", null).put("singletonRetryInterval", null).put("nodeId", null);

    assertThat(new ClusterOptions(nulls).toJson()).isEqualTo(new ClusterOptions().toJson());
  }

  @Test
  void theTrackerSettingsAreAppliedToTheTrackersOptions() {
    TasksOptions tracker = new ClusterOptions().setSingletonRetryInterval(Duration.ofMillis(250))
        .setNodeId("node-a").applyTo(new TasksOptions());

    assertThat(tracker.getSingletonRetryInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(tracker.getNodeId()).isEqualTo("node-a");
  }

  @Test
  void unsetTrackerSettingsLeaveTheTrackersOptionsAlone() {
    TasksOptions tracker = new ClusterOptions().applyTo(new TasksOptions()
        .setSingletonRetryInterval(Duration.ofSeconds(3)).setNodeId("mine"));

    assertThat(tracker.getSingletonRetryInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(tracker.getNodeId()).isEqualTo("mine");
  }

  @Test
  void theFirstTrackerSettingSetIsNamed() {
    assertThat(new ClusterOptions().setNodeId("n").trackerSetting()).isEqualTo("nodeId");
    assertThat(new ClusterOptions().setNodeId("n").setSingletonRetryInterval(Duration.ofSeconds(2))
        .trackerSetting()).isEqualTo("singletonRetryInterval");
    assertThat(new ClusterOptions().setNodeId("n").setLocks("cp").trackerSetting()).isEqualTo("locks");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        arguments("eventBusPort", -1, "must be between 0 and 65535, was -1"),
        arguments("eventBusPort", 65536, "must be between 0 and 65535, was 65536"),
        arguments("eventBusPort", "5710", "must be a whole number, was \"5710\""),
        arguments("clusterName", " ", "must be 1 to 200 non-blank characters, was \" \""),
        arguments("clusterName", 7, "must be a string, was 7"),
        arguments("port", 0, "must be between 1 and 65535, was 0"),
        arguments("port", 70000, "must be between 1 and 65535, was 70000"),
        arguments("port", 5701.5, "must be a whole number, was 5701.5"),
        arguments("portCount", 0, "must be between 1 and 65535, was 0"),
        arguments("portCount", new JsonArray(), "must be a whole number, was a JSON array"),
        arguments("singletonRetryInterval", "5ms", "must be between 10ms and 1m, was 5ms"),
        arguments("singletonRetryInterval", "2m", "must be between 10ms and 1m, was 2m"),
        arguments("singletonRetryInterval", true,
            "must be a duration such as \"500ms\", \"30s\", \"5m\" or \"PT30S\", was true"),
        arguments("nodeId", "", "must be 1 to 200 non-blank characters, was \"\""),
        arguments("nodeId", new JsonObject(), "must be a string, was a JSON object"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badValues")
  void aBadValueIsAConfigExceptionAtItsKey(String key, Object value, String problem) {
    Throwable t = catchThrowable(() -> new ClusterOptions(new JsonObject().put(key, value)));

    assertThat(t).isInstanceOf(ConfigException.class).hasMessage(key + ": " + problem);
  }

  @Test
  void anUnknownKeyListsTheNewKeys() {
    Throwable t = catchThrowable(() -> new ClusterOptions(new JsonObject().put("clustername", "x")));

    assertThat(t).isInstanceOf(ConfigException.class).hasMessage("clustername: unknown key (expected "
        + "one of enabled, replyTimeout, hazelcastConfig, host, eventBusPort, clusterName, port, "
        + "portCount, locks, singletonRetryInterval, nodeId)");
  }
}
