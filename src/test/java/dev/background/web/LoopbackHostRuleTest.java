package dev.background.web;

import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static dev.background.web.WebFixtures.raw;
import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Host rule against DNS rebinding: a request that reaches the routes over loopback must name
 * a loopback host (or one of {@code allowedHosts}); a page of another site whose name has been
 * rebound to 127.0.0.1 sends its own name and is refused with 421, on every route and however the
 * routes are served.
 */
@ExtendWith(VertxExtension.class)
class LoopbackHostRuleTest {

  private static final String TOKEN = "host-rule-token-0123456789";

  private Vertx vertx;
  private Tasks tasks;
  private TaskHandle worker;
  private HttpServer server;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    worker = running(tasks, "worker");
    server = TasksHttpServer.start(vertx, tasks, new TasksWebOptions().setControlToken(TOKEN)).await();
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  private static String request(String requestLine, String host) {
    return requestLine + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN
        + "\r\nConnection: close\r\n\r\n";
  }

  private WebFixtures.RawAnswer send(HttpServer to, String requestLine, String host) {
    return raw("127.0.0.1", to.actualPort(), request(requestLine, host));
  }

  private static void assertRefused(WebFixtures.RawAnswer a, String host) {
    assertThat(a.status()).as(a.head()).isEqualTo(421);
    assertThat(a.head()).containsIgnoringCase("content-type: application/json");
    assertThat(a.json().getInteger("status")).isEqualTo(421);
    assertThat(a.json().getString("error")).isEqualTo("Host \"" + host + "\" is refused: this"
        + " server is reached over loopback, so the Host must be localhost, 127.x.x.x or [::1]"
        + " (a guard against DNS rebinding); add the name to allowedHosts to serve it");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET /", "GET /dashboard.js", "GET /tasks", "GET /tasks/worker",
      "GET /health", "GET /metrics", "GET /nothing", "POST /tasks/worker/cancel",
      "POST /tasks/worker/pause", "GET /tasks/%zz"})
  void aForeignHostIsRefusedOnEveryRoute(String requestLine) {
    assertRefused(send(server, requestLine, "evil.example"), "evil.example");

    assertThat(worker.status().state()).isEqualTo(TaskState.RUNNING);
    assertThat(worker.status().paused()).isFalse();
  }

  @ParameterizedTest(name = "Host: {0}")
  @ValueSource(strings = {"evil.example:80", "EVIL.example", "127.0.0.1.nip.io", "localhost.evil.example",
      "evil.example.", "0.0.0.0", "192.0.2.2", "[fd00::2]", "[::2]"})
  void everyNameThatIsNotLoopbackIsForeign(String host) {
    assertRefused(send(server, "GET /tasks", host), host);
  }

  @ParameterizedTest(name = "Host: {0}")
  @ValueSource(strings = {"127.0.0.1:PORT", "127.0.0.1", "localhost", "localhost:PORT", "LocalHost:PORT",
      "127.0.0.2:PORT", "127.255.255.254", "[::1]:PORT", "[::1]", "[0:0:0:0:0:0:0:1]:PORT",
      "dashboard.localhost:PORT"})
  void loopbackHostsAreServed(String host) {
    String h = host.replace("PORT", String.valueOf(server.actualPort()));

    assertThat(send(server, "GET /tasks", h).status()).isEqualTo(200);
    assertThat(send(server, "GET /", h).status()).isEqualTo(200);
    assertThat(send(server, "GET /dashboard.js", h).status()).isEqualTo(200);
  }

  @Test
  void controlWithALoopbackHostIsServed() {
    WebFixtures.RawAnswer a = send(server, "POST /tasks/worker/pause", "localhost:" + server.actualPort());

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(worker.status().paused()).isTrue();
  }

  @Test
  void aForeignHostIsRefusedUnderARootAndOutsideIt() {
    HttpServer ops = TasksHttpServer.start(vertx, tasks, new TasksWebOptions().setRoot("/ops")).await();

    assertRefused(send(ops, "GET /ops/tasks", "evil.example"), "evil.example");
    assertRefused(send(ops, "GET /ops/", "evil.example"), "evil.example");
    assertRefused(send(ops, "GET /elsewhere", "evil.example"), "evil.example");
    assertThat(send(ops, "GET /ops/tasks", "127.0.0.1").status()).isEqualTo(200);
  }

  @Test
  void aRouterMountedByAnApplicationOnLoopbackRefusesAForeignHostWithoutBeingTold() {
    Router app = Router.router(vertx);
    app.route("/admin/*").subRouter(TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    app.route("/hello").handler(ctx -> ctx.end("hello"));
    HttpServer appServer = WebFixtures.serve(vertx, app);

    assertRefused(send(appServer, "GET /admin/tasks", "evil.example"), "evil.example");
    assertThat(send(appServer, "GET /admin/tasks", "localhost").status()).isEqualTo(200);
    // The application's own routes are its business.
    assertThat(send(appServer, "GET /hello", "evil.example").status()).isEqualTo(200);
  }

  @Test
  void allowedHostsAreServedOverLoopback() {
    HttpServer proxied = TasksHttpServer.start(vertx, tasks, new TasksWebOptions()
        .setAllowedHosts(List.of("ops.example.com", "[fd00::2]"))).await();

    assertThat(send(proxied, "GET /tasks", "ops.example.com").status()).isEqualTo(200);
    assertThat(send(proxied, "GET /tasks", "OPS.Example.com:8443").status()).isEqualTo(200);
    assertThat(send(proxied, "GET /tasks", "[fd00::2]:8080").status()).isEqualTo(200);
    assertThat(send(proxied, "GET /tasks", "127.0.0.1").status()).isEqualTo(200);
    assertRefused(send(proxied, "GET /tasks", "evil.example"), "evil.example");
  }

  @Test
  void anAsteriskInAllowedHostsServesAnyHost() {
    HttpServer any = TasksHttpServer.start(vertx, tasks, new TasksWebOptions()
        .setAllowedHosts(List.of("*"))).await();

    assertThat(send(any, "GET /tasks", "evil.example").status()).isEqualTo(200);
  }

  @Test
  void twoHostHeadersAre400() {
    WebFixtures.RawAnswer a = raw("127.0.0.1", server.actualPort(), "GET /tasks HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");

    assertThat(a.status()).isEqualTo(400);
  }

  @Test
  void anHttp10RequestWithoutHostIsServed() {
    WebFixtures.RawAnswer a = raw("127.0.0.1", server.actualPort(), "GET /tasks HTTP/1.0\r\n\r\n");

    assertThat(a.status()).isEqualTo(200);
  }

  @Test
  void aRequestThatDoesNotArriveOverLoopbackIsNotChecked() throws SocketException {
    Optional<InetAddress> address = nonLoopbackAddress();
    assumeTrue(address.isPresent(), "needs a non-loopback IPv4 address on this machine");
    HttpServer everywhere = TasksHttpServer.start(vertx, tasks, new TasksWebOptions().setHost("0.0.0.0")
        .setControlToken(TOKEN)).await();

    WebFixtures.RawAnswer a = raw(address.get().getHostAddress(), everywhere.actualPort(),
        request("GET /tasks", "ops.example.com"));

    assertThat(a.status()).isEqualTo(200);
    assertRefused(send(everywhere, "GET /tasks", "ops.example.com"), "ops.example.com");
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
