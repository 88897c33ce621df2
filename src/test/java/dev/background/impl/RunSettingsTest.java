package dev.background.impl;

import dev.background.RunOption;
import dev.background.TaskKind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The engine's form of a task's options: immutable, read from the typed options. */
class RunSettingsTest {

  @Test
  void everyFieldIsFinal() {
    assertThat(Arrays.stream(RunSettings.class.getDeclaredFields()).filter(f -> !f.isSynthetic()))
        .isNotEmpty()
        .allMatch(f -> Modifier.isFinal(f.getModifiers()), "final");
  }

  @Test
  void theCommonestFormsShareOneInstance() {
    assertThat(RunSettings.of("Tasks.run", TaskKind.RUN, true, new RunOption[0]))
        .isSameAs(RunSettings.of("Tasks.once", TaskKind.ONCE, false, null));
    RunSettings exact = RunSettings.of("Tasks.run", TaskKind.RUN, true, new RunOption[] {RunOption.exactName()});
    assertThat(exact).isSameAs(RunSettings.of("Tasks.once", TaskKind.ONCE, false,
        new RunOption[] {RunOption.exactName()}));
    assertThat(exact.exactName).isTrue();
  }

  @Test
  void eachOptionSetsItsField() {
    RunSettings s = RunSettings.of("Tasks.run", TaskKind.RUN, true, new RunOption[] {
        RunOption.restartOnFailureOnly(), RunOption.resetAfter(Duration.ofSeconds(1)),
        RunOption.startDelay(Duration.ofSeconds(2)), RunOption.runTimeout(Duration.ofSeconds(3)),
        RunOption.interruptOnCancel(), RunOption.maxRestarts(4, Duration.ofSeconds(5)),
        RunOption.singleton(), RunOption.tags("team", "ops"),
        RunOption.config(new JsonObject().put("n", 1))});

    assertThat(s.exactName).isFalse();
    assertThat(s.restartOnFailureOnly).isTrue();
    assertThat(s.resetAfter).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.startDelay).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.runTimeout).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.interruptOnCancel).isTrue();
    assertThat(s.maxRestarts).isEqualTo(4);
    assertThat(s.maxRestartsWindow).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.virtualThread).isFalse();
    assertThat(s.singleton).isTrue();
    assertThat(s.tags).containsOnly(entry("team", "ops"));
    assertThat(s.config).isEqualTo(new JsonObject().put("n", 1));
  }

  @Test
  void withoutOptionsThereIsNoLimitAndAReadOnlyEmptyConfig() {
    RunSettings s = RunSettings.of("Tasks.run", TaskKind.RUN, false, null);

    assertThat(s.maxRestarts).isEqualTo(-1);
    assertThat(s.tags).isEmpty();
    assertThat(s.config).isSameAs(RunSettings.EMPTY_CONFIG);
    assertThatThrownBy(() -> s.config.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anOptionThatDoesNotApplyIsRefusedNamingTheMethod() {
    assertThatThrownBy(() -> RunSettings.of("Tasks.onceAsync", TaskKind.ONCE, false,
        new RunOption[] {RunOption.singleton()}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.onceAsync: RunOption.singleton: applies to run and schedule tasks only");
  }
}
