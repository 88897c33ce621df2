/**
 * {@link dev.background.verticle.TasksVerticle}: a tracker deployed as a verticle, configured in
 * JSON ({@link dev.background.verticle.TasksVerticleOptions}, with one
 * {@link dev.background.verticle.TaskDeclaration} per task), that wires the features together:
 * event-bus control and events, and, when the configuration asks for them, HTTP and the cluster.
 * Those two need optional dependencies (vertx-web, vertx-hazelcast); the verticle touches them
 * only when asked, and otherwise needs vertx-core only.
 */
package dev.background.verticle;
