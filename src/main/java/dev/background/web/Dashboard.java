package dev.background.web;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The dashboard: its page ({@value #PAGE}) and its script ({@value #SCRIPT}, a file of its own so
 * that the page's Content-Security-Policy needs no {@code 'unsafe-inline'} script), read once
 * from the jar when the first router is built and kept in memory: a few kilobytes, so serving
 * them never touches the file system. Immutable and thread-safe.
 */
final class Dashboard {

  static final String PAGE = "dev/background/web/dashboard.html";
  static final String SCRIPT = "dev/background/web/dashboard.js";

  private static final Asset PAGE_ASSET = new Asset(load(PAGE), "text/html; charset=utf-8", true);
  private static final Asset SCRIPT_ASSET = new Asset(load(SCRIPT), "text/javascript; charset=utf-8", false);

  private Dashboard() {
  }

  /** The HTML page. */
  static Asset page() {
    return PAGE_ASSET;
  }

  /** The page's script, which the page loads as {@code dashboard.js}, relative to its own URL. */
  static Asset script() {
    return SCRIPT_ASSET;
  }

  /** A file of the dashboard: its bytes, content type and entity tag. Immutable. */
  static final class Asset {

    private final Buffer bytes;
    private final String contentType;
    private final boolean page;
    private final String etag;

    private Asset(Buffer bytes, String contentType, boolean page) {
      this.bytes = bytes;
      this.contentType = contentType;
      this.page = page;
      this.etag = etag(bytes.getBytes());
    }

    /** A copy of the bytes (a buffer is mutable, and sending one may consume it). */
    Buffer bytes() {
      return bytes.copy();
    }

    String contentType() {
      return contentType;
    }

    /** Whether this is the page, which carries the Content-Security-Policy. */
    boolean isPage() {
      return page;
    }

    /** A strong entity tag: the first 128 bits of the SHA-256 of the bytes, in hex, quoted. */
    String etag() {
      return etag;
    }

    /** Whether an {@code If-None-Match} value ({@code null} when absent) names this version. */
    boolean matches(String ifNoneMatch) {
      if (ifNoneMatch == null) {
        return false;
      }
      for (String tag : ifNoneMatch.split(",")) {
        String t = tag.trim();
        // Weak comparison, as RFC 9110 asks for If-None-Match.
        if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
          return true;
        }
      }
      return false;
    }

    private static String etag(byte[] bytes) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        StringBuilder hex = new StringBuilder("\"");
        for (int i = 0; i < 16; i++) {
          hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16))
              .append(Character.forDigit(digest[i] & 0xf, 16));
        }
        return hex.append('"').toString();
      } catch (NoSuchAlgorithmException e) {
        // Every Java platform must provide SHA-256.
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }
  }

  private static Buffer load(String resource) {
    // Class, not ClassLoader: on the module path a class reads any resource of its own module,
    // a class loader only those in open packages.
    try (InputStream in = Dashboard.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("TasksRouter: the dashboard's " + resource
            + " is missing from the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("TasksRouter: cannot read the dashboard's " + resource, e);
    }
  }
}
