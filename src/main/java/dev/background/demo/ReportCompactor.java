package dev.background.demo;

import dev.background.Task;
import dev.background.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ReportCompactor is the demo's cron schedule: it "compacts reports" at every slot of its cron
 * expression (in the demo, the start of every minute), blocking on a thread of its own for a
 * moment. A schedule, not a loop: between fires it holds no thread and its state is
 * {@code SCHEDULED}; a slot missed while it was paused runs once on resume (misfire
 * {@code run-once}).
 *
 * <p>Config: {@code {"work": "300ms"}}. Holds no state between fires.
 */
public class ReportCompactor implements Task {

  private static final Logger LOG = LoggerFactory.getLogger(ReportCompactor.class);

  @Override
  public void run(TaskContext ctx) throws InterruptedException {
    long work = dev.background.Durations.parse("work", ctx.config().getValue("work", "300ms"))
        .toMillis();
    Thread.sleep(work);
    LOG.info("{}: reports compacted", ctx.name());
  }
}
