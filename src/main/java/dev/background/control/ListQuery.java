package dev.background.control;

import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@link ControlAction#LIST} request asks for: a page ({@code limit}, {@code after}) and
 * filters ({@code state}, {@code kind}). The filters apply before the page is cut, so a page holds
 * up to {@code limit} matching tasks and {@code next} leads to the next matching one.
 *
 * <p>On the wire, keys of the list request: {@code {"action": "list", "limit": 100, "after":
 * "com.acme.Billing.start.poller", "state": ["RUNNING", "BACKING_OFF"], "kind": ["RUN"]}}; state
 * and kind names are case-insensitive. Every key may be left out. Invalid values are a
 * {@link ControlException} 400 naming the key and the value.
 *
 * @param limit the most tasks in the reply, at least 1; {@code null} for all
 * @param after a cursor: only tasks whose full names sort after it (the {@code next} of the
 *     previous page); non-blank, at most {@link Tasks#MAX_NAME_LENGTH} characters; {@code null}
 *     from the first
 * @param states only tasks in one of these states; {@code null} for any
 * @param kinds only tasks of one of these kinds; {@code null} for any
 */
public record ListQuery(Integer limit, String after, Set<TaskState> states, Set<TaskKind> kinds) {

  /** Every task, unfiltered, in one reply. */
  public static final ListQuery ALL = new ListQuery(null, null, null, null);

  private static final String LIMIT_RULE = "limit: must be a whole number from 1 to "
      + Integer.MAX_VALUE + ", was ";

  /** The keys a list request may carry besides {@code action} and {@code name}. */
  static final List<String> KEYS = List.of("limit", "after", "state", "kind");

  /**
   * @throws ControlException 400 when the limit is below 1, the cursor is blank or too long, or a
   *     filter is empty
   */
  public ListQuery {
    if (limit != null && limit < 1) {
      throw ControlException.badRequest(LIMIT_RULE + limit);
    }
    if (after != null) {
      if (after.isBlank()) {
        throw ControlException.badRequest("after: must not be blank, was "
            + ControlRequest.shorten(after));
      }
      if (after.length() > Tasks.MAX_NAME_LENGTH) {
        throw ControlException.badRequest("after: too long, " + after.length()
            + " characters (at most " + Tasks.MAX_NAME_LENGTH + ")");
      }
    }
    states = filter("state", TaskState.class, states);
    kinds = filter("kind", TaskKind.class, kinds);
  }

  private static <E extends Enum<E>> Set<E> filter(String key, Class<E> type, Set<E> values) {
    if (values == null) {
      return null;
    }
    if (values.isEmpty()) {
      throw ControlException.badRequest(key + ": must name at least one of " + names(type));
    }
    return Collections.unmodifiableSet(EnumSet.copyOf(values));
  }

  /** Whether this query asks for the whole list as it is: no page, no filter. */
  public boolean isAll() {
    return limit == null && after == null && states == null && kinds == null;
  }

  /** Whether the query has a state or kind filter. */
  public boolean isFiltered() {
    return states != null || kinds != null;
  }

  /** Whether {@code status} passes the filters. */
  public boolean matches(TaskStatus status) {
    return (states == null || states.contains(status.state()))
        && (kinds == null || kinds.contains(status.kind()));
  }

  /** Adds this query's keys (those set) to a list request body. */
  JsonObject addTo(JsonObject body) {
    if (limit != null) {
      body.put("limit", limit);
    }
    if (after != null) {
      body.put("after", after);
    }
    if (states != null) {
      body.put("state", new JsonArray(states.stream().map(Enum::name).collect(Collectors.toList())));
    }
    if (kinds != null) {
      body.put("kind", new JsonArray(kinds.stream().map(Enum::name).collect(Collectors.toList())));
    }
    return body;
  }

  /** The query in a list request body (the keys are known to be among {@link #KEYS}). */
  static ListQuery fromBody(JsonObject body) {
    Object limit = body.getValue("limit");
    Object after = body.getValue("after");
    if (after != null && !(after instanceof String)) {
      throw ControlException.badRequest("after: must be a string, was " + ControlRequest.describe(after));
    }
    return new ListQuery(limit == null ? null : limit(limit), (String) after,
        enums("state", TaskState.class, body.getValue("state")),
        enums("kind", TaskKind.class, body.getValue("kind")));
  }

  private static int limit(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      long l = ((Number) value).longValue();
      if (l >= 1 && l <= Integer.MAX_VALUE) {
        return (int) l;
      }
      throw ControlException.badRequest(LIMIT_RULE + l);
    }
    throw ControlException.badRequest(LIMIT_RULE + ControlRequest.describe(value));
  }

  private static <E extends Enum<E>> Set<E> enums(String key, Class<E> type, Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray)) {
      throw ControlException.badRequest(key + ": must be an array of names such as [\""
          + type.getEnumConstants()[0].name() + "\"], was " + ControlRequest.describe(value));
    }
    JsonArray array = (JsonArray) value;
    if (array.size() > type.getEnumConstants().length * 4) {
      throw ControlException.badRequest(key + ": too many values, " + array.size());
    }
    Set<E> set = EnumSet.noneOf(type);
    for (Object v : array) {
      if (!(v instanceof String)) {
        throw ControlException.badRequest(key + ": must be an array of names, holds "
            + ControlRequest.describe(v));
      }
      set.add(parse(key, type, (String) v));
    }
    return set;
  }

  /**
   * The constant of {@code type} named {@code value}, case-insensitively (surrounding blanks
   * ignored).
   *
   * @throws ControlException 400 naming the key, the value and the names expected
   */
  public static <E extends Enum<E>> E parse(String key, Class<E> type, String value) {
    String name = value.trim().toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw ControlException.badRequest(key + ": unknown value " + ControlRequest.shorten(value)
        + " (expected one of " + names(type) + ")");
  }

  private static String names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
