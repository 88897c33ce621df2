package dev.background.control;

import dev.background.Backoff;
import dev.background.Durations;
import dev.background.RunOption;
import dev.background.TaskHandle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.TreeSet;

/**
 * The reply of the {@link ControlAction#DETAIL detail} action: a task's status plus
 * {@code backoff} ({@link Backoff#toJson()} or {@code null}), {@code options} (one key per run
 * option: {@code true} for a flag, a duration as text, {@code maxRestarts} as
 * {@code {"count", "window"}}, {@code tags} as an object, {@code config} as the list of its keys
 * only, since its values may be secrets) and {@code stackTrace} (the last failure's, or
 * {@code null}). Stateless.
 */
final class TaskDetail {

  /** The longest stack trace sent, in characters; a longer one is cut and says so. */
  static final int MAX_STACK_TRACE_LENGTH = 16 * 1024;

  private TaskDetail() {
  }

  /** The status of {@code h} with its backoff and options; {@code stackTrace} is added by the caller. */
  static JsonObject of(TaskHandle h) {
    JsonObject json = h.status().toJson();
    json.put("backoff", h.backoff().map(Backoff::toJson).orElse(null));
    json.put("options", options(h.options()));
    return json;
  }

  /** The options as one JSON object, keyed by option name. */
  static JsonObject options(List<RunOption> options) {
    JsonObject json = new JsonObject();
    for (RunOption o : options) {
      json.put(o.name(), value(o));
    }
    return json;
  }

  private static Object value(RunOption o) {
    if (o instanceof RunOption.ResetAfter r) {
      return Durations.format(r.minRunTime());
    }
    if (o instanceof RunOption.StartDelay d) {
      return Durations.format(d.delay());
    }
    if (o instanceof RunOption.RunTimeout t) {
      return Durations.format(t.timeout());
    }
    if (o instanceof RunOption.MaxRestarts m) {
      return new JsonObject().put("count", m.count()).put("window", Durations.format(m.window()));
    }
    if (o instanceof RunOption.Tags t) {
      JsonObject tags = new JsonObject();
      t.tags().forEach(tags::put);
      return tags;
    }
    if (o instanceof RunOption.Config c) {
      // Only the keys: a task's configuration may hold credentials.
      return new JsonObject().put("keys", new JsonArray(List.copyOf(new TreeSet<>(c.config().fieldNames()))));
    }
    // Every other option is a flag.
    return true;
  }

  /**
   * {@code t}'s stack trace as {@link Throwable#printStackTrace()} writes it (causes and
   * suppressed exceptions included), cut to {@link #MAX_STACK_TRACE_LENGTH} characters. It runs
   * the exception's own {@code toString()}/{@code getMessage()}, so the caller runs it off the
   * event loop; an exception that cannot be printed gives a line that says so.
   */
  static String stackTrace(Throwable t) {
    String text;
    try {
      StringWriter out = new StringWriter();
      t.printStackTrace(new PrintWriter(out, true));
      text = out.toString();
    } catch (Throwable unprintable) {
      return t.getClass().getName() + " (its stack trace could not be printed: "
          + unprintable.getClass().getName() + ")";
    }
    if (text.length() <= MAX_STACK_TRACE_LENGTH) {
      return text;
    }
    String mark = "\n… (cut, " + text.length() + " characters)";
    int end = MAX_STACK_TRACE_LENGTH - mark.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + mark;
  }
}
