package dev.background;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JsonConfig reads configuration values strictly: each read takes the key (for the message) and
 * the raw JSON value, and returns the value in its Java type or throws a {@link ConfigException}
 * at that key ({@code port: must be a whole number, was "8080"}). Nothing is converted silently:
 * a string is no number, a number no boolean. Every options class of the library reads its JSON
 * form with these methods, and {@link #describe(Object)} writes the values in every error message.
 */
public final class JsonConfig {

  /** Strings longer than this are cut in messages. */
  private static final int MAX_SHOWN = 64;

  private JsonConfig() {
  }

  /**
   * Checks that {@code json} has no key outside {@code keys}.
   *
   * @param json the object read
   * @param keys the keys it may have, in the order the message lists them
   * @throws ConfigException at the first unknown key: {@code unknown key (expected one of a, b)}
   */
  public static void knownKeys(JsonObject json, List<String> keys) {
    for (String key : json.fieldNames()) {
      if (!keys.contains(key)) {
        throw new ConfigException(key, "unknown key (expected one of " + String.join(", ", keys)
            + ")");
      }
    }
  }

  /**
   * A string.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the value
   * @throws ConfigException when {@code value} is not a string (null included)
   */
  public static String string(String key, Object value) {
    if (!(value instanceof String)) {
      throw new ConfigException(key, "must be a string, was " + describe(value));
    }
    return (String) value;
  }

  /**
   * A string that is not blank.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the value
   * @throws ConfigException when {@code value} is not a string, or blank
   */
  public static String nonBlank(String key, Object value) {
    String s = string(key, value);
    if (s.isBlank()) {
      throw new ConfigException(key, "must not be blank, was " + describe(value));
    }
    return s;
  }

  /**
   * {@code true} or {@code false}.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the value
   * @throws ConfigException when {@code value} is not a boolean
   */
  public static boolean bool(String key, Object value) {
    if (!(value instanceof Boolean)) {
      throw new ConfigException(key, "must be true or false, was " + describe(value));
    }
    return (Boolean) value;
  }

  /**
   * A JSON object.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the value (not a copy)
   * @throws ConfigException when {@code value} is not a JSON object
   */
  public static JsonObject object(String key, Object value) {
    if (!(value instanceof JsonObject)) {
      throw new ConfigException(key, "must be a JSON object, was " + describe(value));
    }
    return (JsonObject) value;
  }

  /**
   * A JSON array.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the value (not a copy)
   * @throws ConfigException when {@code value} is not a JSON array
   */
  public static JsonArray array(String key, Object value) {
    if (!(value instanceof JsonArray)) {
      throw new ConfigException(key, "must be a JSON array, was " + describe(value));
    }
    return (JsonArray) value;
  }

  /**
   * A duration in the configuration syntax of {@link Durations#parse(String, Object)}: "500ms",
   * "30s", "5m", "1h", "2d", ISO-8601 "PT30S", or a whole number of milliseconds.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the duration, never negative
   * @throws ConfigException for anything else
   */
  public static Duration duration(String key, Object value) {
    return Durations.parse(key, value);
  }

  /**
   * A number, whole or not.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the value as a double
   * @throws ConfigException when {@code value} is not a number
   */
  public static double number(String key, Object value) {
    if (!(value instanceof Number)) {
      throw new ConfigException(key, "must be a number, was " + describe(value));
    }
    return ((Number) value).doubleValue();
  }

  /**
   * A whole number that fits in an {@code int}; {@code 3.0} counts as whole, {@code 1.5} does not.
   *
   * @param key the key, named in the message
   * @param value the JSON value
   * @return the value
   * @throws ConfigException when {@code value} is not a number, not whole, or out of range
   */
  public static int wholeNumber(String key, Object value) {
    if (!(value instanceof Number)) {
      throw new ConfigException(key, "must be a whole number, was " + describe(value));
    }
    double d = ((Number) value).doubleValue();
    if (d != Math.rint(d)) {
      throw new ConfigException(key, "must be a whole number, was " + describe(value));
    }
    if (d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
      throw new ConfigException(key, "must be a whole number from " + Integer.MIN_VALUE + " to "
          + Integer.MAX_VALUE + ", was " + describe(value));
    }
    return ((Number) value).intValue();
  }

  /**
   * A value as error messages show it, never longer than about a hundred characters and never
   * rendering nested content: {@code null}; strings quoted and cut
   * ({@code "abc...xyz" (1048576 characters)}); JSON objects and arrays (and maps and
   * collections) by kind ({@code a JSON object}); buffers and byte arrays by size
   * ({@code a buffer of 12 bytes}); durations in the configuration syntax ({@code 30s}, see
   * {@link Durations#format(Duration)}); numbers, booleans and anything else as
   * {@link String#valueOf(Object)}, cut.
   *
   * @param value any value, or {@code null}
   * @return its description for a message
   */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof CharSequence) {
      String s = value.toString();
      return s.length() > MAX_SHOWN
          ? "\"" + s.substring(0, MAX_SHOWN) + "...\" (" + s.length() + " characters)"
          : "\"" + s + "\"";
    }
    if (value instanceof JsonObject || value instanceof Map) {
      return "a JSON object";
    }
    if (value instanceof JsonArray || value instanceof Collection) {
      return "a JSON array";
    }
    if (value instanceof Buffer) {
      return "a buffer of " + ((Buffer) value).length() + " bytes";
    }
    if (value instanceof byte[]) {
      return "a byte array of " + ((byte[]) value).length + " bytes";
    }
    if (value instanceof Duration) {
      return Durations.format((Duration) value);
    }
    String s = String.valueOf(value);
    return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s;
  }
}
