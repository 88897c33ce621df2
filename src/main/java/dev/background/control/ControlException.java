package dev.background.control;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A refused control request, with its reply code: the failure code of an event-bus reply, the
 * status of an HTTP answer. The codes are one set for every transport; {@link #of(Throwable)}
 * maps any error to one by its type, never by its message.
 */
public final class ControlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The request was malformed: not a JSON object, unknown action, wrong types, name too long. */
  public static final int BAD_REQUEST = 400;

  /** No task has the name. */
  public static final int NOT_FOUND = 404;

  /** The task's state, or a closed tracker, forbids the action. */
  public static final int CONFLICT = 409;

  /** Something unexpected failed; the message says what. */
  public static final int INTERNAL_ERROR = 500;

  private final int code;

  /**
   * A refusal: an answer, not a bug, so it carries no stack trace.
   *
   * @param code the reply code, one of the constants of this class
   */
  public ControlException(int code, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.code = code;
  }

  private ControlException(String message, Throwable cause) {
    super(message, cause);
    this.code = INTERNAL_ERROR;
  }

  /** A {@link #BAD_REQUEST} with {@code message}. */
  public static ControlException badRequest(String message) {
    return new ControlException(BAD_REQUEST, message);
  }

  /**
   * {@code t} as a refusal: itself when it is one, {@link #CONFLICT} for an
   * {@link IllegalStateException}, {@link #NOT_FOUND} for a {@link NoSuchElementException} (both
   * with their message), else {@link #INTERNAL_ERROR} "unexpected error: ..." with {@code t} as
   * the cause.
   */
  public static ControlException of(Throwable t) {
    if (t instanceof ControlException) {
      return (ControlException) t;
    }
    if (t instanceof IllegalStateException) {
      return new ControlException(CONFLICT, messageOf(t));
    }
    if (t instanceof NoSuchElementException) {
      return new ControlException(NOT_FOUND, messageOf(t));
    }
    return new ControlException("unexpected error: " + t, t);
  }

  private static String messageOf(Throwable t) {
    return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
  }

  /** The reply code: {@link #BAD_REQUEST}, {@link #NOT_FOUND}, {@link #CONFLICT} or {@link #INTERNAL_ERROR}. */
  public int code() {
    return code;
  }
}
