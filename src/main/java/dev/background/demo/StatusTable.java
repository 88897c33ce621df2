package dev.background.demo;

import dev.background.TaskError;
import dev.background.TaskState;
import dev.background.TaskStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * StatusTable renders task statuses as the demo's compact table:
 *
 * <pre>
 * 12:00:03  4 tasks
 * NAME             STATE        RUNS  RESTARTS  FAILS  NEXT RESTART  LAST ERROR
 * flaky-poller     BACKING_OFF     3         2      2  in 1.8s       upstream returned 503 ...
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class StatusTable {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
      .withZone(ZoneId.systemDefault());
  private static final int MAX_NAME = 40;
  private static final int MAX_ERROR = 48;

  private StatusTable() {
  }

  /** The table for {@code statuses} as seen at {@code now}, ending with a newline. */
  public static String format(List<TaskStatus> statuses, Instant now) {
    int nameWidth = 4;
    for (TaskStatus s : statuses) {
      nameWidth = Math.max(nameWidth, Math.min(MAX_NAME, s.name().length()));
    }
    String row = "%-" + nameWidth + "s  %-11s  %4s  %8s  %5s  %-12s  %s%n";
    StringBuilder b = new StringBuilder();
    b.append(CLOCK.format(now)).append("  ").append(statuses.size())
        .append(statuses.size() == 1 ? " task" : " tasks").append(System.lineSeparator());
    b.append(String.format(Locale.ROOT, row, "NAME", "STATE", "RUNS", "RESTARTS", "FAILS",
        "NEXT RESTART", "LAST ERROR"));
    for (TaskStatus s : statuses) {
      b.append(String.format(Locale.ROOT, row, cut(s.name(), MAX_NAME), s.state(), s.runs(),
          s.restarts(), s.failures(), next(s, now), error(s.lastError())));
    }
    return b.toString().replaceAll(" +(\\r?\\n)", "$1");
  }

  private static String next(TaskStatus s, Instant now) {
    if (s.state() == TaskState.PAUSED) {
      return "paused";
    }
    if (s.nextRunAt() == null) {
      return "-";
    }
    long ms = Math.max(0, Duration.between(now, s.nextRunAt()).toMillis());
    return ms < 10_000 ? String.format(Locale.ROOT, "in %.1fs", ms / 1000.0)
        : "in " + (ms + 500) / 1000 + "s";
  }

  private static String error(TaskError e) {
    if (e == null) {
      return "-";
    }
    return cut(e.message() != null ? e.message() : e.type(), MAX_ERROR);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
