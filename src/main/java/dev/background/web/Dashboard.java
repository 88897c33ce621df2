package dev.background.web;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The dashboard page, read once from the jar ({@value #RESOURCE}) when the first router is built
 * and kept in memory: a few kilobytes, so serving it never touches the file system. Immutable and
 * thread-safe.
 */
final class Dashboard {

  static final String RESOURCE = "dev/background/web/dashboard.html";

  private static final Buffer PAGE = load();

  private Dashboard() {
  }

  /** The page's bytes. */
  static Buffer page() {
    return PAGE;
  }

  private static Buffer load() {
    // Class, not ClassLoader: on the module path a class reads any resource of its own module,
    // a class loader only those in open packages.
    try (InputStream in = Dashboard.class.getResourceAsStream("/" + RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("TasksRouter: the dashboard " + RESOURCE
            + " is missing from the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("TasksRouter: cannot read the dashboard " + RESOURCE, e);
    }
  }
}
