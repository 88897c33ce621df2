package examples;

import dev.background.TaskState;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class QuickStartTest {

  @Test
  void theReadmeExampleRunsAndClosesCleanly(Vertx vertx) {
    Tasks tasks = Tasks.of(vertx);

    QuickStart.main(vertx).await();

    assertThat(tasks.isClosed()).isTrue();
    assertThat(tasks.list()).hasSize(2).allMatch(s -> s.state().isTerminal());
    assertThat(tasks.status("poller").orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
  }
}
