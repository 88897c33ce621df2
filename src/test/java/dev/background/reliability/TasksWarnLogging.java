package dev.background.reliability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * Turns WARN on for the logger {@code dev.background.Tasks} while a test runs, so that failures
 * really go through the logger's rendering (slf4j-simple prints a failure with
 * {@code printStackTrace}, which calls its {@code toString()}). The test resources turn that logger
 * off, and slf4j-simple reads its levels only once, so the level is set on the logger itself;
 * {@link #close()} puts it back.
 */
final class TasksWarnLogging implements AutoCloseable {

  private static final int WARN = 30; // org.slf4j.spi.LocationAwareLogger.WARN_INT

  private final Logger logger = LoggerFactory.getLogger("dev.background.Tasks");
  private final Field level;
  private final int before;

  private TasksWarnLogging() {
    try {
      level = field(logger.getClass(), "currentLogLevel");
      level.setAccessible(true);
      before = level.getInt(logger);
      level.setInt(logger, WARN);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("TasksWarnLogging: not slf4j-simple: " + logger.getClass(), e);
    }
    if (!logger.isWarnEnabled()) {
      throw new IllegalStateException("TasksWarnLogging: WARN is still off for " + logger.getName());
    }
  }

  /** WARN is on for {@code dev.background.Tasks} until {@link #close()}. */
  static TasksWarnLogging on() {
    return new TasksWarnLogging();
  }

  @Override
  public void close() {
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
