package dev.background;

import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * JsonFields is where the fields of one JSON object go: into a {@link JsonObject} being built
 * ({@link #into(JsonObject)}) or straight to bytes ({@link JsonBytes}, which writes the typed
 * values without boxing them). A value type writes its layout once, against this interface, so
 * its {@code toJson()} and its streamed bytes cannot drift apart.
 */
@FunctionalInterface
interface JsonFields {

  /** A value of any type {@link JsonObject#put(String, Object)} takes, {@code null} included. */
  void put(String key, Object value) throws IOException;

  default void put(String key, String value) throws IOException {
    put(key, (Object) value);
  }

  default void put(String key, long value) throws IOException {
    put(key, (Object) value);
  }

  default void put(String key, int value) throws IOException {
    put(key, (Object) value);
  }

  default void put(String key, boolean value) throws IOException {
    put(key, (Object) value);
  }

  /** The fields written into {@code json}, in order. */
  static JsonFields into(JsonObject json) {
    return json::put;
  }
}
