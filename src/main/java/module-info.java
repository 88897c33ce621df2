/**
 * vertx-background: supervised background tasks for Vert.x.
 *
 * <p>Every package is exported but the engine ({@code dev.background.impl}) and the demo
 * ({@code dev.background.demo}, which the library jar does not contain). The features built on
 * vertx-web, Hazelcast, the Prometheus registry and vertx-health-check are optional ({@code requires static}): an
 * application that uses one has its module in the module graph (it requires it, or names it in
 * {@code --add-modules}), and the code that needs it is reached only when a configuration asks
 * for the feature.
 */
module dev.background {
  requires transitive io.vertx.core;
  requires transitive micrometer.core;
  requires org.slf4j;
  // TaskStatus.encodeToBuffer: a Jackson generator (Vert.x core's own JSON library).
  requires com.fasterxml.jackson.core;
  // Schedule.cron: parsing and evaluating cron expressions (an automatic module).
  requires com.cronutils;

  // Optional: HTTP (vertx-web), the cluster (vertx-hazelcast, Hazelcast), /metrics (Prometheus).
  requires static io.vertx.web;
  // Control over HTTP behind the application's own authentication (TasksWebOptions#setControlUser).
  requires static io.vertx.auth.common;
  requires static io.vertx.clustermanager.hazelcast;
  requires static com.hazelcast.core;
  requires static micrometer.registry.prometheus;
  // Optional: TasksHealth, our verdict as a procedure of the application's vertx-health-check.
  requires static io.vertx.healthcheck;
  // Read when present: the tracker picks up the registry of a Vert.x built with
  // vertx-micrometer-metrics, and /metrics uses its scraping handler. Static because that module
  // requires io.vertx.web, which would otherwise stop being optional.
  requires static io.vertx.metrics.micrometer;

  exports dev.background;
  exports dev.background.control;
  exports dev.background.eventbus;
  exports dev.background.web;
  exports dev.background.health;
  exports dev.background.cluster;
  exports dev.background.verticle;
  exports dev.background.testing;
}
