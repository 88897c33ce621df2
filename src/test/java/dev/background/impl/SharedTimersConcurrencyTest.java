package dev.background.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared timers on real Vert.x timers, armed and cancelled from several threads while their
 * buckets fire on the event loop.
 */
@ExtendWith(VertxExtension.class)
class SharedTimersConcurrencyTest {

  @Test
  void everyTimerNotCancelledFiresExactlyOnceAndNoneFailsWhileCancelsRaceTheFires(Vertx vertx)
      throws Exception {
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(reported::add);
    SharedTimers timers = new SharedTimers(new VertxClock(vertx, vertx.getOrCreateContext()));
    Map<Long, AtomicInteger> firedCount = new ConcurrentHashMap<>();
    Map<Long, Boolean> kept = new ConcurrentHashMap<>();
    SharedTimers.Target target = ticket ->
        firedCount.computeIfAbsent(ticket, t -> new AtomicInteger()).incrementAndGet();

    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 2_000; i++) {
          long due = timers.dueMillis(random.nextLong(0, 1_000_000));
          long ticket = timers.arm(due, target);
          if (random.nextBoolean()) {
            // Cancelled about when it comes due: often the last of its bucket as that fires.
            long until = System.nanoTime() + random.nextLong(500_000, 2_000_000);
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
            timers.cancel(due, ticket);
          } else {
            kept.put(ticket, true);
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(firedCount.keySet()).containsAll(kept.keySet()));
    assertThat(firedCount.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(reported).isEmpty();
  }
}
