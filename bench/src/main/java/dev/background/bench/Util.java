package dev.background.bench;

import io.vertx.core.Future;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

final class Util {

  private Util() {
  }

  static <T> T await(Future<T> f, long seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("timed out or failed: " + e, e);
    }
  }

  static void await(CountDownLatch latch, long seconds, String what) {
    try {
      if (!latch.await(seconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException(what + ": not done after " + seconds + " s (" + latch.getCount()
            + " left)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Used heap after full collections (System.gc() is a full, compacting GC with G1). */
  static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      long u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      used = Math.min(used, u);
    }
    return used;
  }

  /** Resident set size of this process in bytes (Linux), or -1. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  /**
   * Context switches (voluntary and involuntary) of each live thread of this process so far, by
   * thread id (Linux; empty elsewhere).
   */
  static java.util.Map<String, Long> contextSwitches() {
    return contextSwitches("");
  }

  /**
   * Likewise, for the threads whose name (as the kernel keeps it: the first 15 characters) starts
   * with {@code namePrefix}.
   */
  static java.util.Map<String, Long> contextSwitches(String namePrefix) {
    java.util.Map<String, Long> m = new java.util.HashMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          long sum = 0;
          boolean named = namePrefix.isEmpty();
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("Name:")) {
              named |= line.substring(5).trim().startsWith(namePrefix);
            }
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              sum += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
          }
          if (named) {
            m.put(t.getFileName().toString(), sum);
          }
        } catch (Exception gone) {
          // the thread ended meanwhile
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return m;
  }

  /**
   * The context switches made between two readings by the threads alive at the second one (a
   * thread that ended in between is left out: only threads of an earlier run end then).
   */
  static long contextSwitchesBetween(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
    long sum = 0;
    for (java.util.Map.Entry<String, Long> e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  /**
   * The order of the sides in repetition {@code rep}: rotated each time and reversed every other
   * time (ABC, CBA, BCA, ACB, ...), so that no side always runs first or always follows another.
   */
  static <T> List<T> order(List<T> sides, int rep) {
    List<T> o = new ArrayList<>(sides);
    java.util.Collections.rotate(o, rep / 2);
    if (rep % 2 == 1) {
      java.util.Collections.reverse(o);
    }
    return o;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
