package dev.background.reliability;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/**
 * Awaitility set up for tests that wait many times: the first check at once, then every 2 ms
 * (Awaitility's default of 100 ms would make a property of 100 tries last 10 s), at most 10 s.
 */
final class Waiting {

  /** The generous bound of every wait in these tests. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private Waiting() {
  }

  static ConditionFactory quickly() {
    return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(WAIT);
  }
}
