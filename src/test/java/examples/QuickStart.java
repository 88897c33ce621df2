package examples;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Tasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;

/** The README's example; QuickStartTest runs it, so it cannot rot. */
public class QuickStart {

  public static Future<Void> main(Vertx vertx) {
    Tasks tasks = Tasks.of(vertx);

    // Blocking loop on a thread of its own, restarted with backoff whenever it ends or fails.
    tasks.run("poller", ctx -> {
      while (!ctx.shouldStop()) {   // cancelled, or paused: return
        pollQueueOnce();   // may block, may throw: the next run waits 100 ms, 200 ms, 400 ms...
      }
    }, Backoff.defaults(), RunOption.resetAfter(Duration.ofMinutes(1)));

    // Non-blocking work on an event loop, run one time.
    tasks.onceAsync("warm-up", ctx -> vertx.timer(50).mapEmpty());

    // Stop restarts, cancel every context, wait at most 5 s for running tasks.
    return tasks.close(Duration.ofSeconds(5));
  }

  static void pollQueueOnce() throws InterruptedException {
    Thread.sleep(10); // stands for a blocking call
  }
}
