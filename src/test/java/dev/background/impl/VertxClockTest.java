package dev.background.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The default clock's timers: a plain Vert.x timer (its own id) where no deployment owns the
 * caller's context, a timer of the clock's own (after a hop to its home context) where one does,
 * and both kinds cancelled by the id the clock returned.
 */
@ExtendWith(VertxExtension.class)
class VertxClockTest {

  private static final long OWN_ID = 1L << 62;

  private Vertx vertx;
  private VertxClock clock;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.clock = new VertxClock(vertx, vertx.getOrCreateContext());
  }

  @Test
  void aTimerSetOutsideAnyDeploymentFiresWithTheIdItWasGiven() throws Exception {
    CompletableFuture<Long> fired = new CompletableFuture<>();
    long id = clock.setTimer(1, fired::complete);
    assertThat(id & OWN_ID).isZero();
    assertThat(fired.get(10, TimeUnit.SECONDS)).isEqualTo(id);
  }

  @Test
  void aTimerSetInADeploymentGetsAnIdOfTheClocksOwnAndFiresWithIt() throws Exception {
    CompletableFuture<Long> fired = new CompletableFuture<>();
    long[] id = new long[1];
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        id[0] = clock.setTimer(1, fired::complete);
        return Future.succeededFuture();
      }
    }).await();
    assertThat(id[0] & OWN_ID).isEqualTo(OWN_ID);
    assertThat(id[0]).isPositive();
    assertThat(fired.get(10, TimeUnit.SECONDS)).isEqualTo(id[0]);
  }

  @Test
  void aTimerSetInADeploymentOutlivesIt() throws Exception {
    CompletableFuture<Long> fired = new CompletableFuture<>();
    String deployment = vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        clock.setTimer(300, fired::complete);
        return Future.succeededFuture();
      }
    }).await();
    vertx.undeploy(deployment).await();
    assertThat(fired.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aCancelledVertxTimerNeverFires() {
    AtomicBoolean fired = new AtomicBoolean();
    long id = clock.setTimer(200, t -> fired.set(true));
    assertThat(clock.cancelTimer(id)).isTrue();
    assertThat(clock.cancelTimer(id)).as("a second cancel").isFalse();
    CompletableFuture<Long> later = new CompletableFuture<>();
    clock.setTimer(600, later::complete);
    await().atMost(Duration.ofSeconds(10)).until(later::isDone);
    assertThat(fired).isFalse();
  }

  @Test
  void aCancelledOwnTimerNeverFiresEvenWhenCancelledBeforeItsHopLanded() throws Exception {
    AtomicBoolean fired = new AtomicBoolean();
    Promise<Long> ids = Promise.promise();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        long id = clock.setTimer(50, t -> fired.set(true));
        ids.complete(clock.cancelTimer(id) ? id : -1L); // before the home context set it
        return Future.succeededFuture();
      }
    }).await();
    long id = ids.future().await();
    assertThat(id & OWN_ID).isEqualTo(OWN_ID);
    CompletableFuture<Long> later = new CompletableFuture<>();
    clock.setTimer(400, later::complete);
    await().atMost(Duration.ofSeconds(10)).until(later::isDone);
    assertThat(fired).isFalse();
  }

  @Test
  void cancellingAnIdNeverGivenIsRefused() {
    assertThat(clock.cancelTimer(OWN_ID | 12345)).isFalse();
    assertThat(clock.cancelTimer(987_654_321L)).isFalse();
  }

  @Test
  void nanosBetweenIsExactNearAndSaturatedFar() {
    Instant a = Instant.parse("2026-11-30T23:00:00.900000000Z");
    assertThat(RestartDelay.nanosBetween(a, a.plusNanos(200_000_123))).isEqualTo(200_000_123L);
    assertThat(RestartDelay.nanosBetween(a.plusSeconds(3), a)).isEqualTo(-3_000_000_000L);
    assertThat(RestartDelay.nanosBetween(a, Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(RestartDelay.nanosBetween(Instant.MAX, Instant.MIN)).isEqualTo(Long.MIN_VALUE);
  }
}
