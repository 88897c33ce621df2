package dev.background.web;

import dev.background.Tasks;
import dev.background.control.TaskStarter;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.Objects;

/**
 * TasksRouter builds the HTTP face of a tracker: a vertx-web {@link Router} that an application
 * mounts anywhere ({@code router.route("/ops/*").subRouter(TasksRouter.create(vertx, tasks,
 * options))}) or that {@link TasksHttpServer} serves on its own port. Paths below are relative
 * to the mount point; every {@code GET} route answers {@code HEAD} too.
 *
 * <ul>
 *   <li>{@code GET /tasks}: a JSON array of {@link dev.background.TaskStatus#toJson() statuses},
 *       sorted by name. {@code ?state=RUNNING} and {@code ?kind=ONCE} filter (case-insensitive;
 *       several values, repeated or comma-separated, match any of them); an unknown value is a
 *       400 that names the parameter and the value.</li>
 *   <li>{@code GET /tasks/:name}: one status, by full name or by a short name that only one task
 *       has; 404 when there is none.</li>
 *   <li>{@code GET /tasks/:name/detail}: the status plus what the dashboard's task view shows:
 *       {@code backoff}, {@code options} (run options by name; of {@code config} only its keys)
 *       and {@code stackTrace}, the last failure's stack trace while the last run failed. The
 *       stack trace is sent only to a request that would be allowed to control (see below):
 *       otherwise it is {@code null} and {@code stackTraceHidden} is {@code true}.</li>
 *   <li>{@code GET /control}: {@code {"mode": "token"|"user"|"none", "allowed": bool}}, plus the
 *       {@code code} and {@code error} a control request would get when not allowed; the
 *       dashboard reads it to show its buttons.</li>
 *   <li>{@code GET /health}: the verdict of {@link dev.background.control.HealthVerdict}: 200
 *       {@code {"status":"UP", ...}}, or 503 {@code {"status":"DOWN", "reasons":[...], ...}} when
 *       a critical task is in {@code GAVE_UP} or {@code FAILED} or the tracker is closed; tasks
 *       that are not critical and ended so are listed in {@code warnings} and leave it UP.</li>
 *   <li>{@code GET /metrics}: the Prometheus text exposition of the tracker's registry
 *       ({@link Tasks#meterRegistry()}) when it is (or contains) a Prometheus registry; 404 when
 *       metrics are off or not Prometheus.</li>
 *   <li>{@code GET /}: the dashboard, one self-contained HTML page whose script,
 *       {@code GET /dashboard.js}, polls {@code tasks} and {@code health} (relative URLs, so it
 *       works under any mount point; more than 500 tasks are paged with {@code limit} and
 *       {@code after}). Rows sort by severity (or by name), a banner gives the reasons of a
 *       {@code DOWN} health, and a task's name opens its detail view ({@code detail}). When
 *       control is on it shows buttons (pause, resume, restart now, start, trigger, cancel) that
 *       post the control routes and answer in the page; in token mode it asks for the token once
 *       and keeps it in the tab's {@code sessionStorage}, never in a URL. Its Content-Security-Policy allows scripts from this origin only
 *       ({@code script-src 'self'}: no inline script, no eval). Both files are sent with
 *       {@code Cache-Control: no-cache}, an {@code ETag} (304 to a matching
 *       {@code If-None-Match}) and {@code X-Content-Type-Options: nosniff}. A request for the
 *       mount point without its trailing slash ({@code /ops}) is redirected to {@code /ops/}.</li>
 *   <li>{@code POST /tasks/:name/cancel}, {@code /restart}, {@code /pause}, {@code /resume},
 *       {@code /start} (revive a declared task that has finished, as the event-bus action does:
 *       404 for a task that the router's {@link TaskStarter} does not know) and {@code /trigger}
 *       (fire a schedule now; 409 for a task that is not a schedule or a fire its overlap policy
 *       refuses): only when control over HTTP is on ({@link TasksWebOptions#isControlEnabled()};
 *       otherwise they are 404 like any unknown path). In token mode they require exactly one
 *       {@code Authorization: Bearer <token>} header, checked before anything else and compared
 *       in constant time: 400 with more than one {@code Authorization} header (whatever they
 *       hold), 401 (with {@code WWW-Authenticate}) without a bearer token, 403 with a wrong one.
 *       In user mode they require the application's user ({@code RoutingContext.user()}, 401
 *       without) with the configured authorization (403 without). Then 404 for no such task,
 *       409 when the task's state (or a closed tracker) forbids the action, else 200 with the
 *       task's status. {@code cancel} waits up to
 *       {@link dev.background.control.TasksControl#DEFAULT_CANCEL_WAIT} (5 s) for the current run
 *       to end, and answers 202 with the status when it has not. Cancel is idempotent: a task
 *       that has ended answers 200 with its final status, even on a closed tracker.</li>
 * </ul>
 *
 * <p>The task routes speak the control protocol of {@link dev.background.control}: the same
 * actions, checks, messages and codes as event-bus control. In a cluster (the verticle sets
 * {@link TasksWebOptions#setClusterAddress(String)} when {@code cluster.enabled}), they are
 * cluster-wide exactly like event-bus control: {@code GET /tasks} lists every node's tasks, and
 * {@code GET /tasks/:name} and the control {@code POST}s reach every node that has the task
 * (the reply adds {@code nodes} and {@code unreachable}; the header {@code X-Unreachable-Nodes}
 * lists the nodes that did not answer). {@code ?scope=local} asks this node only. When the cluster
 * cannot be asked the answer is 503.
 *
 * <p><b>Host rule</b>, against DNS rebinding: a request that reaches the router over loopback
 * (the connection's local address is {@code 127.0.0.0/8} or {@code ::1}) must name a loopback host
 * in its {@code Host} header ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}, any port) or
 * one of {@link TasksWebOptions#getAllowedHosts()}; any other name is a 421 on every route,
 * before anything else. The router asks the connection, so the rule holds wherever it is mounted;
 * requests that arrive on another interface are not checked. See
 * {@link TasksWebOptions#setAllowedHosts(java.util.List)} for a reverse proxy on the same machine.
 *
 * <p>Errors are JSON {@code {"status": N, "error": "..."}}: 400 (bad filter or scope, blank name
 * or one longer than {@value dev.background.Tasks#MAX_NAME_LENGTH} characters, more than one
 * {@code Host} or {@code Authorization} header), 401, 403, 404 (unknown path or task), 405 (known
 * path, other method; with an {@code Allow} header), 409, 413 (request body over
 * {@value #MAX_BODY_BYTES} bytes), 421 (a foreign {@code Host} over loopback), 500 (unexpected;
 * details are logged, not sent), 503 (the cluster could not be asked). The router
 * answers every request that reaches it, so unknown paths under its mount point are its 404s.
 *
 * <p>The router holds no mutable state: handlers read the tracker, which is thread-safe, and
 * never block. Thread-safe.
 */
public final class TasksRouter {

  /** The largest request body accepted, in bytes; larger is a 413. No route reads a body. */
  public static final long MAX_BODY_BYTES = 4096;

  private TasksRouter() {
  }

  /**
   * Builds the router, whose {@code start} route knows no task (it answers 404). The options are
   * copied; the control guard, {@code allowedHosts} and {@code clusterAddress} are read here (the
   * host, port and root concern {@link TasksHttpServer}).
   *
   * @throws NullPointerException when an argument is null
   */
  public static Router create(Vertx vertx, Tasks tasks, TasksWebOptions options) {
    return create(vertx, tasks, options, TaskStarter.NONE);
  }

  /**
   * Builds the router, whose {@code start} route starts tasks with {@code starter} (the verticle
   * passes its declared tasks). Otherwise as {@link #create(Vertx, Tasks, TasksWebOptions)}.
   *
   * @throws NullPointerException when an argument is null
   */
  public static Router create(Vertx vertx, Tasks tasks, TasksWebOptions options, TaskStarter starter) {
    Objects.requireNonNull(vertx, "TasksRouter.create: vertx must not be null");
    Objects.requireNonNull(tasks, "TasksRouter.create: tasks must not be null");
    Objects.requireNonNull(options, "TasksRouter.create: options must not be null");
    Objects.requireNonNull(starter, "TasksRouter.create: starter must not be null");
    return new TasksRoutes(vertx, tasks, new TasksWebOptions(options), starter).router();
  }
}
