/**
 * Test utilities for applications that use vertx-background, such as a clock that tests advance
 * by hand so that restarts, backoff and timeouts happen at once and in order. Stands on the API
 * ({@code dev.background}) only.
 */
package dev.background.testing;
