package dev.background.control;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The control actions, each with its wire name (the {@code action} of an event-bus request, the
 * last path segment of an HTTP control route) and what it needs. Adding an action is a constant
 * here and its case in {@link TasksControl}: the parser, the event-bus handler, the cluster
 * fan-out and, when {@link #overHttp()}, the HTTP routes pick it up from this list.
 */
public enum ControlAction {

  /**
   * Every task's status, sorted by name, or a page of them: {@code {"tasks": [status, ...],
   * "next": name}} (see {@link ListQuery}).
   */
  LIST("list", false, false, false),

  /**
   * Counts of the tasks by state and by kind, and the summed counters of every task the tracker
   * has had: {@link dev.background.TasksSummary#toJson()}.
   */
  SUMMARY("summary", false, false, false),

  /** One task's status. */
  STATUS("status", true, false, false),

  /**
   * Cancels a task; replies once its current run has ended, or after the cancel wait. Idempotent:
   * for a task that has ended, even on a closed tracker, it replies the final status.
   */
  CANCEL("cancel", true, true, true),

  /** Runs a task now, skipping its pending backoff or start delay. */
  RESTART("restart", true, true, true),

  /** Pauses a {@code run} task: no restart until resumed. */
  PAUSE("pause", true, true, true),

  /** Ends a pause. */
  RESUME("resume", true, true, true),

  /**
   * Starts a declared task that is not running, through the {@link TaskStarter}: revives one that
   * has finished (gave up, failed, completed, cancelled).
   */
  START("start", true, true, true),

  /**
   * Fires a schedule now, outside its slots, under its overlap policy
   * ({@link dev.background.TaskHandle#trigger()}); 409 for a task that is not a schedule or a fire
   * the policy refuses.
   */
  TRIGGER("trigger", true, true, true),

  /**
   * One task's status plus what its detail view shows: its backoff, its run options and the stack
   * trace of its last failure (HTTP shows the stack trace only to requests allowed to control).
   */
  DETAIL("detail", true, false, false);

  private static final List<String> WIRE_NAMES = Arrays.stream(values())
      .map(ControlAction::wireName).collect(Collectors.toUnmodifiableList());

  private final String wireName;
  private final boolean needsName;
  private final boolean mutates;
  private final boolean overHttp;

  ControlAction(String wireName, boolean needsName, boolean mutates, boolean overHttp) {
    this.wireName = wireName;
    this.needsName = needsName;
    this.mutates = mutates;
    this.overHttp = overHttp;
  }

  /** The name on the wire: {@code "list"}, {@code "cancel"}, ... */
  public String wireName() {
    return wireName;
  }

  /** Whether a request for this action must name a task. */
  public boolean needsName() {
    return needsName;
  }

  /**
   * Whether the action changes a task; a closed tracker refuses those (409), except
   * {@link #CANCEL}, which is idempotent.
   */
  public boolean mutates() {
    return mutates;
  }

  /**
   * Whether the HTTP router serves it as {@code POST /tasks/:name/<wire name>} (when control over
   * HTTP is on).
   */
  public boolean overHttp() {
    return overHttp;
  }

  /** The action called {@code wireName} (case-sensitive), if there is one. */
  public static Optional<ControlAction> fromWire(String wireName) {
    for (ControlAction a : values()) {
      if (a.wireName.equals(wireName)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Every wire name, in declaration order: list, summary, status, cancel, restart, pause, resume,
   * start, trigger, detail.
   */
  public static List<String> wireNames() {
    return WIRE_NAMES;
  }
}
