package dev.background.web;

import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authorization.RoleBasedAuthorization;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.jwt.authorization.JWTAuthorization;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static dev.background.web.WebFixtures.awaitState;
import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control behind the application's own vertx-web authentication, with a real provider: JWTs
 * signed with a freshly generated HS256 key, checked by vertx-web's {@link JWTAuthHandler}, and
 * their {@code permissions} claim loaded by {@link JWTAuthorization}. The application mounts the
 * router at {@code /ops/*} behind a handler that authenticates a request when it carries a token
 * (so the dashboard stays readable without one), as an application would.
 */
@ExtendWith(VertxExtension.class)
class ControlUserModeTest {

  private Tasks tasks;
  private JWTAuth jwt;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(Base64.getEncoder().encodeToString(key))));
    // The JSON keys, as an application reads them from its configuration; the provider in code.
    TasksWebOptions options = new TasksWebOptions(new JsonObject().put("controlUser", true)
        .put("controlPermission", "tasks:control"))
        .setControlAuthorizationProviders(List.of(JWTAuthorization.create("permissions")));
    server = serve(vertx, options);
    client = WebClient.create(vertx);
  }

  private HttpServer serve(Vertx vertx, TasksWebOptions options) {
    Router app = Router.router(vertx);
    JWTAuthHandler authenticate = JWTAuthHandler.create(jwt);
    app.route("/ops/*").handler(ctx -> {
      if (ctx.request().getHeader(HttpHeaders.AUTHORIZATION) != null) {
        authenticate.handle(ctx);
      } else {
        ctx.next();
      }
    }).subRouter(TasksRouter.create(vertx, tasks, options.validate()));
    return WebFixtures.serve(vertx, app);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private String token(String subject, String... permissions) {
    return jwt.generateToken(new JsonObject().put("sub", subject)
        .put("permissions", new JsonArray(List.of((Object[]) permissions))),
        new JWTOptions().setExpiresInMinutes(10));
  }

  private HttpResponse<Buffer> pause(HttpServer on, String token) {
    var request = client.post(on.actualPort(), "127.0.0.1", "/ops/tasks/worker/pause");
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.send().await();
  }

  private static String error(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response.bodyAsJsonObject().getString("error");
  }

  @Test
  void withoutAUserControlIs401() {
    TaskHandle h = running(tasks, "worker");

    assertThat(error(pause(server, null), 401)).contains("signed-in user");
    assertThat(h.status().paused()).isFalse();
  }

  @Test
  void aUserWithoutThePermissionIs403() {
    TaskHandle h = running(tasks, "worker");

    String message = error(pause(server, token("viewer", "tasks:read")), 403);

    assertThat(message).isEqualTo("user viewer may not control tasks: needs permission tasks:control");
    assertThat(h.status().paused()).isFalse();
  }

  @Test
  void aUserWithThePermissionControls() {
    TaskHandle h = running(tasks, "worker");

    HttpResponse<Buffer> r = pause(server, token("alice", "tasks:read", "tasks:control"));

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getBoolean("paused")).isTrue();
    assertThat(h.status().paused()).isTrue();
  }

  @Test
  void aTokenTheApplicationRefusesNeverReachesTheRouter() {
    TaskHandle h = running(tasks, "worker");

    HttpResponse<Buffer> r = pause(server, token("alice", "tasks:control") + "x");

    // The application's JWT handler refuses it (the router's failure handler words the 401):
    // the control check never sees a user.
    assertThat(error(r, 401)).doesNotContain("signed-in user");
    assertThat(h.status().paused()).isFalse();
  }

  @Test
  void withoutAnAuthorizationAnyUserControls(Vertx vertx) {
    TaskHandle h = running(tasks, "worker");
    HttpServer anyUser = serve(vertx, new TasksWebOptions().setControlUser(true));

    error(pause(anyUser, null), 401);
    HttpResponse<Buffer> r = pause(anyUser, token("bob"));

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(h.status().paused()).isTrue();
  }

  @Test
  void anyVertxAuthAuthorizationCanGuardControl(Vertx vertx) {
    running(tasks, "worker");
    HttpServer roles = serve(vertx, new TasksWebOptions().setControlUser(true)
        .setControlAuthorization(RoleBasedAuthorization.create("ops"))
        .setControlAuthorizationProviders(List.of(JWTAuthorization.create("permissions"))));

    assertThat(error(pause(roles, token("alice", "tasks:control")), 403)).endsWith("needs role ops");
  }

  @Test
  void theStackTraceIsShownOnlyToAUserAllowedToControl() {
    TaskHandle h = tasks.run("poller", ctx -> {
      throw new IllegalStateException("upstream answered 503");
    }, WebFixtures.LONG, RunOption.exactName());
    awaitState(h, TaskState.BACKING_OFF);

    JsonObject allowed = client.get(server.actualPort(), "127.0.0.1", "/ops/tasks/poller/detail")
        .bearerTokenAuthentication(token("alice", "tasks:control")).send().await().bodyAsJsonObject();
    JsonObject viewer = client.get(server.actualPort(), "127.0.0.1", "/ops/tasks/poller/detail")
        .bearerTokenAuthentication(token("viewer")).send().await().bodyAsJsonObject();
    JsonObject anonymous = client.get(server.actualPort(), "127.0.0.1", "/ops/tasks/poller/detail")
        .send().await().bodyAsJsonObject();

    assertThat(allowed.getString("stackTrace")).startsWith("java.lang.IllegalStateException");
    assertThat(viewer.getValue("stackTrace")).isNull();
    assertThat(viewer.getBoolean("stackTraceHidden")).isTrue();
    assertThat(anonymous.getValue("stackTrace")).isNull();
  }

  @Test
  void controlTellsTheDashboardWhetherTheUserMayControl() {
    JsonObject alice = client.get(server.actualPort(), "127.0.0.1", "/ops/control")
        .bearerTokenAuthentication(token("alice", "tasks:control")).send().await().bodyAsJsonObject();
    JsonObject anonymous = client.get(server.actualPort(), "127.0.0.1", "/ops/control")
        .send().await().bodyAsJsonObject();

    assertThat(alice).isEqualTo(new JsonObject().put("mode", "user").put("allowed", true));
    assertThat(anonymous.getString("mode")).isEqualTo("user");
    assertThat(anonymous.getBoolean("allowed")).isFalse();
    assertThat(anonymous.getInteger("code")).isEqualTo(401);
  }
}
