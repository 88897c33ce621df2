package dev.background.web;

import dev.background.TaskKind;
import dev.background.TaskPage;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.control.ControlAction;
import dev.background.control.ControlException;
import dev.background.control.ControlRequest;
import dev.background.control.ControlScope;
import dev.background.control.HealthVerdict;
import dev.background.control.ListQuery;
import dev.background.control.TaskStarter;
import dev.background.control.TasksControl;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authorization.Authorization;
import io.vertx.ext.auth.authorization.AuthorizationProvider;
import io.vertx.ext.auth.authorization.PermissionBasedAuthorization;
import io.vertx.ext.auth.authorization.RoleBasedAuthorization;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routes of {@link TasksRouter} and their handlers. Built once per router; immutable after
 * construction, so thread-safe. Handlers run on the server's event loop and never block: they
 * read snapshots from the tracker and answer, or wait on a future for control actions.
 *
 * <p>Task requests ({@code GET /tasks}, {@code GET /tasks/:name}, the control {@code POST}s) are
 * {@link ControlRequest}s: with a cluster address they go over the event bus to the cluster's
 * control handler, which asks every node; without one, or with {@code ?scope=local}, this node's
 * {@link TasksControl} answers. Either way the outcome's code is the HTTP status.
 *
 * <p>Control is guarded in one of two modes ({@link TasksWebOptions}): a bearer token, or the
 * user that the application's authentication handler put on the request (with an optional
 * authorization). The same check decides whether {@code GET /tasks/:name/detail} shows the stack
 * trace, and what {@code GET /control} answers.
 */
final class TasksRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(TasksRouter.class);

  private static final String JSON = "application/json; charset=utf-8";
  private static final String SERVER_TIME = "X-Server-Time";
  /**
   * The dashboard's policy: its one script is {@code dashboard.js} from this router ('self': no
   * inline script, no eval); styles are inline; it fetches {@code tasks} from its own origin.
   */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline';"
      + " img-src data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
      + " form-action 'none'; frame-ancestors 'none'";

  private final Vertx vertx;
  private final Tasks tasks;
  private final TasksControl control;
  private final BearerToken token;
  /** Whether control requires the application's user (user mode). */
  private final boolean userMode;
  /** In user mode, what the user must have; null for any user. */
  private final Authorization authorization;
  private final List<AuthorizationProvider> providers;
  private final Handler<RoutingContext> metrics;
  private final String clusterAddress;
  private final LoopbackHostRule hostRule;

  TasksRoutes(Vertx vertx, Tasks tasks, TasksWebOptions options, TaskStarter starter) {
    this(vertx, tasks, options, starter, TasksControl.DEFAULT_CANCEL_WAIT.toMillis());
  }

  /** With another wait for a local {@code cancel}: tests use a short one. */
  TasksRoutes(Vertx vertx, Tasks tasks, TasksWebOptions options, long cancelWaitMillis) {
    this(vertx, tasks, options, TaskStarter.NONE, cancelWaitMillis);
  }

  TasksRoutes(Vertx vertx, Tasks tasks, TasksWebOptions options, TaskStarter starter,
      long cancelWaitMillis) {
    this.control = new TasksControl(vertx, tasks, starter, Duration.ofMillis(cancelWaitMillis));
    this.clusterAddress = options.getClusterAddress();
    this.vertx = vertx;
    this.tasks = tasks;
    this.token = options.getControlToken() == null ? null : new BearerToken(options.getControlToken());
    this.userMode = options.isControlUser();
    this.authorization = options.getControlAuthorization() != null ? options.getControlAuthorization()
        : options.getControlPermission() != null
            ? PermissionBasedAuthorization.create(options.getControlPermission()) : null;
    this.providers = options.getControlAuthorizationProviders();
    this.metrics = PrometheusMetrics.handler(tasks.meterRegistry());
    this.hostRule = new LoopbackHostRule(options.getAllowedHosts());
  }

  Router router() {
    Router router = Router.router(vertx);
    guard(router, hostRule);
    router.route().handler(BodyHandler.create(false).setBodyLimit(TasksRouter.MAX_BODY_BYTES));

    read(router, "/", ctx -> asset(ctx, Dashboard.page()));
    read(router, "/dashboard.js", ctx -> asset(ctx, Dashboard.script()));
    read(router, "/tasks", this::list);
    // Before /tasks/:name, which it shadows for a task whose full name is "summary".
    read(router, "/tasks/summary", this::summary);
    read(router, "/tasks/:name", this::one);
    read(router, "/tasks/:name/detail", this::detail);
    read(router, "/control", this::controlInfo);
    read(router, "/health", this::health);
    read(router, "/metrics", metrics);
    if (token != null || userMode) {
      for (ControlAction action : ControlAction.values()) {
        if (action.overHttp()) {
          String path = "/tasks/:name/" + action.wireName();
          router.post(path).handler(ctx -> control(ctx, action));
          router.route(path).handler(ctx -> methodNotAllowed(ctx, "POST"));
        }
      }
    }
    router.route().handler(this::unmatched);
    return router;
  }

  /**
   * The first route of {@code router}: the Host rule, then the target check, with the failure
   * handler. First, so that neither a request nor a failure is matched against a path before the
   * Host and the target have been checked (the failure handler goes first too: a failing request,
   * say one without Host, would otherwise be matched against every route).
   */
  static void guard(Router router, LoopbackHostRule hostRule) {
    router.route().handler(hostRule).handler(TasksRoutes::checkTarget)
        .failureHandler(TasksRoutes::failure);
  }

  /**
   * 400 for a request target that Vert.x cannot decode: a path with an invalid percent-encoding
   * ({@code /tasks/%zz}) or a query with one ({@code ?state=%}). Matching the routes would throw,
   * and vertx-web would log every such request at ERROR with a stack trace. Runs first: a route
   * without a path matches without decoding anything.
   */
  static void checkTarget(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "path: " + e.getMessage());
      return;
    }
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "query: " + e.getMessage());
      return;
    }
    ctx.next();
  }

  // ---------------------------------------------------------------- read-only routes

  /** A GET route (HEAD too: Vert.x sends the headers without the body), 405 for other methods. */
  private static void read(Router router, String path, Handler<RoutingContext> handler) {
    router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(handler);
    router.route(path).handler(ctx -> methodNotAllowed(ctx, "GET, HEAD"));
  }

  /**
   * The page or its script. {@code no-cache} with an ETag: a browser revalidates each time (a
   * 304 when unchanged), so the page and its script never come from two versions of the jar.
   */
  private static void asset(RoutingContext ctx, Dashboard.Asset asset) {
    HttpServerResponse response = ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.ETAG, asset.etag())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    if (asset.isPage()) {
      response.putHeader("Content-Security-Policy", CSP);
    }
    if (asset.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
    } else {
      response.end(asset.bytes());
    }
  }

  /**
   * 404 for an unknown path, except the mount point without its trailing slash ({@code /ops} for
   * a router mounted at {@code /ops/*}), which reaches the router with no relative path: GET is
   * redirected to the dashboard (whose page fetches {@code tasks} relative to its own URL, which
   * must therefore end with '/'), other methods are 405 like on the dashboard itself. The target
   * is the mount point as the application declared it, never the raw request path, so a crafted
   * path ({@code //evil.example/ops}) cannot turn this into an open redirect.
   */
  private void unmatched(RoutingContext ctx) {
    String mount = ctx.mountPoint();
    if (mount != null && mount.length() > 1 && mount.equals(ctx.normalizedPath() + "/")) {
      HttpServerRequest request = ctx.request();
      if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
        String query = request.query();
        ctx.response().setStatusCode(302)
            .putHeader(HttpHeaders.LOCATION, mount + (query == null ? "" : "?" + query))
            .end();
      } else {
        methodNotAllowed(ctx, "GET, HEAD");
      }
      return;
    }
    error(ctx, 404, "no such path: " + ctx.request().path());
  }

  /**
   * {@code GET /tasks}: every task as a JSON array; with {@code ?limit=} or {@code ?after=}, one
   * page as {@code {"tasks": [...], "next": name}} ({@code next} is {@code null} after the last
   * page). {@code ?state=} and {@code ?kind=} filter before the page is cut. The query travels in
   * the {@link ControlRequest} ({@link ListQuery}), so whoever answers (this node, or every node
   * through the cluster address) filters and cuts the page.
   */
  private void list(RoutingContext ctx) {
    ListQuery query;
    try {
      query = new ListQuery(limit(ctx), single(ctx, "after"),
          filter(ctx, "state", TaskState.class), filter(ctx, "kind", TaskKind.class));
    } catch (ControlException e) {
      error(ctx, e.code(), e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    ControlRequest request = request(ctx, ControlAction.LIST, null, query);
    if (request == null) {
      return;
    }
    boolean paged = query.limit() != null || query.after() != null;
    if (!clusterWide(request)) {
      // This node answers alone: its statuses go straight to bytes, no JSON tree is built.
      TaskPage page;
      try {
        page = control.page(query);
      } catch (RuntimeException e) {
        refused(ctx, ControlException.of(e));
        return;
      }
      json(ctx, 200, paged ? page.toBuffer() : TaskStatus.encodeToBuffer(page.tasks()));
      return;
    }
    answer(ctx, request, reply -> {
      // Filtered and sorted by name and node by the cluster's answer.
      JsonArray tasks = reply.getJsonArray("tasks", new JsonArray());
      json(ctx, 200, paged
          ? new JsonObject().put("tasks", tasks).put("next", reply.getString("next")).toBuffer()
          : tasks.toBuffer());
    });
  }

  /** {@code ?limit=}: a whole number >= 1, given at most once; {@code null} when absent. */
  private static Integer limit(RoutingContext ctx) {
    String raw = single(ctx, "limit");
    if (raw == null) {
      return null;
    }
    if (!raw.matches("[0-9]{1,10}") || Long.parseLong(raw) < 1 || Long.parseLong(raw) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("limit: must be a whole number from 1 to "
          + Integer.MAX_VALUE + ", was \"" + (raw.length() > 64 ? raw.substring(0, 64) + "..." : raw) + "\"");
    }
    return Integer.parseInt(raw);
  }

  /** The value of query parameter {@code param}, given at most once; {@code null} when absent. */
  private static String single(RoutingContext ctx, String param) {
    List<String> raw = ctx.queryParam(param);
    if (raw.size() > 1) {
      throw new IllegalArgumentException(param + ": given " + raw.size() + " times; give it once");
    }
    return raw.isEmpty() ? null : raw.get(0);
  }

  /** {@code GET /tasks/summary}: {@link dev.background.TasksSummary#toJson()}, cluster-wide summed. */
  private void summary(RoutingContext ctx) {
    ControlRequest request = request(ctx, ControlAction.SUMMARY, null);
    if (request != null) {
      answer(ctx, request, reply -> json(ctx, 200, reply.toBuffer()));
    }
  }

  /**
   * The values of query parameter {@code param}, repeated or comma-separated, as constants of
   * {@code type} (case-insensitive); {@code null} when the parameter is absent.
   */
  private static <E extends Enum<E>> Set<E> filter(RoutingContext ctx, String param, Class<E> type) {
    List<String> raw = ctx.queryParam(param);
    if (raw.isEmpty()) {
      return null;
    }
    Set<E> wanted = EnumSet.noneOf(type);
    for (String value : raw) {
      for (String v : value.split(",", -1)) {
        String name = v.trim().toUpperCase(Locale.ROOT);
        E found = null;
        for (E e : type.getEnumConstants()) {
          if (e.name().equals(name)) {
            found = e;
          }
        }
        if (found == null) {
          throw new IllegalArgumentException(param + ": unknown value \"" + v + "\" (expected one of "
              + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
              + ")");
        }
        wanted.add(found);
      }
    }
    return wanted;
  }

  private void one(RoutingContext ctx) {
    ControlRequest request = request(ctx, ControlAction.STATUS, ctx.pathParam("name"));
    if (request != null) {
      answer(ctx, request, status -> json(ctx, 200, status.toBuffer()));
    }
  }

  /**
   * The {@code detail} action's reply; its {@code stackTrace} only for a request allowed to
   * control (otherwise null, with {@code "stackTraceHidden": true} when there is one).
   */
  private void detail(RoutingContext ctx) {
    ControlRequest request = request(ctx, ControlAction.DETAIL, ctx.pathParam("name"));
    if (request == null) {
      return;
    }
    Context context = vertx.getOrCreateContext();
    checkControl(ctx).onComplete(allowed -> onContext(context, () ->
        answer(ctx, request, detail -> {
          boolean hidden = allowed.failed() && detail.getValue("stackTrace") != null;
          if (allowed.failed()) {
            detail.putNull("stackTrace");
          }
          json(ctx, 200, detail.put("stackTraceHidden", hidden).toBuffer());
        })));
  }

  /**
   * {@code GET /control}: what the dashboard needs to know before it shows its buttons. The mode
   * ({@code "token"}, {@code "user"} or {@code "none"}), whether this request would be allowed to
   * control, and when not, the {@code code} and {@code error} a control request would get.
   */
  private void controlInfo(RoutingContext ctx) {
    String mode = token != null ? "token" : userMode ? "user" : "none";
    Context context = vertx.getOrCreateContext();
    checkControl(ctx).onComplete(ar -> onContext(context, () -> {
      JsonObject body = new JsonObject().put("mode", mode).put("allowed", ar.succeeded());
      if (ar.failed()) {
        HttpException e = (HttpException) ar.cause();
        body.put("code", e.getStatusCode()).put("error", e.getPayload());
      }
      json(ctx, 200, body.toBuffer());
    }));
  }

  /** The verdict of {@link HealthVerdict}: 200 when UP, 503 when DOWN, its JSON as the body. */
  private void health(RoutingContext ctx) {
    HealthVerdict verdict = HealthVerdict.of(tasks);
    json(ctx, verdict.isUp() ? 200 : 503, verdict.toJson().toBuffer());
  }

  // ---------------------------------------------------------------- control

  private void control(RoutingContext ctx, ControlAction action) {
    Context context = vertx.getOrCreateContext();
    checkControl(ctx).onComplete(ar -> onContext(context, () -> {
      if (ar.failed()) {
        HttpException e = (HttpException) ar.cause();
        if (e.getStatusCode() == 401 && token != null) {
          ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"vertx-background\"");
        }
        error(ctx, e.getStatusCode(), e.getPayload());
        return;
      }
      ControlRequest request = request(ctx, action, ctx.pathParam("name"));
      if (request == null) {
        return;
      }
      User user = userMode ? ctx.user() : null;
      LOG.info("HTTP control: {} {} (from {}{})", action.wireName(), request.name(),
          ctx.request().remoteAddress(), user == null ? "" : ", user " + user.subject());
      answer(ctx, request, status -> json(ctx, TasksControl.isSettled(action, status) ? 200 : 202,
          status.toBuffer()));
    }));
  }

  /**
   * Whether {@code ctx} may control tasks: a succeeded future, or one failed with an
   * {@link HttpException} carrying the status (400, 401, 403, or 404 when control over HTTP is
   * off) and the message as its payload. Token mode: exactly one {@code Authorization} header,
   * with the control token. User mode: {@code ctx.user()}, which has the authorization when one is
   * set (loaded first by the providers the user has not been through yet).
   */
  private Future<Void> checkControl(RoutingContext ctx) {
    if (token != null) {
      // Which of two would count is every proxy's and library's own guess: refuse to guess.
      if (ctx.request().headers().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
        return refusal(400, "more than one Authorization header; send exactly one:"
            + " Authorization: Bearer <token>");
      }
      switch (token.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
        case MISSING:
          return refusal(401, "control needs an Authorization: Bearer <token> header");
        case WRONG:
          return refusal(403, "the bearer token is not the control token");
        default:
          return Future.succeededFuture();
      }
    }
    if (!userMode) {
      return refusal(404, "control over HTTP is off (no controlToken, controlUser false)");
    }
    User user = ctx.user();
    if (user == null) {
      return refusal(401, "control needs a signed-in user; this request has none (the"
          + " application's authentication handler did not accept it)");
    }
    if (authorization == null) {
      return Future.succeededFuture();
    }
    List<Future<Void>> loads = new ArrayList<>();
    for (AuthorizationProvider p : providers) {
      if (!user.authorizations().contains(p.getId())) {
        loads.add(p.getAuthorizations(user));
      }
    }
    Future<?> loaded = loads.isEmpty() ? Future.succeededFuture() : Future.all(loads);
    return loaded.transform(ar -> {
      if (ar.failed()) {
        LOG.warn("TasksRouter: could not load the authorizations of user {}", user.subject(), ar.cause());
        return refusal(403, "the authorizations of user " + user.subject() + " could not be loaded");
      }
      return authorization.match(user) ? Future.succeededFuture()
          : refusal(403, "user " + user.subject() + " may not control tasks: needs "
              + describe(authorization));
    });
  }

  private static Future<Void> refusal(int status, String message) {
    return Future.failedFuture(new HttpException(status, message));
  }

  /** What a user lacks, for a 403: the permission or role, or the authorization's JSON. */
  private static String describe(Authorization a) {
    if (a instanceof PermissionBasedAuthorization p) {
      return "permission " + p.getPermission();
    }
    if (a instanceof RoleBasedAuthorization r) {
      return "role " + r.getRole();
    }
    return "the authorization " + a.toJson().encode();
  }

  /** Runs {@code action} on {@code context}: at once when this is it, else through its queue. */
  private static void onContext(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  // ---------------------------------------------------------------- requests and answers

  /**
   * The request for {@code action} on {@code name} in the {@code ?scope=} of {@code ctx}, or
   * {@code null} after answering 400 when it is not well formed.
   */
  private static ControlRequest request(RoutingContext ctx, ControlAction action, String name) {
    return request(ctx, action, name, ListQuery.ALL);
  }

  /** Likewise, with the query of a list request. */
  private static ControlRequest request(RoutingContext ctx, ControlAction action, String name,
      ListQuery query) {
    List<String> scope = ctx.queryParam("scope");
    try {
      return new ControlRequest(action, name,
          ControlScope.fromWire(scope.isEmpty() ? null : String.join(",", scope)), query);
    } catch (ControlException e) {
      error(ctx, e.code(), e.getMessage());
      return null;
    }
  }

  /**
   * Carries {@code request} out (cluster-wide when there is a cluster address and the scope is not
   * local) and hands the reply to {@code ok} on the request's context, or answers the refusal.
   */
  private void answer(RoutingContext ctx, ControlRequest request, Handler<JsonObject> ok) {
    boolean cluster = clusterWide(request);
    Future<JsonObject> reply = cluster
        ? vertx.eventBus().<JsonObject>request(clusterAddress, request.toJson()).map(Message::body)
        : control.execute(request);
    Context context = vertx.getOrCreateContext();
    reply.onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        if (cluster) {
          unreachableNodes(ctx, ar.result());
        }
        ok.handle(ar.result());
      } else if (cluster) {
        clusterRefused(ctx, request, ar.cause());
      } else {
        refused(ctx, ControlException.of(ar.cause()));
      }
    }));
  }

  /** Whether {@code request} goes to every node: there is a cluster address, and its scope is not local. */
  private boolean clusterWide(ControlRequest request) {
    return clusterAddress != null && request.scope() == ControlScope.CLUSTER;
  }

  /** The nodes of a cluster-wide reply that did not answer, as a header (empty when all did). */
  private static void unreachableNodes(RoutingContext ctx, JsonObject reply) {
    JsonArray unreachable = reply.getJsonArray("unreachable", new JsonArray());
    ctx.response().putHeader("X-Unreachable-Nodes", unreachable.stream().map(String::valueOf)
        .collect(Collectors.joining(",")));
  }

  /** A refusal of this node's control service: its code and message; a 500's details are logged. */
  private static void refused(RoutingContext ctx, ControlException e) {
    if (e.code() >= 500) {
      LOG.warn("TasksRouter: {} {} failed", ctx.request().method(), ctx.request().path(), e.getCause());
      error(ctx, 500, "internal error");
    } else {
      error(ctx, e.code(), e.getMessage());
    }
  }

  /**
   * A failed cluster-wide request: the cluster's 4xx verdict with its message; anything else (no
   * handler, no answer in time, no node answered) is 503, with a hint to ask this node only.
   */
  private static void clusterRefused(RoutingContext ctx, ControlRequest request, Throwable t) {
    if (t instanceof ReplyException
        && ((ReplyException) t).failureType() == ReplyFailure.RECIPIENT_FAILURE
        && ((ReplyException) t).failureCode() >= 400 && ((ReplyException) t).failureCode() < 500) {
      error(ctx, ((ReplyException) t).failureCode(), t.getMessage());
      return;
    }
    error(ctx, 503, (request.action() == ControlAction.LIST ? "the cluster-wide view"
        : "cluster-wide " + request.action().wireName()) + " is unavailable: " + t.getMessage()
        + "; ?scope=local " + (request.action().mutates() ? "acts on" : "shows") + " this node's tasks");
  }

  // ---------------------------------------------------------------- plumbing

  private static void methodNotAllowed(RoutingContext ctx, String allowed) {
    ctx.response().putHeader(HttpHeaders.ALLOW, allowed);
    error(ctx, 405, "method " + ctx.request().method().name() + " is not allowed on "
        + ctx.request().path() + "; allowed: " + allowed);
  }

  /**
   * Maps a failure to its status by type: the status of an {@link HttpException}, of
   * {@code ctx.fail(code)} (the body handler's 413) or of a 4xx {@code ctx.fail(code, e)} (vertx-web
   * refusing a request without Host or with an empty path), 409 for
   * {@link IllegalStateException}, 400 for {@link IllegalArgumentException}, else 500, whose
   * details are logged and not sent.
   */
  static void failure(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      LOG.warn("TasksRouter: failure after the response started on {}", ctx.request().path(), ctx.failure());
      return;
    }
    Throwable t = ctx.failure();
    int status;
    String message;
    if (t instanceof HttpException) {
      status = ((HttpException) t).getStatusCode();
      message = reason(status);
    } else if (t != null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      // vertx-web's own refusals, ctx.fail(400, e): no Host header, an empty path.
      status = ctx.statusCode();
      message = t.getMessage();
    } else if (t instanceof IllegalStateException) {
      status = 409;
      message = t.getMessage();
    } else if (t instanceof IllegalArgumentException) {
      status = 400;
      message = t.getMessage();
    } else if (t == null && ctx.statusCode() >= 400) {
      status = ctx.statusCode();
      message = reason(status);
    } else {
      status = 500;
      message = "internal error";
      LOG.warn("TasksRouter: {} {} failed", ctx.request().method(), ctx.request().path(), t);
    }
    if (status == 413) {
      message = "request body larger than " + TasksRouter.MAX_BODY_BYTES + " bytes";
    }
    error(ctx, status, message == null ? reason(status) : message);
  }

  private static String reason(int status) {
    switch (status) {
      case 400: return "bad request";
      case 401: return "unauthorized";
      case 403: return "forbidden";
      case 404: return "not found";
      case 405: return "method not allowed";
      case 409: return "conflict";
      case 413: return "request body too large";
      case 421: return "misdirected request";
      case 503: return "service unavailable";
      default: return status >= 500 ? "internal error" : "request failed";
    }
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("status", status).put("error", message).toBuffer());
  }

  private static void json(RoutingContext ctx, int status, Buffer body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(SERVER_TIME, Long.toString(System.currentTimeMillis()))
        .end(body);
  }
}
