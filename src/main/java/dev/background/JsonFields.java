package dev.background;

import io.vertx.core.json.JsonObject;

/**
 * JsonFields is where the fields of one JSON object go: into a {@link JsonObject} being built
 * ({@link #into(JsonObject)}) or straight to bytes ({@link JsonBytes}). A value type writes its
 * layout once, against this interface, so its {@code toJson()} and its streamed bytes cannot
 * drift apart.
 */
interface JsonFields {

  void put(String key, String value);

  void put(String key, long value);

  void put(String key, int value);

  void put(String key, boolean value);

  /** A value of any type {@link JsonObject#put(String, Object)} takes, {@code null} included. */
  void put(String key, Object value);

  /** The fields written into {@code json}, in order. */
  static JsonFields into(JsonObject json) {
    return new JsonFields() {
      @Override
      public void put(String key, String value) {
        json.put(key, value);
      }

      @Override
      public void put(String key, long value) {
        json.put(key, value);
      }

      @Override
      public void put(String key, int value) {
        json.put(key, value);
      }

      @Override
      public void put(String key, boolean value) {
        json.put(key, value);
      }

      @Override
      public void put(String key, Object value) {
        json.put(key, value);
      }
    };
  }
}
