package dev.background.demo;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code --host}: the event-bus host from the command line (in Kubernetes, the pod's IP). */
class DemoHostArgumentTest {

  @Test
  void hostSetsTheClusterHostOverTheConfigFile() {
    JsonObject file = new JsonObject().put("cluster", new JsonObject().put("enabled", true)
        .put("host", "127.0.0.1").put("eventBusPort", 5710));

    JsonObject config = DemoMain.applyArguments(file,
        DemoMain.arguments(new String[] {"--host", "10.1.2.3"}));

    assertThat(config.getJsonObject("cluster")).isEqualTo(new JsonObject().put("enabled", true)
        .put("host", "10.1.2.3").put("eventBusPort", 5710));
    assertThat(file.getJsonObject("cluster").getString("host")).isEqualTo("127.0.0.1");
  }

  @Test
  void hostAloneDoesNotTurnTheClusterOn() {
    JsonObject config = DemoMain.applyArguments(new JsonObject(),
        DemoMain.arguments(new String[] {"--host", "10.1.2.3"}));

    assertThat(config.getJsonObject("cluster")).isEqualTo(new JsonObject().put("host", "10.1.2.3"));
  }

  @Test
  void hostWithoutAValueIsAnUnexpectedArgument() {
    assertThat(catchThrowable(() -> DemoMain.arguments(new String[] {"--host"})))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unexpected argument: --host");
  }
}
