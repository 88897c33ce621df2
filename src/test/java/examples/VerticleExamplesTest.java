package examples;

import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The documentation's snippets work as written. */
@ExtendWith(VertxExtension.class)
class VerticleExamplesTest {

  @Test
  void snippetsRun(Vertx vertx) {
    VerticleExamples.printEvents(vertx).await();
    String id = VerticleExamples.deploy(vertx).await();
    await().atMost(Duration.ofSeconds(10)).until(() -> Tasks.of(vertx).status("heartbeat").isPresent());

    assertThat(VerticleExamples.pause(vertx, "heartbeat").await().paused()).isTrue();
    JsonObject resumed = VerticleExamples.pauseByHand(vertx, "heartbeat").await();
    assertThat(resumed.getBoolean("paused")).isTrue();

    vertx.undeploy(id).await();
  }
}
