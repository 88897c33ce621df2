package examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's test-clock example passes as written. */
@ExtendWith(VertxExtension.class)
class TestClockExampleTest {

  @Test
  void theReadmeTestClockExamplePasses(Vertx vertx) {
    TestClockExample.pollerRetriesAfterOneThenTwoMinutes(vertx);
  }
}
