/**
 * The runnable demo ({@link dev.background.demo.DemoMain}) and its example tasks: a heartbeat, a
 * flaky poller, a blocking cache refresher and a once-only warm-up, with a status table on the
 * console. Not part of the library jar: it is in the runnable {@code -fat} jar and runs with
 * {@code mvn -q compile exec:exec}.
 */
package dev.background.demo;
