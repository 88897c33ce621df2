/**
 * The event-bus face of a tracker: {@link dev.background.eventbus.ControlHandler} answers control
 * requests on an address, {@link dev.background.eventbus.TasksClient} sends them without
 * hand-built JSON, and {@link dev.background.eventbus.EventPublisher} publishes every lifecycle
 * event. Needs vertx-core only. Stands on the API and the control protocol
 * ({@code dev.background.control}).
 */
package dev.background.eventbus;
