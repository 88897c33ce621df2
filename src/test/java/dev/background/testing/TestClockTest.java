package dev.background.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TestClock on its own: time moves only with advance, timers fire in order, on the caller. */
class TestClockTest {

  private static final Instant START = Instant.parse("2030-06-01T12:00:00Z");

  @Test
  void aNewClockStartsAtTheDefaultInstantWithNanoTimeZero() {
    TestClock clock = new TestClock();

    assertThat(clock.now()).isEqualTo(TestClock.DEFAULT_START).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.nanoTime()).isZero();
    assertThat(clock.pendingTimers()).isZero();
    assertThat(clock.nextTimerAt()).isEmpty();
  }

  @Test
  void timeMovesOnlyWithAdvance() {
    TestClock clock = new TestClock(START);
    assertThat(clock.now()).isEqualTo(START);

    clock.advance(Duration.ofMinutes(5));
    clock.advance(Duration.ofMillis(250));

    assertThat(clock.now()).isEqualTo(START.plus(Duration.ofMinutes(5)).plusMillis(250));
    assertThat(clock.nanoTime()).isEqualTo(Duration.ofMinutes(5).plusMillis(250).toNanos());
  }

  @Test
  void advanceFiresDueTimersInDueTimeOrderAndLeavesTheOthers() {
    TestClock clock = new TestClock(START);
    List<String> fired = new CopyOnWriteArrayList<>();
    clock.setTimer(3_000, id -> fired.add("3s"));
    clock.setTimer(1_000, id -> fired.add("1s"));
    clock.setTimer(10_000, id -> fired.add("10s"));
    clock.setTimer(2_000, id -> fired.add("2s"));

    clock.advance(Duration.ofSeconds(3));

    assertThat(fired).containsExactly("1s", "2s", "3s");
    assertThat(clock.pendingTimers()).isEqualTo(1);
    assertThat(clock.nextTimerAt()).contains(START.plusSeconds(10));
  }

  @Test
  void timersDueAtTheSameTimeFireInCreationOrder() {
    TestClock clock = new TestClock(START);
    List<Integer> fired = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      clock.setTimer(1_000, id -> fired.add(n));
    }

    clock.advance(Duration.ofSeconds(1));

    assertThat(fired).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aHandlerReadsItsDueTimeAndGetsItsId() {
    TestClock clock = new TestClock(START);
    AtomicReference<Instant> seen = new AtomicReference<>();
    AtomicReference<Long> seenId = new AtomicReference<>();
    long id = clock.setTimer(2_000, timerId -> {
      seen.set(clock.now());
      seenId.set(timerId);
    });

    clock.advance(Duration.ofMinutes(1));

    assertThat(seen.get()).isEqualTo(START.plusSeconds(2));
    assertThat(seenId.get()).isEqualTo(id);
    assertThat(clock.now()).isEqualTo(START.plusSeconds(60));
  }

  @Test
  void aTimerSetByAHandlerFiresInTheSameAdvanceWhenItFallsWithinTheWindow() {
    TestClock clock = new TestClock(START);
    List<Instant> fired = new CopyOnWriteArrayList<>();
    clock.setTimer(1_000, id -> {
      fired.add(clock.now());
      clock.setTimer(1_000, id2 -> {
        fired.add(clock.now());
        clock.setTimer(5_000, id3 -> fired.add(clock.now()));
      });
    });

    clock.advance(Duration.ofSeconds(3));

    assertThat(fired).containsExactly(START.plusSeconds(1), START.plusSeconds(2));
    assertThat(clock.nextTimerAt()).contains(START.plusSeconds(7));
    clock.advance(Duration.ofSeconds(4));
    assertThat(fired).hasSize(3).last().isEqualTo(START.plusSeconds(7));
  }

  @Test
  void aZeroDelayTimerFiresAtTheNextAdvanceNotBefore() {
    TestClock clock = new TestClock(START);
    List<Long> fired = new CopyOnWriteArrayList<>();
    long id = clock.setTimer(0, fired::add);
    assertThat(fired).isEmpty();

    clock.advance(Duration.ZERO);

    assertThat(fired).containsExactly(id);
    assertThat(clock.now()).isEqualTo(START);
  }

  @Test
  void aCancelledTimerNeverFires() {
    TestClock clock = new TestClock(START);
    List<String> fired = new CopyOnWriteArrayList<>();
    long id = clock.setTimer(1_000, t -> fired.add("cancelled"));
    long other = clock.setTimer(1_000, t -> fired.add("kept"));

    assertThat(clock.cancelTimer(id)).isTrue();
    assertThat(clock.cancelTimer(id)).isFalse();
    clock.advance(Duration.ofSeconds(1));

    assertThat(fired).containsExactly("kept");
    assertThat(clock.cancelTimer(other)).as("already fired").isFalse();
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void handlersRunOnTheCallingThreadWithoutTheClocksLock() throws Exception {
    TestClock clock = new TestClock(START);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch otherThreadGotIn = new CountDownLatch(1);
    clock.setTimer(1_000, id -> {
      ranOn.set(Thread.currentThread());
      CompletableFuture.runAsync(() -> {
        clock.setTimer(1, t -> { });
        clock.pendingTimers();
        otherThreadGotIn.countDown();
      });
      try {
        assertThat(otherThreadGotIn.await(10, TimeUnit.SECONDS)).as("another thread used the clock").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    clock.advance(Duration.ofSeconds(1));

    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    assertThat(otherThreadGotIn.getCount()).isZero();
  }

  @Test
  void aHandlerThatThrowsDoesNotStopTheOthersAndItsExceptionIsThrownAfterward() {
    TestClock clock = new TestClock(START);
    List<String> fired = new CopyOnWriteArrayList<>();
    clock.setTimer(1_000, id -> {
      throw new IllegalStateException("handler broke");
    });
    clock.setTimer(2_000, id -> fired.add("later"));

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class).hasMessage("handler broke");
    assertThat(fired).containsExactly("later");
    assertThat(clock.now()).isEqualTo(START.plusSeconds(5));
  }

  @Test
  void advancesFromSeveralThreadsAddUp() throws Exception {
    TestClock clock = new TestClock(START);
    List<Instant> fired = new CopyOnWriteArrayList<>();
    for (int s = 1; s <= 400; s++) {
      clock.setTimer(s * 1_000L, id -> fired.add(clock.now()));
    }
    CompletableFuture<?>[] threads = new CompletableFuture<?>[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 100; i++) {
          clock.advance(Duration.ofSeconds(1));
        }
      });
    }
    CompletableFuture.allOf(threads).get(30, TimeUnit.SECONDS);

    assertThat(clock.now()).isEqualTo(START.plusSeconds(400));
    assertThat(fired).hasSize(400);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void invalidArgumentsAreRefusedWithTheirValue() {
    TestClock clock = new TestClock(START);

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TestClock.advance: duration must be >= 0, was PT-1S");
    assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> clock.setTimer(-5, id -> { })).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TestClock.setTimer: delayMillis must be >= 0, was -5");
  }

  @Test
  void aHugeDelayNeverOverflows() {
    TestClock clock = new TestClock(START);
    List<Long> fired = new CopyOnWriteArrayList<>();
    clock.setTimer(Long.MAX_VALUE, fired::add);

    clock.advance(Duration.ofDays(365L * 100));

    assertThat(fired).isEmpty();
    assertThat(clock.pendingTimers()).isEqualTo(1);
  }
}
