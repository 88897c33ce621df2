package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * TaskError describes a failed run: the exception's class name, its message and when it ended.
 * The message is bounded: one longer than {@link #MAX_MESSAGE_LENGTH} characters is cut to that
 * length, ending with {@code "… (cut, <original length> characters)"}, so that status, history,
 * events and HTTP answers stay small however long a task's messages are (the log keeps them
 * whole). Immutable.
 *
 * @param type the exception's class name
 * @param message the exception's message, or {@code null}; at most {@link #MAX_MESSAGE_LENGTH}
 *     characters
 * @param at when the failed run ended
 */
public record TaskError(String type, String message, Instant at) {

  /** The most characters of message a TaskError carries, the mark of a cut included. */
  public static final int MAX_MESSAGE_LENGTH = 4096;

  /** Checks that {@code type} and {@code at} are given; cuts a message that is too long. */
  public TaskError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    message = bounded(message);
  }

  /**
   * The error of {@code t}, at {@code at}. A {@code getMessage()} that throws, even an
   * {@code Error} (a badly written exception class), gives a message that says so instead.
   */
  public static TaskError of(Throwable t, Instant at) {
    String message;
    try {
      message = t.getMessage();
    } catch (Throwable unreadable) {
      message = "(getMessage() threw " + unreadable.getClass().getName() + ")";
    }
    return new TaskError(t.getClass().getName(), message, at);
  }

  /**
   * {@code message} when it fits, else its head and {@code "… (cut, n characters)"}, together
   * {@link #MAX_MESSAGE_LENGTH} characters at most (so a cut message is kept as it is when read
   * back). The head never ends in half a surrogate pair.
   */
  private static String bounded(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_LENGTH) {
      return message;
    }
    String mark = "… (cut, " + message.length() + " characters)";
    int end = MAX_MESSAGE_LENGTH - mark.length();
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + mark;
  }

  /** {@code {"type": ..., "message": ..., "at": "2026-01-01T10:00:00Z"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("message", message).put("at", at.toString());
  }

  /** The error {@link #toJson()} wrote. */
  public static TaskError fromJson(JsonObject json) {
    return new TaskError(json.getString("type"), json.getString("message"),
        Instant.parse(json.getString("at")));
  }
}
