package dev.background.web;

import dev.background.Tasks;
import dev.background.control.TaskStarter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * TasksHttpServer serves a {@link TasksRouter} on a server of its own: what {@code TasksVerticle}
 * does with its {@code http} configuration. Stateless and thread-safe.
 */
public final class TasksHttpServer {

  /** Seconds after which an idle connection is closed: 60. */
  public static final int IDLE_TIMEOUT_SECONDS = 60;

  private static final Logger LOG = LoggerFactory.getLogger(TasksHttpServer.class);

  private TasksHttpServer() {
  }

  /**
   * Checks {@code options} ({@link TasksWebOptions#validate()}), then binds {@code host} and
   * {@code port} and serves the routes under {@code root}. The bound port, which is the chosen
   * one when {@code port} is 0, is logged at INFO and given by {@link HttpServer#actualPort()}.
   * {@code enabled} is not read: the caller has decided to serve. The Host rule of
   * {@link TasksRouter} holds on the whole server, outside {@code root} too: on the default
   * loopback bind, a request naming another host than a loopback one (or one of
   * {@code allowedHosts}) is a 421.
   *
   * <p>Called from a verticle, the server belongs to that verticle and closes when it is
   * undeployed; otherwise the caller closes it ({@link HttpServer#close()}).
   *
   * @return the listening server; a future failed with {@link IllegalArgumentException} when the
   *     options are refused (nothing is bound then), or with the bind error (not logged here:
   *     the caller reports it)
   * @throws NullPointerException when an argument is null
   */
  public static Future<HttpServer> start(Vertx vertx, Tasks tasks, TasksWebOptions options) {
    return start(vertx, tasks, options, TaskStarter.NONE);
  }

  /**
   * As {@link #start(Vertx, Tasks, TasksWebOptions)}, with a {@code start} route (and action)
   * that starts tasks with {@code starter}: what {@code TasksVerticle} passes for its declared
   * tasks.
   *
   * @return the listening server, or a future failed as the other form's
   * @throws NullPointerException when an argument is null
   */
  public static Future<HttpServer> start(Vertx vertx, Tasks tasks, TasksWebOptions options,
      TaskStarter starter) {
    Objects.requireNonNull(vertx, "TasksHttpServer.start: vertx must not be null");
    Objects.requireNonNull(tasks, "TasksHttpServer.start: tasks must not be null");
    Objects.requireNonNull(options, "TasksHttpServer.start: options must not be null");
    Objects.requireNonNull(starter, "TasksHttpServer.start: starter must not be null");
    TasksWebOptions opts = new TasksWebOptions(options);
    Router routes;
    try {
      opts.validate();
      routes = TasksRouter.create(vertx, tasks, opts, starter);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Router server;
    String root = opts.getRoot();
    if (root.equals("/")) {
      server = routes;
    } else {
      server = Router.router(vertx);
      TasksRoutes.guard(server, new LoopbackHostRule(opts.getAllowedHosts()));
      server.route(root + "/*").subRouter(routes);
      server.route().handler(ctx -> TasksRoutes.error(ctx, 404, "no such path: "
          + ctx.request().path() + " (the dashboard is at " + root + "/)"));
    }
    // Idle connections are closed after a minute: the dashboard polls every second, and a client
    // that opens a connection and sends nothing should not hold it forever.
    return vertx.createHttpServer(new HttpServerOptions().setHost(opts.getHost()).setPort(opts.getPort())
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS))
        .requestHandler(server)
        .listen()
        .onSuccess(s -> LOG.info("Tasks HTTP: dashboard on http://{}:{}{} (control over HTTP {})",
            hostForUrl(opts.getHost()), s.actualPort(), root.equals("/") ? "/" : root + "/",
            opts.getControlToken() != null ? "on, with a bearer token"
                : opts.isControlUser() ? "on for the application's user" : "off"))
        .onSuccess(s -> {
          if (opts.isControlUser()) {
            LOG.warn("Tasks HTTP: controlUser is true but this server has no authentication"
                + " handler, so every control request is a 401; mount TasksRouter behind the"
                + " application's AuthenticationHandler instead");
          }
        });
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
