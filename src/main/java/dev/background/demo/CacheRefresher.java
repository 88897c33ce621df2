package dev.background.demo;

import dev.background.Task;
import dev.background.TaskContext;
import dev.background.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * CacheRefresher is the demo's blocking task: it rebuilds a cache of {@code entries} entries with
 * blocking calls (simulated by sleeping), then sleeps {@code period}, until cancelled. It runs on
 * a thread of its own, so sleeping starves nothing; it is declared with
 * {@code interruptOnCancel}, so a cancel interrupts its sleep and it returns at once.
 *
 * <p>Config: {@code {"period": "5s", "entries": 1000}}. The cache is confined to the task's thread.
 */
public class CacheRefresher implements Task {

  private static final Logger LOG = LoggerFactory.getLogger(CacheRefresher.class);

  private final Map<Integer, String> cache = new HashMap<>();

  @Override
  public void run(TaskContext ctx) {
    long period = Durations.parse("period", ctx.config().getValue("period", "5s")).toMillis();
    int entries = ctx.config().getInteger("entries", 1000);
    try {
      while (!ctx.shouldStop()) { // cancelled or paused: return
        long start = System.nanoTime();
        Thread.sleep(200); // the blocking call to a slow backend
        for (int i = 0; i < entries; i++) {
          cache.put(i, "value-" + i + "-" + start);
        }
        LOG.info("{}: refreshed {} entries in {} ms", ctx.name(), cache.size(),
            (System.nanoTime() - start) / 1_000_000);
        Thread.sleep(period);
      }
    } catch (InterruptedException e) {
      // Cancelled while sleeping: end the run.
    }
  }
}
