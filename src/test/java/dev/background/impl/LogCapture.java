package dev.background.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Captures what slf4j-simple prints for the logger {@code dev.background.Tasks} while a test
 * runs: it sets that logger's level (the test resources turn it off, and slf4j-simple reads its
 * levels only once, so the level is set on the logger itself, as {@code TasksWarnLogging} does)
 * and takes {@code System.err}, where slf4j-simple writes. {@link #close()} puts both back.
 */
final class LogCapture implements AutoCloseable {

  /** slf4j-simple's levels ({@code org.slf4j.spi.LocationAwareLogger}). */
  static final int DEBUG = 10;
  static final int INFO = 20;
  static final int WARN = 30;

  private final Logger logger = LoggerFactory.getLogger("dev.background.Tasks");
  private final Field level;
  private final int before;
  private final PrintStream err = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private LogCapture(int newLevel) {
    try {
      level = field(logger.getClass(), "currentLogLevel");
      level.setAccessible(true);
      before = level.getInt(logger);
      level.setInt(logger, newLevel);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("LogCapture: not slf4j-simple: " + logger.getClass(), e);
    }
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  /** Captures from now on, with the logger at {@code level}. */
  static LogCapture at(int level) {
    return new LogCapture(level);
  }

  /** Everything printed so far. */
  String text() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** The lines printed so far that name {@code task} (the log lines, without the stacks). */
  List<String> linesOf(String task) {
    return Arrays.stream(text().split("\n")).filter(l -> l.contains(" - " + task + ": "))
        .collect(Collectors.toList());
  }

  /** How many stack traces were printed: the lines that begin one ("\tat " after a non-frame). */
  int stacks() {
    String[] lines = text().split("\n");
    int count = 0;
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].startsWith("\tat ") && !lines[i - 1].startsWith("\tat ")
          && !lines[i - 1].startsWith("Caused by")) {
        count++;
      }
    }
    return count;
  }

  @Override
  public void close() {
    System.setErr(err);
    try {
      level.setInt(logger, before);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name);
  }
}
