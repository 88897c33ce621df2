package dev.background.demo;

import dev.background.Task;
import dev.background.TaskContext;
import dev.background.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WarmUp is the demo's {@code once} task: it "warms caches" for {@code duration} (blocking, on a
 * thread of its own), then ends; it is never restarted. A {@code start} request runs it again.
 * It checks its context between steps, so a cancel ends it early.
 *
 * <p>Config: {@code {"duration": "1500ms"}}. Holds no state between runs.
 */
public class WarmUp implements Task {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  @Override
  public void run(TaskContext ctx) throws InterruptedException {
    long duration = Durations.parse("duration", ctx.config().getValue("duration", "1500ms"))
        .toMillis();
    long steps = 10;
    for (int i = 0; i < steps && !ctx.isCancelled(); i++) {
      Thread.sleep(Math.max(1, duration / steps));
    }
    LOG.info("{}: {}", ctx.name(), ctx.isCancelled() ? "cancelled" : "caches warmed");
  }
}
