package dev.background.impl;

import java.util.ArrayDeque;

/**
 * The {@code maxRestarts(n, window)} rule: a task gives up when it would restart more than
 * {@code n} times within any {@code window}. Remembers the times of the restarts still inside the
 * window. Not thread-safe: guarded by its supervisor's monitor.
 */
final class RestartIntensity {

  private final int maxRestarts;
  private final long windowMillis;
  private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();

  RestartIntensity(int maxRestarts, long windowMillis) {
    this.maxRestarts = maxRestarts;
    this.windowMillis = windowMillis;
  }

  /**
   * Whether a restart at {@code nowMillis} would exceed the limit; when it would not, the restart
   * is counted.
   */
  boolean exceeded(long nowMillis) {
    long oldest = nowMillis - Math.min(nowMillis, windowMillis);
    while (!restartTimes.isEmpty() && restartTimes.peekFirst() <= oldest) {
      restartTimes.pollFirst();
    }
    if (restartTimes.size() >= maxRestarts) {
      return true;
    }
    restartTimes.addLast(nowMillis);
    return false;
  }
}
