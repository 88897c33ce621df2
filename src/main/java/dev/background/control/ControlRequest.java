package dev.background.control;

import dev.background.Tasks;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * One control request, checked: an action, the task's name (full, or a short name only one task
 * has; {@code null} for {@link ControlAction#LIST}) and where it acts. Every transport builds it
 * here: the event bus with {@link #fromBody(Object)}, the cluster address with
 * {@link #fromScopedBody(Object)}, HTTP with the constructor from the parts of its path. A request
 * that is not well formed is a {@link ControlException} with code 400 and a message naming the
 * field, the rule and the value.
 *
 * <p>On the wire a request is {@code {"action": "pause", "name": "poller"}} ({@link #toJson()});
 * a request to a cluster address may add {@code "scope": "local"}. A {@code list} request may
 * add the keys of its {@link ListQuery} ({@code limit}, {@code after}, {@code state},
 * {@code kind}).
 *
 * @param action what to do
 * @param name the task's name: non-blank, at most {@link Tasks#MAX_NAME_LENGTH} characters; may
 *     be {@code null} only when the action does not {@linkplain ControlAction#needsName() need one}
 * @param scope where it acts
 * @param query for {@link ControlAction#LIST}, the page and filters; {@link ListQuery#ALL} for
 *     every other action
 */
public record ControlRequest(ControlAction action, String name, ControlScope scope, ListQuery query) {

  private static final List<String> KEYS = List.of("action", "name");
  private static final List<String> SCOPED_KEYS = List.of("action", "name", "scope");
  private static final List<String> LIST_KEYS = concat(KEYS, ListQuery.KEYS);
  private static final List<String> SCOPED_LIST_KEYS = concat(SCOPED_KEYS, ListQuery.KEYS);
  private static final String EXPECTED_ACTIONS = "expected one of "
      + String.join(", ", ControlAction.wireNames());

  /**
   * @throws ControlException 400 when the name is missing for an action that needs one, blank or
   *     too long, or when an action other than {@code list} has a query
   * @throws NullPointerException when {@code action}, {@code scope} or {@code query} is null
   */
  public ControlRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(query, "query");
    if (action != ControlAction.LIST && !query.isAll()) {
      throw ControlException.badRequest("limit, after, state, kind: only for action \"list\", not \""
          + action.wireName() + "\"");
    }
    if (name == null) {
      if (action.needsName()) {
        throw ControlException.badRequest("name: missing; action \"" + action.wireName()
            + "\" needs the task's name");
      }
    } else if (name.isBlank()) {
      throw ControlException.badRequest("name: must not be blank, was " + shorten(name));
    } else if (name.length() > Tasks.MAX_NAME_LENGTH) {
      throw ControlException.badRequest("name: too long, " + name.length() + " characters (at most "
          + Tasks.MAX_NAME_LENGTH + ")");
    }
  }

  /** A request without a query ({@link ListQuery#ALL}). */
  public ControlRequest(ControlAction action, String name, ControlScope scope) {
    this(action, name, scope, ListQuery.ALL);
  }

  /** A request in the default scope, {@link ControlScope#CLUSTER}. */
  public ControlRequest(ControlAction action, String name) {
    this(action, name, ControlScope.CLUSTER);
  }

  /** A {@code list} request for a page or filtered list. */
  public static ControlRequest list(ListQuery query, ControlScope scope) {
    return new ControlRequest(ControlAction.LIST, null, scope, query);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /**
   * The request in an event-bus body: a {@link JsonObject} with the keys {@code action} and
   * {@code name}, nothing else. Only looked at one level deep, so a huge or deeply nested body
   * costs no more than being refused.
   *
   * @throws ControlException 400 when the body is not a well-formed request
   */
  public static ControlRequest fromBody(Object body) {
    return parse(body, false);
  }

  /**
   * Like {@link #fromBody(Object)}, for a cluster address: the body may also hold
   * {@code "scope"}, {@code "local"} or {@code "cluster"}.
   */
  public static ControlRequest fromScopedBody(Object body) {
    return parse(body, true);
  }

  private static ControlRequest parse(Object body, boolean scoped) {
    if (!(body instanceof JsonObject)) {
      throw ControlException.badRequest("body: must be a JSON object such as {\"action\": \"list\"}, "
          + "was " + describe(body));
    }
    JsonObject json = (JsonObject) body;
    boolean list = ControlAction.LIST.wireName().equals(json.getValue("action"));
    List<String> keys = list ? (scoped ? SCOPED_LIST_KEYS : LIST_KEYS) : (scoped ? SCOPED_KEYS : KEYS);
    for (String key : json.fieldNames()) {
      if (!keys.contains(key)) {
        throw ControlException.badRequest("unknown key " + shorten(key) + "; expected "
            + String.join(", ", keys));
      }
    }
    ControlAction action = action(json.getValue("action"));
    Object name = json.getValue("name");
    if (name != null && !(name instanceof String)) {
      throw ControlException.badRequest("name: must be a string, was " + describe(name));
    }
    return new ControlRequest(action, (String) name, ControlScope.fromWire(json.getValue("scope")),
        list ? ListQuery.fromBody(json) : ListQuery.ALL);
  }

  private static ControlAction action(Object value) {
    if (value == null) {
      throw ControlException.badRequest("action: missing; " + EXPECTED_ACTIONS);
    }
    if (!(value instanceof String)) {
      throw ControlException.badRequest("action: must be a string, was " + describe(value));
    }
    return ControlAction.fromWire((String) value).orElseThrow(() -> ControlException.badRequest(
        "action: unknown action " + shorten((String) value) + "; " + EXPECTED_ACTIONS));
  }

  /**
   * The event-bus body: {@code action}, {@code name} when there is one, and the keys of the query
   * that are set. The scope is not in it: it tells the cluster address where to act and is used up
   * there.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("action", action.wireName());
    if (name != null) {
      json.put("name", name);
    }
    return query.addTo(json);
  }

  /**
   * What a value is, for a message about a request; never renders nested content, nor the text of
   * a string (a body may be megabytes).
   */
  // Kept apart from JsonConfig.describe: request messages name the kind ("a JSON object",
  // "a buffer of 17 bytes", "a number (42)"), and their wording is part of the protocol.
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof JsonObject) {
      return "a JSON object";
    }
    if (value instanceof JsonArray) {
      return "a JSON array";
    }
    if (value instanceof Buffer) {
      return "a buffer of " + ((Buffer) value).length() + " bytes";
    }
    if (value instanceof byte[]) {
      return "a byte array of " + ((byte[]) value).length + " bytes";
    }
    if (value instanceof Number) {
      return "a number (" + value + ")";
    }
    if (value instanceof Boolean) {
      return "a boolean (" + value + ")";
    }
    return "a " + value.getClass().getName();
  }

  /** A string quoted and cut to 64 characters. */
  static String shorten(String s) {
    return s.length() > 64 ? "\"" + s.substring(0, 64) + "...\" (" + s.length() + " characters)"
        : "\"" + s + "\"";
  }
}
