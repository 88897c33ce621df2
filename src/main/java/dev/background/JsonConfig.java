package dev.background;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/** Typed reads of configuration values, failing with a {@link ConfigException} naming the key. */
public final class JsonConfig {

  private JsonConfig() {
  }

  public static void knownKeys(JsonObject json, List<String> keys) {
    for (String key : json.fieldNames()) {
      if (!keys.contains(key)) {
        throw new ConfigException(key, "unknown key (expected one of " + String.join(", ", keys) + ")");
      }
    }
  }

  public static String string(String key, Object value) {
    if (!(value instanceof String)) {
      throw new ConfigException(key, "must be a string, was " + describe(value));
    }
    return (String) value;
  }

  public static String nonBlank(String key, Object value) {
    String s = string(key, value);
    if (s.isBlank()) {
      throw new ConfigException(key, "must not be blank, was " + describe(value));
    }
    return s;
  }

  public static boolean bool(String key, Object value) {
    if (!(value instanceof Boolean)) {
      throw new ConfigException(key, "must be true or false, was " + describe(value));
    }
    return (Boolean) value;
  }

  public static JsonObject object(String key, Object value) {
    if (!(value instanceof JsonObject)) {
      throw new ConfigException(key, "must be a JSON object, was " + describe(value));
    }
    return (JsonObject) value;
  }

  public static JsonArray array(String key, Object value) {
    if (!(value instanceof JsonArray)) {
      throw new ConfigException(key, "must be a JSON array, was " + describe(value));
    }
    return (JsonArray) value;
  }

  public static Duration duration(String key, Object value) {
    try {
      return Durations.parse(key, value);
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("", e);
    }
  }

  public static int wholeNumber(String key, Object value) {
    if (!(value instanceof Number)) {
      throw new ConfigException(key, "must be a whole number, was " + describe(value));
    }
    double d = ((Number) value).doubleValue();
    if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
      throw new ConfigException(key, "must be a whole number, was " + describe(value));
    }
    return ((Number) value).intValue();
  }

  /** A value for an error message: strings quoted and cut short, objects and arrays by kind. */
  public static String describe(Object value) {
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return Durations.describe(value);
  }
}
