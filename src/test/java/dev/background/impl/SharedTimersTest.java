package dev.background.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.background.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Timers due in the same millisecond share one clock timer, and none fires early. */
class SharedTimersTest {

  private final TestClock clock = new TestClock();
  private final SharedTimers timers = new SharedTimers(clock);
  private final List<String> fired = new ArrayList<>();

  private SharedTimers.Target recorder(String name) {
    return ticket -> fired.add(name + "#" + ticket);
  }

  private long arm(long delayNanos, String name) {
    return timers.arm(timers.dueMillis(delayNanos), recorder(name));
  }

  @Test
  void aTimerFiresOnceItsDelayHasPassedAndNotBefore() {
    long ticket = arm(Duration.ofSeconds(1).toNanos(), "a");

    clock.advance(Duration.ofMillis(999));
    assertThat(fired).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(fired).containsExactly("a#" + ticket);
  }

  @Test
  void timersDueInTheSameMillisecondShareOneClockTimerAndFireInTheOrderSet() {
    long a = arm(5_000_000, "a");
    long b = arm(4_400_000, "b");
    long c = arm(5_000_000, "c");

    assertThat(clock.pendingTimers()).isEqualTo(1);
    clock.advance(Duration.ofMillis(5));
    assertThat(fired).containsExactly("a#" + a, "b#" + b, "c#" + c);
  }

  @Test
  void aDueTimeInsideAMillisecondIsRoundedUpToTheNextWholeOne() {
    clock.advance(Duration.ofNanos(300_000));
    long due = timers.dueMillis(1_000_000); // due at 1.3 ms
    timers.arm(due, recorder("a"));

    assertThat(due).isEqualTo(2);
    clock.advance(Duration.ofNanos(1_690_000)); // 1.99 ms
    assertThat(fired).isEmpty();
    clock.advance(Duration.ofNanos(310_000)); // 2.3 ms: the clock's timers count whole ms from now
    assertThat(fired).hasSize(1);
  }

  @Test
  void timersDueInDifferentMillisecondsFireInDueOrder() {
    long late = arm(3_000_000, "late");
    long early = arm(1_000_000, "early");

    assertThat(clock.pendingTimers()).isEqualTo(2);
    clock.advance(Duration.ofMillis(3));
    assertThat(fired).containsExactly("early#" + early, "late#" + late);
  }

  @Test
  void aCancelledTimerDoesNotFireWhileTheOthersOfItsMillisecondDo() {
    long a = arm(2_000_000, "a");
    long due = timers.dueMillis(2_000_000);
    long b = timers.arm(due, recorder("b"));

    timers.cancel(due, a);
    clock.advance(Duration.ofMillis(2));
    assertThat(fired).containsExactly("b#" + b);
  }

  @Test
  void cancellingTheLastTimerOfAMillisecondCancelsItsClockTimer() {
    long due = timers.dueMillis(Duration.ofDays(1).toNanos());
    long a = timers.arm(due, recorder("a"));
    long b = timers.arm(due, recorder("b"));

    timers.cancel(due, a);
    assertThat(clock.pendingTimers()).isEqualTo(1);
    timers.cancel(due, b);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aCancelAfterTheTimerFiredChangesNothing() {
    long due = timers.dueMillis(1_000_000);
    long a = timers.arm(due, recorder("a"));
    clock.advance(Duration.ofMillis(1));

    long b = timers.arm(due + 1, recorder("b"));
    timers.cancel(due, a);
    clock.advance(Duration.ofMillis(1));
    assertThat(fired).containsExactly("a#" + a, "b#" + b);
  }

  @Test
  void aTargetThatThrowsDoesNotCostTheOthersOfItsMillisecondTheirFire() {
    long due = timers.dueMillis(1_000_000);
    timers.arm(due, ticket -> {
      throw new IllegalStateException("boom");
    });
    long b = timers.arm(due, recorder("b"));

    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(1)))
        .hasMessage("boom");
    assertThat(fired).containsExactly("b#" + b);
  }

  @Test
  void aTargetMayArmItsNextTimerWhileItsTimerFires() {
    SharedTimers.Target[] chain = new SharedTimers.Target[1];
    chain[0] = ticket -> {
      fired.add("tick");
      if (fired.size() < 3) {
        timers.arm(timers.dueMillis(1_000_000), chain[0]);
      }
    };
    timers.arm(timers.dueMillis(1_000_000), chain[0]);

    clock.advance(Duration.ofMillis(10));
    assertThat(fired).containsExactly("tick", "tick", "tick");
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aDelayBeyondTheClocksRangeIsSaturatedNotOverflowed() {
    long due = timers.dueMillis(Long.MAX_VALUE);
    timers.arm(due, recorder("far"));

    assertThat(due).isPositive();
    clock.advance(Duration.ofDays(365));
    assertThat(fired).isEmpty();
  }
}
