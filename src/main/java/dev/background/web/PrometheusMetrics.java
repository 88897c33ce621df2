package dev.background.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * {@code GET /metrics}: the Prometheus scrape of a tracker's meter registry. The Prometheus
 * registry ({@value #ARTIFACT}) is an optional dependency: only {@link Scrape} names its types,
 * and it is loaded only after {@link #isAvailable()} has found the artifact, so the router works
 * without it and {@code /metrics} answers 404 saying what is missing. Stateless.
 */
final class PrometheusMetrics {

  /** The artifact the scrape needs. */
  static final String ARTIFACT = "io.micrometer:micrometer-registry-prometheus";

  private static final String MARKER = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

  private PrometheusMetrics() {
  }

  /** Whether {@value #ARTIFACT} is on the class path. */
  static boolean isAvailable() {
    try {
      Class.forName(MARKER, false, PrometheusMetrics.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The handler of {@code GET /metrics} for {@code registry}: the scrape of the Prometheus
   * registry in it (itself, or one inside a composite), or a 404 saying why there is none.
   */
  static Handler<RoutingContext> handler(MeterRegistry registry) {
    String off;
    if (registry == null) {
      off = "metrics are off: the tracker has no meter registry";
    } else if (!isAvailable()) {
      off = "metrics are not exposed: " + ARTIFACT + " is not on the classpath";
    } else {
      Handler<RoutingContext> scrape = Scrape.handler(registry);
      if (scrape != null) {
        return scrape;
      }
      off = "metrics are not exposed: the tracker's meter registry is not a Prometheus registry";
    }
    return ctx -> TasksRoutes.error(ctx, 404, off);
  }

  /** The code that names Prometheus types: loaded only when the artifact is there. */
  private static final class Scrape {

    private Scrape() {
    }

    static Handler<RoutingContext> handler(MeterRegistry registry) {
      PrometheusMeterRegistry prometheus = find(registry);
      return prometheus == null ? null : PrometheusScrapingHandler.create(prometheus);
    }

    private static PrometheusMeterRegistry find(MeterRegistry registry) {
      if (registry instanceof PrometheusMeterRegistry) {
        return (PrometheusMeterRegistry) registry;
      }
      if (registry instanceof CompositeMeterRegistry) {
        for (MeterRegistry r : ((CompositeMeterRegistry) registry).getRegistries()) {
          PrometheusMeterRegistry p = find(r);
          if (p != null) {
            return p;
          }
        }
      }
      return null;
    }
  }
}
