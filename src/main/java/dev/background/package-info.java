/**
 * The API of vertx-background: supervised background tasks for Vert.x. {@link dev.background.Tasks}
 * is the tracker (its static factories are the only way to the engine); a task is a blocking
 * {@link dev.background.Task} or a non-blocking {@link dev.background.AsyncTask}, run with
 * {@link dev.background.Backoff} and {@link dev.background.RunOption}s, controlled through its
 * {@link dev.background.TaskHandle} and described by {@link dev.background.TaskStatus} and
 * {@link dev.background.TaskEvent}. Recurring work is described by a
 * {@link dev.background.Schedule} (every, fixed rate or cron) with its
 * {@link dev.background.Overlap} and {@link dev.background.Misfire} policies. The configuration
 * language lives here too: {@link dev.background.Durations}, {@link dev.background.JsonConfig}
 * and {@link dev.background.ConfigException}.
 *
 * <p>This package imports no other package of the library and no optional dependency: the
 * control protocol, the event bus, HTTP, the cluster and the verticle stand on it, never the
 * other way round.
 */
package dev.background;
