package examples;

import dev.background.Tasks;
import dev.background.web.TasksRouter;
import dev.background.web.TasksWebOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.function.Consumer;

/**
 * The snippets of the README's "Add it to your application", compiled so that they cannot rot.
 * Run by {@code AddToApplicationTest}. The tasks are the demo's, standing in for the
 * application's own classes.
 */
public final class AddToApplication {

  private AddToApplication() {
  }

  /** Metrics on: a Vert.x with vertx-micrometer-metrics and its Prometheus backend. */
  public static Vertx vertxWithMetrics() {
    return Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setEnabled(true)));
  }

  /** Deploys TasksVerticle by class name with a JSON config: tasks, no HTTP server of its own. */
  public static Future<String> deployTasks(Vertx vertx) {
    JsonObject config = new JsonObject()
        .put("closeTimeout", "10s")
        .put("tasks", new JsonArray()
            .add(new JsonObject()
                .put("name", "heartbeat")
                .put("class", "dev.background.demo.Heartbeat")
                .put("config", new JsonObject().put("interval", "1s")))
            .add(new JsonObject()
                .put("name", "inventory-poller")
                .put("class", "dev.background.demo.FlakyPoller")
                .put("backoff", new JsonObject()
                    .put("initialInterval", "1s").put("maxInterval", "30s"))
                .put("options", new JsonObject().put("resetAfter", "1m"))
                .put("config", new JsonObject().put("interval", "100ms").put("failureRate", 0.5))));
    return vertx.deployVerticle("dev.background.verticle.TasksVerticle",
        new DeploymentOptions().setConfig(config));
  }

  /**
   * The application's own router and server, with the tasks' routes (status, health, metrics,
   * dashboard, control) mounted under {@code /ops}.
   */
  public static Future<HttpServer> serve(Vertx vertx, int port, String controlToken) {
    Router app = Router.router(vertx);
    app.get("/hello").handler(ctx -> ctx.end("hello"));

    TasksWebOptions ops = new TasksWebOptions().setControlToken(controlToken);
    app.route("/ops/*").subRouter(TasksRouter.create(vertx, Tasks.of(vertx), ops));

    return vertx.createHttpServer().requestHandler(app).listen(port, "127.0.0.1");
  }

  /** Events: tells {@code alert} about every failed run and every task that gives up. */
  public static MessageConsumer<JsonObject> alertOnFailures(Vertx vertx, Consumer<String> alert) {
    return vertx.eventBus().<JsonObject>consumer("background.tasks.events", msg -> {
      JsonObject e = msg.body();
      String event = e.getString("event");
      if (event.equals("failed") || event.equals("gave-up")) {
        alert.accept(e.getString("task") + " " + event + " (attempt " + e.getInteger("attempt")
            + "): " + e.getJsonObject("error").getString("message"));
      }
    });
  }
}
