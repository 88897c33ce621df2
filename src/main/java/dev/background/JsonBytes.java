package dev.background;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * JsonBytes writes statuses as UTF-8 JSON straight into a {@link Buffer}, with a Jackson
 * generator, instead of building a {@code JsonObject} tree per status and encoding the trees: the
 * same JSON as {@link TaskStatus#toJson()} (the layout is {@code TaskStatus.writeFields}), at a
 * fraction of the time and garbage for a list of 100,000 (docs/BENCHMARKS.md, scenario 4).
 * Nested values (an error, the history, a schedule) are rare and small; they are written from
 * their {@code toJson()} by Vert.x's own encoder.
 */
final class JsonBytes implements JsonFields {

  private static final JsonFactory FACTORY = new JsonFactory();

  /** A little more than an idle task's status (about 400 B): a list rarely regrows its buffer. */
  private static final int BYTES_PER_STATUS = 448;

  private final JsonGenerator out;

  /**
   * The keys of the layout, encoded once, by their position in an object: the generator copies
   * their bytes instead of encoding the characters of every key of every status, and finding one
   * is a compare of references (a map lookup per field cost as much as it saved).
   */
  private SerializedString[] keys = new SerializedString[32];
  private int field;

  private JsonBytes(JsonGenerator out) {
    this.out = out;
  }

  /** The JSON array of {@code statuses}. */
  static Buffer array(List<TaskStatus> statuses) {
    return write(statuses.size(), out -> out.writeArray(statuses));
  }

  /** {@code {"tasks": [...], "next": next}}. */
  static Buffer page(List<TaskStatus> statuses, String next) {
    return write(statuses.size(), out -> {
      out.out.writeStartObject();
      out.out.writeFieldName("tasks");
      out.writeArray(statuses);
      out.out.writeStringField("next", next);
      out.out.writeEndObject();
    });
  }

  private interface Body {
    void write(JsonBytes out) throws IOException;
  }

  private static Buffer write(int statuses, Body body) {
    long size = 64L + (long) statuses * BYTES_PER_STATUS;
    Buffer buffer = Buffer.buffer((int) Math.min(Integer.MAX_VALUE - 8, size));
    try (JsonGenerator generator = FACTORY.createGenerator(new BufferStream(buffer))) {
      body.write(new JsonBytes(generator));
    } catch (IOException e) {
      // A Buffer does not fail to grow: an error here is one of the generator's (a bug of ours).
      throw new EncodeException("statuses as JSON: " + e.getMessage(), e);
    }
    return buffer;
  }

  private void writeArray(List<TaskStatus> statuses) throws IOException {
    out.writeStartArray();
    for (TaskStatus s : statuses) {
      out.writeStartObject();
      field = 0;
      s.writeFields(this);
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  @Override
  public void put(String key, String value) throws IOException {
    out.writeFieldName(key(key));
    out.writeString(value);
  }

  @Override
  public void put(String key, long value) throws IOException {
    out.writeFieldName(key(key));
    out.writeNumber(value);
  }

  @Override
  public void put(String key, int value) throws IOException {
    out.writeFieldName(key(key));
    out.writeNumber(value);
  }

  @Override
  public void put(String key, boolean value) throws IOException {
    out.writeFieldName(key(key));
    out.writeBoolean(value);
  }

  @Override
  public void put(String key, Object value) throws IOException {
    out.writeFieldName(key(key));
    JacksonCodec.encodeJson(value, out);
  }

  private SerializedString key(String key) {
    int i = field++;
    if (i == keys.length) {
      keys = Arrays.copyOf(keys, 2 * i);
    }
    SerializedString encoded = keys[i];
    if (encoded == null || encoded.getValue() != key) {
      encoded = new SerializedString(key);
      keys[i] = encoded;
    }
    return encoded;
  }

  /** The bytes the generator flushes (8 KB at a time), appended to the buffer. */
  private static final class BufferStream extends OutputStream {
    private final Buffer buffer;

    BufferStream(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      buffer.appendBytes(bytes, offset, length);
    }
  }
}
