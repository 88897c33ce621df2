/**
 * The HTTP face of a {@link dev.background.Tasks} tracker: task statuses as JSON, health,
 * Prometheus metrics, a live dashboard, and control guarded by a bearer token.
 * {@link dev.background.web.TasksRouter} builds a vertx-web router to mount anywhere;
 * {@link dev.background.web.TasksHttpServer} serves it on a port of its own, configured by
 * {@link dev.background.web.TasksWebOptions} (the {@code http} key of the verticle's
 * configuration). Needs the optional {@code io.vertx:vertx-web}; {@code GET /metrics} also needs
 * {@code io.micrometer:micrometer-registry-prometheus} and answers 404 without it. Stands on the
 * API ({@code dev.background}) and the control protocol ({@code dev.background.control}).
 */
package dev.background.web;
