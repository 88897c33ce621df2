package examples;

import dev.background.TaskStatus;
import dev.background.eventbus.TasksClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The snippets of {@code docs/verticle.md}, compiled so that they cannot rot. Run by
 * {@code VerticleExamplesTest}.
 */
public final class VerticleExamples {

  private VerticleExamples() {
  }

  /** Deploys TasksVerticle by class name with a JSON config. */
  public static Future<String> deploy(Vertx vertx) {
    JsonObject config = new JsonObject()
        .put("closeTimeout", "10s")
        .put("tasks", new JsonArray()
            .add(new JsonObject()
                .put("name", "heartbeat")
                .put("class", "dev.background.demo.Heartbeat")
                .put("config", new JsonObject().put("interval", "1s"))));
    return vertx.deployVerticle("dev.background.verticle.TasksVerticle",
        new DeploymentOptions().setConfig(config));
  }

  /** Prints every lifecycle event. */
  public static Future<Void> printEvents(Vertx vertx) {
    return vertx.eventBus().<JsonObject>consumer("background.tasks.events", msg -> {
      JsonObject e = msg.body();
      String line = e.getString("at") + " " + e.getString("task") + " " + e.getString("event")
          + " (attempt " + e.getInteger("attempt") + ")";
      if (e.containsKey("delayMs")) {
        line += " next run in " + e.getLong("delayMs") + " ms";
      }
      if (e.containsKey("error")) {
        line += " " + e.getJsonObject("error").getString("type") + ": "
            + e.getJsonObject("error").getString("message");
      }
      System.out.println(line);
    }).completion();
  }

  /** Pauses a task with the typed client, telling refusals apart by their failure code. */
  public static Future<TaskStatus> pause(Vertx vertx, String name) {
    TasksClient client = TasksClient.create(vertx);
    return client.pause(name).recover(e -> {
      if (e instanceof ReplyException && ((ReplyException) e).failureCode() == TasksClient.NOT_FOUND) {
        System.out.println("no task named " + name);
      }
      return Future.failedFuture(e);
    });
  }

  /** The same request without the client. */
  public static Future<JsonObject> pauseByHand(Vertx vertx, String name) {
    return vertx.eventBus()
        .<JsonObject>request("background.tasks",
            new JsonObject().put("action", "pause").put("name", name))
        .map(reply -> reply.body());
  }
}
