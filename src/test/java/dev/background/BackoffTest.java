package dev.background;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

  @Test
  void defaultsAreThoseOfTheSeed() {
    Backoff b = Backoff.defaults();
    assertThat(b.initialInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(b.multiplier()).isEqualTo(2.0);
    assertThat(b.randomizationFactor()).isEqualTo(0.5);
    assertThat(b.maxInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(b.maxAttempts()).isZero();
  }

  @Test
  void intervalsGrowByTheMultiplierUpToTheMaximum() {
    Backoff b = Backoff.builder().initialInterval(Duration.ofMillis(100)).multiplier(3)
        .maxInterval(Duration.ofSeconds(2)).build();
    assertThat(b.intervalMillis(1)).isEqualTo(100);
    assertThat(b.intervalMillis(2)).isEqualTo(300);
    assertThat(b.intervalMillis(3)).isEqualTo(900);
    assertThat(b.intervalMillis(4)).isEqualTo(2000);
    assertThat(b.intervalMillis(1000)).isEqualTo(2000);
  }

  @Test
  void delaysAreDrawnWithinTheRandomizationRange() {
    Backoff b = Backoff.builder().initialInterval(Duration.ofMillis(1000)).randomizationFactor(0.5).build();
    assertThat(b.delayMillis(1, 0.0)).isEqualTo(500);
    assertThat(b.delayMillis(1, 0.5)).isEqualTo(1000);
    assertThat(b.delayMillis(1, 0.999999)).isEqualTo(1500);
    for (int i = 0; i < 1000; i++) {
      assertThat(b.delayMillis(2)).isBetween(1000L, 3000L);
    }
  }

  @Test
  void fixedAlwaysWaitsTheSame() {
    Backoff b = Backoff.fixed(Duration.ofMillis(20));
    for (int n = 1; n < 50; n++) {
      assertThat(b.delayMillis(n)).isEqualTo(20);
    }
  }

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        Arguments.of("multiplier below 1", (Supplier<Backoff>) () -> Backoff.builder().multiplier(0.5).build(),
            "multiplier: must be >= 1, was 0.5"),
        Arguments.of("NaN multiplier", (Supplier<Backoff>) () -> Backoff.builder().multiplier(Double.NaN).build(),
            "multiplier: must be >= 1, was NaN"),
        Arguments.of("negative factor", (Supplier<Backoff>) () -> Backoff.builder().randomizationFactor(-0.1).build(),
            "randomizationFactor: must be between 0 and 1, was -0.1"),
        Arguments.of("factor above 1", (Supplier<Backoff>) () -> Backoff.builder().randomizationFactor(1.5).build(),
            "randomizationFactor: must be between 0 and 1, was 1.5"),
        Arguments.of("zero initial", (Supplier<Backoff>) () -> Backoff.builder().initialInterval(Duration.ZERO).build(),
            "initialInterval: must be > 0, was 0ms"),
        Arguments.of("null initial", (Supplier<Backoff>) () -> Backoff.builder().initialInterval(null).build(),
            "initialInterval: must be set, was null"),
        Arguments.of("negative max", (Supplier<Backoff>) () -> Backoff.builder().maxInterval(Duration.ofMillis(-5)).build(),
            "maxInterval: must be > 0, was -5ms"),
        Arguments.of("initial above max", (Supplier<Backoff>) () -> Backoff.builder()
            .initialInterval(Duration.ofMinutes(2)).maxInterval(Duration.ofMinutes(1)).build(),
            "initialInterval: must be <= maxInterval (1m), was 2m"),
        Arguments.of("negative attempts", (Supplier<Backoff>) () -> Backoff.builder().maxAttempts(-1).build(),
            "maxAttempts: must be >= 0, was -1"),
        Arguments.of("fixed zero", (Supplier<Backoff>) () -> Backoff.fixed(Duration.ZERO),
            "initialInterval: must be > 0, was 0ms"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void invalidPolicyIsRejectedWithAMessageNamingFieldAndValue(String name, Supplier<Backoff> build,
      String message) {
    assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void jsonRoundTripKeepsEveryField() {
    Backoff b = Backoff.builder().initialInterval(Duration.ofMillis(250)).multiplier(1.5)
        .randomizationFactor(0.2).maxInterval(Duration.ofMinutes(5)).maxAttempts(7).build();
    assertThat(Backoff.fromJson(b.toJson(), Backoff.defaults())).isEqualTo(b);
  }

  @Test
  void jsonAcceptsEveryDurationForm() {
    JsonObject json = new JsonObject().put("initialInterval", "PT0.5S").put("maxInterval", "5m");
    Backoff b = Backoff.fromJson(json, Backoff.defaults());
    assertThat(b.initialInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(b.maxInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(Backoff.fromJson(new JsonObject().put("initialInterval", 40), Backoff.defaults())
        .initialInterval()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void jsonErrorsNameTheKey() {
    assertThatThrownBy(() -> Backoff.fromJson(new JsonObject().put("multiplier", "x"), Backoff.defaults()))
        .hasMessage("multiplier: must be a number, was \"x\"");
    assertThatThrownBy(() -> Backoff.fromJson(new JsonObject().put("speed", 1), Backoff.defaults()))
        .hasMessageStartingWith("speed: unknown key");
    assertThatThrownBy(() -> Backoff.fromJson(new JsonObject().put("maxInterval", "soon"), Backoff.defaults()))
        .hasMessageStartingWith("maxInterval: must be a duration");
    assertThatThrownBy(() -> Backoff.fromJson(new JsonObject().put("maxAttempts", 1.5), Backoff.defaults()))
        .hasMessage("maxAttempts: must be a whole number, was 1.5");
  }
}
