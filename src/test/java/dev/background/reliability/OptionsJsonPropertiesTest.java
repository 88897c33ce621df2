package dev.background.reliability;

import dev.background.TasksOptions;
import dev.background.web.TasksWebOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every valid options object reads back from its own {@code toJson()} unchanged. */
class OptionsJsonPropertiesTest {

  @Property(tries = 300)
  void tasksOptionsReadBackFromTheirJson(@ForAll("tasksOptions") TasksOptions o) {
    TasksOptions back = new TasksOptions(o.toJson());

    assertThat(back.toJson()).isEqualTo(o.toJson());
    assertThat(back.getCloseTimeout()).isEqualTo(o.getCloseTimeout());
    assertThat(back.getNodeId()).isEqualTo(o.getNodeId());
  }

  @Property(tries = 300)
  void webOptionsReadBackFromTheirJson(@ForAll("webOptions") TasksWebOptions o) {
    assertThat(new TasksWebOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
  }

  @Provide
  Arbitrary<TasksOptions> tasksOptions() {
    return Combinators.combine(
        Arbitraries.longs().between(1, 86_400_000L).map(Duration::ofMillis),
        Arbitraries.integers().between(0, 1000),
        Arbitraries.longs().between(10, 60_000).map(Duration::ofMillis),
        Arbitraries.strings().alpha().numeric().withChars('-', '.').ofMinLength(1).ofMaxLength(40)
            .injectNull(0.5))
        .as((close, history, retry, node) -> new TasksOptions().setCloseTimeout(close)
            .setHistorySize(history).setSingletonRetryInterval(retry).setNodeId(node));
  }

  @Provide
  Arbitrary<TasksWebOptions> webOptions() {
    return Combinators.combine(
        Arbitraries.of(true, false),
        Arbitraries.of("127.0.0.1", "localhost", "::1", "127.0.0.2"),
        Arbitraries.integers().between(0, 65535),
        Arbitraries.of("/", "/ops", "/admin/background"),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64).injectNull(0.5))
        .as((enabled, host, port, root, token) -> new TasksWebOptions().setEnabled(enabled)
            .setHost(host).setPort(port).setRoot(root).setControlToken(token));
  }
}
