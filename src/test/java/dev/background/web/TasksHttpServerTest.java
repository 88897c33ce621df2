package dev.background.web;

import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Serving the router: on its own server under a root, and mounted in an application's router. */
@ExtendWith(VertxExtension.class)
class TasksHttpServerTest {

  private Vertx vertx;
  private Tasks tasks;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    running(tasks, "worker");
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private HttpResponse<Buffer> get(HttpServer server, String path) {
    return client.get(server.actualPort(), "127.0.0.1", path).send().await();
  }

  @Test
  void startBindsAFreePortAndServesAtTheRoot() {
    HttpServer server = TasksHttpServer.start(vertx, tasks, new TasksWebOptions()).await();
    try {
      assertThat(server.actualPort()).isPositive();
      assertThat(get(server, "/health").statusCode()).isEqualTo(200);
      assertThat(get(server, "/tasks").bodyAsJsonArray()).hasSize(1);
      assertThat(get(server, "/").getHeader("Content-Type")).startsWith("text/html");
    } finally {
      server.close().await();
    }
  }

  @Test
  void startMountsTheRoutesUnderTheConfiguredRoot() {
    HttpServer server = TasksHttpServer.start(vertx, tasks, new TasksWebOptions().setRoot("/ops/")).await();
    try {
      assertThat(get(server, "/ops/tasks/worker").bodyAsJsonObject().getString("state")).isEqualTo("RUNNING");
      assertThat(get(server, "/ops/").bodyAsString()).contains("<title>Background tasks</title>");
      HttpResponse<Buffer> bare = get(server, "/ops");
      assertThat(bare.statusCode()).isEqualTo(302);
      assertThat(bare.getHeader("Location")).isEqualTo("/ops/");
      HttpResponse<Buffer> outside = get(server, "/tasks");
      assertThat(outside.statusCode()).isEqualTo(404);
      assertThat(outside.bodyAsJsonObject().getString("error")).contains("/ops/");
      assertThat(get(server, "/ops/nothing").bodyAsJsonObject().getInteger("status")).isEqualTo(404);
      // Not an open redirect: the target is the mount point, whatever the raw path looked like.
      HttpResponse<Buffer> crafted = get(server, "//ops?x=1");
      assertThat(crafted.statusCode()).isEqualTo(302);
      assertThat(crafted.getHeader("Location")).isEqualTo("/ops/?x=1");
    } finally {
      server.close().await();
    }
  }

  @Test
  void startRefusesANonLoopbackHostWithoutATokenAndBindsNothing() {
    Future<HttpServer> f = TasksHttpServer.start(vertx, tasks, new TasksWebOptions().setHost("0.0.0.0"));

    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("host: 0.0.0.0").hasMessageContaining("controlToken");
  }

  @Test
  void startFailsWhenThePortIsTaken() {
    HttpServer first = TasksHttpServer.start(vertx, tasks, new TasksWebOptions()).await();
    try {
      Future<HttpServer> second = TasksHttpServer.start(vertx, tasks,
          new TasksWebOptions().setPort(first.actualPort()));
      assertThatThrownBy(second::await).isNotNull();
      assertThat(second.failed()).isTrue();
    } finally {
      first.close().await();
    }
  }

  @Test
  void theRouterMountsInAnApplicationRouter() {
    Router app = Router.router(vertx);
    app.route().handler(BodyHandler.create());   // the application's own body handler comes first
    app.get("/hello").handler(ctx -> ctx.end("hi"));
    app.route("/admin/background/*").subRouter(TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    HttpServer server = WebFixtures.serve(vertx, app);
    try {
      assertThat(get(server, "/hello").bodyAsString()).isEqualTo("hi");
      assertThat(get(server, "/admin/background/tasks").bodyAsJsonArray()).hasSize(1);
      assertThat(get(server, "/admin/background/health").bodyAsJsonObject().getString("status")).isEqualTo("UP");
      assertThat(get(server, "/admin/background/").bodyAsString()).contains("<script src=\"dashboard.js\">");
      assertThat(get(server, "/admin/background/dashboard.js").bodyAsString()).contains("'tasks?limit=' + PAGE_SIZE");
      assertThat(get(server, "/admin/background").getHeader("Location")).isEqualTo("/admin/background/");
      HttpResponse<Buffer> post = client.post(server.actualPort(), "127.0.0.1", "/admin/background/tasks")
          .send().await();
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.bodyAsJsonObject().getInteger("status")).isEqualTo(405);
      HttpResponse<Buffer> withBody = client.get(server.actualPort(), "127.0.0.1", "/admin/background/health")
          .sendBuffer(Buffer.buffer("{}")).await();
      assertThat(withBody.statusCode()).isEqualTo(200);
      HttpResponse<Buffer> unknown = get(server, "/admin/background/nothing");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
    } finally {
      server.close().await();
    }
  }
}
