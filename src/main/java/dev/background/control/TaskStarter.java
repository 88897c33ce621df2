package dev.background.control;

import dev.background.TaskHandle;

import java.util.NoSuchElementException;

/**
 * TaskStarter is how the {@link ControlAction#START start} action starts a task by name: the
 * verticle plugs in its declared tasks. Errors are told by exception type: implementations must
 * be thread-safe and must not block.
 */
public interface TaskStarter {

  /** A starter that knows no task: every {@code start} request gets 404. */
  TaskStarter NONE = name -> {
    throw new NoSuchElementException("no task named \"" + name + "\"");
  };

  /**
   * Starts the task called {@code name}.
   *
   * @return the started task's handle
   * @throws NoSuchElementException when there is no such task (reply code 404)
   * @throws IllegalStateException when its state or the tracker's forbids it (409)
   */
  TaskHandle start(String name);

  /** Whether {@code name} could be started, even if it is not running now (for 404 messages). */
  default boolean isDeclared(String name) {
    return false;
  }
}
