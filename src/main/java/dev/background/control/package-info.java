/**
 * The control protocol, shared by the event bus, HTTP and the cluster: the typed set of actions
 * ({@code list}, {@code status}, {@code cancel}, {@code restart}, {@code pause}, {@code resume},
 * {@code start}, {@code trigger}, {@code detail}), the parser that turns a request into a typed
 * one or a 400, and the service that carries a request out on a tracker. It stands on the API ({@code dev.background}) only;
 * the transports in {@code eventbus}, {@code web} and {@code cluster} stand on it.
 */
package dev.background.control;
