package dev.background.web;

import dev.background.JsonConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Host rule, against DNS rebinding: a request that reaches the routes over loopback (the
 * connection's local address is in {@code 127.0.0.0/8} or {@code ::1}) must name a loopback host
 * in its {@code Host} header ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}, with any port)
 * or one of {@link TasksWebOptions#getAllowedHosts()}; any other name is refused with 421 before
 * any route runs. A page of another site whose name has been pointed at 127.0.0.1 sends its own
 * name, so it cannot read the tasks. The rule asks the connection, not the options, whether it is
 * on loopback: it holds wherever the router is mounted, on a server of its own or an
 * application's. Requests that arrive on another interface are not checked; a request with more
 * than one {@code Host} header is a 400 on any interface. Immutable and thread-safe.
 */
final class LoopbackHostRule implements Handler<RoutingContext> {

  /** 421 Misdirected Request: this server does not answer for that name. */
  static final int MISDIRECTED = 421;

  /** {@code host [":" port]}: a bracketed IPv6 literal or anything without ':', then digits. */
  private static final Pattern AUTHORITY = Pattern.compile("(\\[[^\\]]*]|[^:\\[\\]]*)(:\\d*)?");
  private static final String IPV4_MAPPED = "::ffff:";

  private final boolean anyHost;
  private final Set<String> allowed;

  /** @param allowedHosts as {@link TasksWebOptions#setAllowedHosts(List)} checked them */
  LoopbackHostRule(List<String> allowedHosts) {
    this.anyHost = allowedHosts.contains("*");
    this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
    if (hosts.size() > 1) {
      TasksRoutes.error(ctx, 400, "more than one Host header");
      return;
    }
    if (!anyHost && overLoopback(request)) {
      String host = hosts.isEmpty() ? authority(request) : hosts.get(0);
      // No Host at all: an HTTP/1.0 request, which no browser sends (HTTP/1.1 without Host is
      // refused by vertx-web before this runs).
      if (host != null && !accepted(host)) {
        TasksRoutes.error(ctx, MISDIRECTED, "Host " + JsonConfig.describe(host) + " is refused: this"
            + " server is reached over loopback, so the Host must be localhost, 127.x.x.x or [::1]"
            + " (a guard against DNS rebinding); add the name to allowedHosts to serve it");
        return;
      }
    }
    ctx.next();
  }

  /** The authority of a request without a Host header (HTTP/2's {@code :authority}), or null. */
  private static String authority(HttpServerRequest request) {
    HostAndPort authority = request.authority(true);
    if (authority == null) {
      return null;
    }
    return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
  }

  /** Whether {@code host}, a Host header's value, names a loopback host or an allowed one. */
  private boolean accepted(String host) {
    Matcher m = AUTHORITY.matcher(host.trim());
    if (!m.matches()) {
      return false;
    }
    String name = m.group(1).toLowerCase(Locale.ROOT);
    return !name.isEmpty() && (TasksWebOptions.isLoopback(name) || allowed.contains(name));
  }

  /** Whether the request came in on a loopback address of this machine. */
  static boolean overLoopback(HttpServerRequest request) {
    SocketAddress local = request.localAddress();
    if (local == null || !local.isInetSocket()) {
      return false;
    }
    String ip = local.hostAddress() != null ? local.hostAddress() : local.host();
    if (ip == null || ip.isEmpty()) {
      return false;
    }
    int scope = ip.indexOf('%');
    ip = (scope < 0 ? ip : ip.substring(0, scope)).toLowerCase(Locale.ROOT);
    if (ip.startsWith(IPV4_MAPPED)) {
      ip = ip.substring(IPV4_MAPPED.length());
    }
    return (Character.isDigit(ip.charAt(0)) || ip.contains(":")) && TasksWebOptions.isLoopback(ip);
  }
}
