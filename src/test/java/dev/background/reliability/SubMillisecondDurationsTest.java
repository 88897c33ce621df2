package dev.background.reliability;

import dev.background.Backoff;
import dev.background.TasksOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON forms that {@code toJson()} promises to be readable back: durations that are not a whole
 * number of milliseconds must neither read back as another value nor be refused ("0ms").
 */
class SubMillisecondDurationsTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 500_000, 999_999, 1_500_000, 60_000_000_001L})
  void aBackoffWithSubMillisecondIntervalsReadsBackEqual(long nanos) {
    Backoff b = Backoff.builder().initialInterval(Duration.ofNanos(nanos))
        .maxInterval(Duration.ofNanos(nanos).multipliedBy(3)).build();

    assertThat(Backoff.fromJson(b.toJson(), Backoff.defaults())).isEqualTo(b);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 500_000, 1_500_000})
  void aCloseTimeoutWithSubMillisecondPartsReadsBackEqual(long nanos) {
    TasksOptions o = new TasksOptions().setCloseTimeout(Duration.ofNanos(nanos));

    JsonObject json = new JsonObject().put("closeTimeout", o.toJson().getValue("closeTimeout"));

    assertThat(new TasksOptions(json).getCloseTimeout()).isEqualTo(o.getCloseTimeout());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 250, 1000, 60_000, 90_000, 3_600_000})
  void wholeMillisecondsKeepTheirShortForm(long millis) {
    Backoff b = Backoff.fixed(Duration.ofMillis(millis));

    assertThat(b.toJson().getString("initialInterval")).doesNotStartWith("PT");
    assertThat(Backoff.fromJson(b.toJson(), Backoff.defaults())).isEqualTo(b);
  }
}
