/**
 * The tracker's health as a procedure of vertx-health-check ({@link TasksHealth}), for
 * applications that serve their own {@code /health}. Stands on the API and on
 * {@link dev.background.control.HealthVerdict}, which holds the rule. Needs the optional artifact
 * {@code io.vertx:vertx-health-check}; nothing else in the library does.
 */
package dev.background.health;
