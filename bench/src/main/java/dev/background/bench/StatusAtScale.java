package dev.background.bench;

import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskPage;
import dev.background.Tasks;
import dev.background.web.TasksRouter;
import dev.background.web.TasksWebOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Scenario 7 (issue 15, status that scales): {@code n} live {@code runAsync} tasks behind a
 * {@link TasksRouter} on loopback. Figures: one page of 100 ({@code GET /tasks?limit=100&after=}
 * at a random cursor, answered and read in full by an HTTP client), the summary
 * ({@code GET /tasks/summary}), and the same two through the API ({@code Tasks.list(100, after)}
 * with the page's JSON, {@code Tasks.summary()} with its JSON). Each figure of a repetition is the
 * median of {@code requests} calls. "raw" is the floor of an HTTP answer on the same server and
 * client: a route that answers a small constant JSON object. The client is the JDK's
 * ({@code java.net.http}, HTTP/1.1, one request at a time on a kept-alive connection), so that the
 * Vert.x event loops serve the server alone.
 */
final class StatusAtScale {

  private StatusAtScale() {
  }

  static Result run(boolean quick) {
    int n = quick ? 10_000 : 100_000;
    int requests = quick ? 21 : 101;
    int reps = 5;
    Result r = new Result("s7-status-at-scale", n + " live runAsync tasks: a page of 100 and the summary, over HTTP");
    r.params.put("tasks", n).put("requestsPerFigure", requests).put("reps", reps).put("pageSize", 100);
    Vertx vertx = Vertx.vertx();
    Tasks tasks = Tasks.create(vertx);
    CountDownLatch started = new CountDownLatch(n);
    AsyncTask task = ctx -> {
      started.countDown();
      return ctx.onCancel();
    };
    String[] names = ManyTasks.names(n);
    for (int i = 0; i < n; i++) {
      tasks.runAsync(names[i], task, Backoff.defaults(), RunOption.exactName());
    }
    Util.await(started, 120, "start all");
    Router router = Router.router(vertx);
    router.route("/ping").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", "UP").toBuffer()));
    router.route("/*").subRouter(TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    HttpServer server = Util.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"), 30);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(java.time.Duration.ofSeconds(10)).build();
    int port = server.actualPort();
    Random random = new Random(42);
    List<String> sides = List.of("ours-page", "ours-summary", "api-page", "api-summary", "raw");
    for (int rep = -1; rep < reps; rep++) {
      for (String side : Util.order(sides, rep + 1)) {
        double[] ms = new double[requests];
        for (int i = 0; i < requests; i++) {
          String after = names[random.nextInt(n - 200)];
          long t0 = System.nanoTime();
          switch (side) {
            case "ours-page":
              check(get(client, port, "/tasks?limit=100&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)), 100);
              break;
            case "ours-summary":
              check(get(client, port, "/tasks/summary"), -1);
              break;
            case "api-page": {
              TaskPage page = tasks.list(100, after);
              if (page.toBuffer().length() == 0 || page.tasks().size() != 100) {
                throw new IllegalStateException("short page");
              }
              break;
            }
            case "api-summary":
              if (tasks.summary().toJson().toBuffer().length() == 0) {
                throw new IllegalStateException("empty summary");
              }
              break;
            default:
              check(get(client, port, "/ping"), -1);
              break;
          }
          ms[i] = Util.ms(System.nanoTime() - t0);
        }
        if (rep >= 0) {
          r.sample(side, "median", "ms", Stat.percentile(ms, 50));
          r.sample(side, "p90", "ms", Stat.percentile(ms, 90));
        }
      }
    }
    Util.await(server.close(), 30);
    Util.await(tasks.close(), 120);
    Util.await(vertx.close(), 30);
    r.ratioOf("page/raw", "a page of 100 over HTTP / the HTTP floor (a constant JSON)",
        r.stat("ours-page", "median", ""), r.stat("raw", "median", ""));
    r.ratioOf("summary/raw", "the summary over HTTP / the HTTP floor",
        r.stat("ours-summary", "median", ""), r.stat("raw", "median", ""));
    double page = r.stat("ours-page", "median", "ms").median();
    double summary = r.stat("ours-summary", "median", "ms").median();
    r.target("page of 100", "median <= 10 ms", page, page <= 10);
    r.target("summary", "median <= 20 ms", summary, summary <= 20);
    r.row("GET /tasks?limit=100&after=, median", "ours-page", "raw", "median", "page/raw", "page of 100");
    r.row("GET /tasks?limit=100&after=, p90", "ours-page", "raw", "p90", null, null);
    r.row("GET /tasks/summary, median", "ours-summary", "raw", "median", "summary/raw", "summary");
    r.row("GET /tasks/summary, p90", "ours-summary", "raw", "p90", null, null);
    r.row("Tasks.list(100, after) + JSON, median", "api-page", null, "median", null, null);
    r.row("Tasks.summary() + JSON, median", "api-summary", null, "median", null, null);
    return r;
  }

  private static JsonObject get(HttpClient client, int port, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(java.time.Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
      }
      return new JsonObject(response.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void check(JsonObject body, int tasks) {
    if (tasks >= 0 && body.getJsonArray("tasks").size() != tasks) {
      throw new IllegalStateException("expected " + tasks + " tasks, got " + body.getJsonArray("tasks").size());
    }
  }
}
