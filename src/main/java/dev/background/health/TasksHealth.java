package dev.background.health;

import dev.background.Tasks;
import dev.background.control.HealthVerdict;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.Objects;

/**
 * TasksHealth plugs a tracker's health into an application's own vertx-health-check
 * {@link HealthChecks}, so the application's {@code /health} (a vertx-web
 * {@code HealthCheckHandler.createWithHealthChecks(checks)}, or its own code) shows our verdict
 * next to its database and the rest:
 *
 * <pre>{@code
 * HealthChecks checks = HealthChecks.create(vertx);
 * TasksHealth.register(checks, tasks);            // the procedure "background-tasks"
 * router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(checks));
 * }</pre>
 *
 * <p>The procedure's status is the {@link HealthVerdict} of the tracker when it is asked: KO
 * (DOWN) when the tracker is closed or a critical task is in {@code GAVE_UP} or {@code FAILED},
 * else OK; its data is the verdict's JSON ({@code reasons}, {@code warnings}, the state counts),
 * the same body as {@code GET /health} of {@code TasksRouter}, which stays for applications
 * without health checks of their own. Reading the verdict takes no lock a task holds and never
 * blocks. Thread-safe; no state of its own.
 */
public final class TasksHealth {

  /** The name of the procedure {@link #register(HealthChecks, Tasks)} registers. */
  public static final String PROCEDURE = "background-tasks";

  private TasksHealth() {
  }

  /**
   * Registers the procedure {@value #PROCEDURE} on {@code checks}: the verdict on {@code tasks}.
   * Registering again under the same name replaces the procedure.
   *
   * @param checks the application's health checks
   * @param tasks the tracker
   * @return {@code checks}, for chaining
   */
  public static HealthChecks register(HealthChecks checks, Tasks tasks) {
    return register(checks, tasks, PROCEDURE);
  }

  /**
   * Registers the verdict on {@code tasks} as the procedure {@code name}: for an application with
   * several trackers, or one that files procedures in groups ({@code "jobs/background-tasks"}).
   *
   * @param checks the application's health checks
   * @param tasks the tracker
   * @param name the procedure's name, non-blank
   * @return {@code checks}, for chaining
   */
  public static HealthChecks register(HealthChecks checks, Tasks tasks, String name) {
    Objects.requireNonNull(checks, "TasksHealth.register: checks must not be null");
    Objects.requireNonNull(tasks, "TasksHealth.register: tasks must not be null");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("TasksHealth.register: name must not be blank, was "
          + (name == null ? "null" : "\"" + name + "\""));
    }
    return checks.register(name, promise -> promise.complete(status(HealthVerdict.of(tasks))));
  }

  /** The verdict as a vertx-health-check status: OK when UP, KO when DOWN, its JSON as data. */
  static Status status(HealthVerdict verdict) {
    return new Status().setOk(verdict.isUp()).setData(verdict.toJson());
  }
}
