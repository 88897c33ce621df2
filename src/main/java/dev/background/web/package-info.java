/**
 * The HTTP face of a {@link dev.background.Tasks} tracker: task statuses as JSON, health,
 * Prometheus metrics, a live dashboard, and control guarded by a bearer token.
 * {@link dev.background.web.TasksRouter} builds a vertx-web router to mount anywhere;
 * {@link dev.background.web.TasksHttpServer} serves it on a port of its own, configured by
 * {@link dev.background.web.TasksWebOptions} (the {@code http} key of the verticle's
 * configuration). This package stands on the public API of {@code dev.background} only.
 */
package dev.background.web;
