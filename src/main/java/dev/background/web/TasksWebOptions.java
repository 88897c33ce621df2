package dev.background.web;

import dev.background.ConfigException;
import dev.background.JsonConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authorization.Authorization;
import io.vertx.ext.auth.authorization.AuthorizationProvider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * TasksWebOptions configures the HTTP side of a tracker: where {@link TasksHttpServer} listens,
 * where the routes of {@link TasksRouter} are mounted, and whether control over HTTP is on.
 * This is the {@code http} object of the {@code TasksVerticle} configuration:
 *
 * <pre>{@code
 * "http": { "enabled": true, "host": "127.0.0.1", "port": 8080, "root": "/",
 *           "controlToken": "s3cret", "readOnly": false, "allowedHosts": [] }
 * }</pre>
 *
 * <p>Control over HTTP ({@code POST /tasks/:name/cancel|restart|pause|resume|start|trigger}) is
 * on in one of two modes, and off (no control routes at all) otherwise:
 * <ul>
 *   <li><b>token</b>: {@link #setControlToken(String) controlToken} is set; the routes require
 *       {@code Authorization: Bearer <token>}.</li>
 *   <li><b>user</b>: {@link #setControlUser(boolean) controlUser} is {@code true}; the routes
 *       require the user that the application's own vertx-web {@code AuthenticationHandler} (JWT,
 *       OAuth2, basic, a session...) put on the request ({@code RoutingContext.user()}): 401
 *       without one. With {@link #setControlAuthorization(Authorization) controlAuthorization}
 *       (or, in JSON, {@code "controlPermission": "tasks:control"}) that user must also have this
 *       authorization: 403 otherwise. Mount the router behind the application's authentication
 *       handler; {@link TasksHttpServer} has none, so there every control request is a 401.</li>
 * </ul>
 * The two modes exclude each other.
 *
 * <p><b>Network exposure rule</b> ({@link #validate()}): the issue asks that a deployment refuse a
 * non-loopback host "with control enabled but no token". Since control only exists with a guard,
 * this is read as: <em>a server reachable from other machines must either be guarded (a token,
 * or the application's user), or be declared read-only on purpose</em>. So {@code validate()}
 * refuses a non-loopback {@code host} without {@code controlToken} or {@code controlUser} unless
 * {@link #setReadOnly(boolean) readOnly} is {@code true} (status, health, metrics and dashboard
 * only, which then reach the network knowingly). {@code readOnly} together with a guard is
 * refused as contradictory. A loopback host
 * ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}) is always accepted.
 *
 * <p><b>Host rule</b> (read by {@link TasksRouter}, whoever serves it): a request that reaches the
 * routes over loopback (the connection's local address is in {@code 127.0.0.0/8} or {@code ::1})
 * must name a loopback host in its {@code Host} header ({@code localhost}, {@code 127.x.x.x},
 * {@code [::1]}, any port) or one of {@link #setAllowedHosts(List) allowedHosts}; any other name
 * is refused with 421. A web page whose name an attacker has pointed at 127.0.0.1 (DNS
 * rebinding) sends its own name, so it cannot read the tasks. Requests that arrive on another
 * interface are not checked. A reverse proxy on the same machine that forwards the public
 * {@code Host} needs that name in {@code allowedHosts}.
 *
 * <p>Setters check their argument at once, throw a {@link ConfigException} naming the field,
 * and return {@code this}. Users of the options copy them, so changing them afterwards
 * changes nothing. Not thread-safe.
 */
public class TasksWebOptions {

  /** Whether the verticle serves HTTP: {@code false}. */
  public static final boolean DEFAULT_ENABLED = false;

  /** The interface to bind: {@code 127.0.0.1}, reachable from this machine only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The port: {@code 0}, a free port chosen at bind time (see {@code HttpServer#actualPort()}). */
  public static final int DEFAULT_PORT = 0;

  /** Where the routes are mounted on the server: {@code "/"}. */
  public static final String DEFAULT_ROOT = "/";

  /** Whether a non-loopback host without a token is accepted: {@code false}. */
  public static final boolean DEFAULT_READ_ONLY = false;

  /** The longest accepted control token, in characters. */
  public static final int MAX_TOKEN_LENGTH = 4096;

  private static final List<String> JSON_KEYS = List.of("enabled", "host", "port", "root",
      "controlToken", "readOnly", "allowedHosts", "controlUser", "controlPermission");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  /** {@code ::1} and its longer spellings ({@code 0:0:0:0:0:0:0:1}). */
  private static final Pattern IPV6_LOOPBACK = Pattern.compile("(0{0,4}:)+:?0{0,3}1");
  /** A host name (letters, digits, '.', '-', '_'), an IPv4 literal, a bracketed IPv6 one, or '*'. */
  private static final Pattern ALLOWED_HOST =
      Pattern.compile("\\*|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*|\\[[0-9A-Fa-f:.]+]");
  private static final Pattern ROOT = Pattern.compile("(/[A-Za-z0-9._~!$&'()+,;=@%-]+)*/?");

  private boolean enabled = DEFAULT_ENABLED;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String root = DEFAULT_ROOT;
  private String controlToken;
  private boolean readOnly = DEFAULT_READ_ONLY;
  private String clusterAddress;
  private List<String> allowedHosts = List.of();
  private boolean controlUser;
  private String controlPermission;
  private Authorization controlAuthorization;
  private List<AuthorizationProvider> controlAuthorizationProviders = List.of();

  /** The defaults: disabled, {@code 127.0.0.1}, a free port, mounted at {@code /}, no control. */
  public TasksWebOptions() {
  }

  /**
   * A copy of {@code other}.
   *
   * @param other the options to copy
   */
  public TasksWebOptions(TasksWebOptions other) {
    this.enabled = other.enabled;
    this.host = other.host;
    this.port = other.port;
    this.root = other.root;
    this.controlToken = other.controlToken;
    this.readOnly = other.readOnly;
    this.clusterAddress = other.clusterAddress;
    this.allowedHosts = other.allowedHosts;
    this.controlUser = other.controlUser;
    this.controlPermission = other.controlPermission;
    this.controlAuthorization = other.controlAuthorization;
    this.controlAuthorizationProviders = other.controlAuthorizationProviders;
  }

  /**
   * Reads {@code enabled}, {@code host}, {@code port}, {@code root}, {@code controlToken},
   * {@code readOnly}, {@code allowedHosts}, {@code controlUser} and {@code controlPermission};
   * absent keys keep their defaults, a JSON {@code null} token, host list or permission means
   * none.
   * This checks each value like its setter but not the combination: see {@link #validate()}.
   *
   * @param json the {@code http} object
   * @throws ConfigException at the key, for an unknown key, a wrong type or a bad value
   */
  public TasksWebOptions(JsonObject json) {
    JsonConfig.knownKeys(json, JSON_KEYS);
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "enabled":
          setEnabled(JsonConfig.bool(key, value));
          break;
        case "host":
          setHost(JsonConfig.string(key, value));
          break;
        case "port":
          setPort(JsonConfig.wholeNumber(key, value));
          break;
        case "root":
          setRoot(JsonConfig.string(key, value));
          break;
        case "controlToken":
          setControlToken(value == null ? null : JsonConfig.string(key, value));
          break;
        case "allowedHosts":
          setAllowedHosts(value == null ? null : hosts(JsonConfig.array(key, value)));
          break;
        case "controlUser":
          setControlUser(JsonConfig.bool(key, value));
          break;
        case "controlPermission":
          setControlPermission(value == null ? null : JsonConfig.string(key, value));
          break;
        default:
          setReadOnly(JsonConfig.bool(key, value));
          break;
      }
    }
  }

  /**
   * These options as JSON. The token is included as is: do not log this object.
   * {@code controlUser} and {@code controlPermission} are there only when set; an authorization
   * set with {@link #setControlAuthorization(Authorization)}, and the providers, have no JSON
   * form and are left out.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("enabled", enabled)
        .put("host", host)
        .put("port", port)
        .put("root", root)
        .put("controlToken", controlToken)
        .put("readOnly", readOnly)
        .put("allowedHosts", new JsonArray(new ArrayList<>(allowedHosts)));
    if (controlUser) {
      json.put("controlUser", true);
    }
    if (controlPermission != null) {
      json.put("controlPermission", controlPermission);
    }
    return json;
  }

  /** The entries of {@code array}, each a string. */
  private static List<String> hosts(JsonArray array) {
    List<String> hosts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      hosts.add(JsonConfig.string("allowedHosts[" + i + "]", array.getValue(i)));
    }
    return hosts;
  }

  /** @return whether {@code TasksVerticle} serves HTTP */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Whether {@code TasksVerticle} serves HTTP. {@link TasksRouter} and {@link TasksHttpServer} do
   * not read it: whoever calls them has decided.
   *
   * @param enabled on or off
   * @return {@code this}
   */
  public TasksWebOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /** @return the interface to bind */
  public String getHost() {
    return host;
  }

  /**
   * The interface to bind: an IP address or a host name; not blank.
   *
   * @param host an address or host name
   * @return {@code this}
   */
  public TasksWebOptions setHost(String host) {
    if (host == null || host.isBlank() || !host.equals(host.trim())) {
      throw new ConfigException("host", "must be an address or host name without spaces, was "
          + JsonConfig.describe(host));
    }
    this.host = host;
    return this;
  }

  /** @return the port to bind; 0 picks a free port */
  public int getPort() {
    return port;
  }

  /**
   * The port to bind, 0 to 65535; 0 picks a free port.
   *
   * @param port 0 to 65535
   * @return {@code this}
   */
  public TasksWebOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigException("port", "must be between 0 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** @return where the routes are mounted, without a trailing slash except for {@code "/"} */
  public String getRoot() {
    return root;
  }

  /**
   * The path where the routes are mounted: {@code "/"} or a path such as {@code "/ops"} (a
   * trailing slash is dropped). Plain path segments only: no wildcard, parameter, query or
   * fragment.
   *
   * @param root the mount path
   * @return {@code this}
   */
  public TasksWebOptions setRoot(String root) {
    if (root == null || !root.startsWith("/") || !ROOT.matcher(root).matches()
        || root.contains("/./") || root.contains("/../") || root.endsWith("/.")
        || root.endsWith("/..")) {
      throw new ConfigException("root", "must be \"/\" or a path like \"/ops\" (plain"
          + " segments, no '*', ':', '?', '#', '..'), was " + JsonConfig.describe(root));
    }
    this.root = root.length() > 1 && root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    return this;
  }

  /** @return the bearer token of control over HTTP, or {@code null} for none */
  public String getControlToken() {
    return controlToken;
  }

  /**
   * The bearer token that turns on control over HTTP, or {@code null} (the default) for none.
   * Visible ASCII characters only (it travels in a header), 1 to {@value #MAX_TOKEN_LENGTH} of
   * them. Choose a long random value: it is the only thing between the network and your tasks.
   *
   * @param controlToken the token, or {@code null} for no control over HTTP
   * @return {@code this}
   */
  public TasksWebOptions setControlToken(String controlToken) {
    if (controlToken != null) {
      if (controlToken.isEmpty() || controlToken.length() > MAX_TOKEN_LENGTH) {
        throw new ConfigException("controlToken", "must be null or 1 to " + MAX_TOKEN_LENGTH
            + " characters, was " + controlToken.length() + " characters");
      }
      for (int i = 0; i < controlToken.length(); i++) {
        char c = controlToken.charAt(i);
        if (c < 0x21 || c > 0x7e) {
          // The token itself is never echoed.
          throw new ConfigException("controlToken", "must be visible ASCII without spaces;"
              + " character " + i + " is not");
        }
      }
    }
    this.controlToken = controlToken;
    return this;
  }

  /**
   * Whether control over HTTP is on: a control token is set, or {@link #isControlUser()}.
   *
   * @return whether the control routes exist
   */
  public boolean isControlEnabled() {
    return controlToken != null || controlUser;
  }

  /** @return whether control over HTTP is guarded by the application's own authentication */
  public boolean isControlUser() {
    return controlUser;
  }

  /**
   * Turns on control over HTTP guarded by the application's own vertx-web authentication (see the
   * class comment): a control request needs {@code RoutingContext.user()}, set by the
   * application's {@code AuthenticationHandler} on the route where this router is mounted
   * (401 without it), and, when an authorization is set, a user that has it (403). Excludes
   * {@link #setControlToken(String) controlToken}. Default {@code false}.
   *
   * @param controlUser whether control requires the application's user
   * @return {@code this}
   */
  public TasksWebOptions setControlUser(boolean controlUser) {
    this.controlUser = controlUser;
    return this;
  }

  /** @return the permission a user needs to control tasks in user mode, or {@code null} */
  public String getControlPermission() {
    return controlPermission;
  }

  /**
   * The permission that a user needs to control tasks when {@link #isControlUser()}: the JSON
   * form of {@code PermissionBasedAuthorization.create(permission)}, such as
   * {@code "tasks:control"}. {@code null} (the default) asks for none. Replaces an authorization
   * set with {@link #setControlAuthorization(Authorization)}.
   *
   * @param controlPermission a permission without blanks at its ends, or {@code null}
   * @return {@code this}
   */
  public TasksWebOptions setControlPermission(String controlPermission) {
    if (controlPermission != null && (controlPermission.isBlank()
        || !controlPermission.equals(controlPermission.trim()))) {
      throw new ConfigException("controlPermission", "must be null or a permission such as"
          + " \"tasks:control\" without blanks at its ends, was " + JsonConfig.describe(controlPermission));
    }
    this.controlPermission = controlPermission;
    if (controlPermission != null) {
      this.controlAuthorization = null;
    }
    return this;
  }

  /**
   * @return the authorization a user needs to control tasks in user mode, as set with
   *     {@link #setControlAuthorization(Authorization)}, or {@code null}
   */
  public Authorization getControlAuthorization() {
    return controlAuthorization;
  }

  /**
   * The vertx-auth authorization that a user needs to control tasks when
   * {@link #isControlUser()}: any {@link Authorization}, such as
   * {@code PermissionBasedAuthorization.create("tasks:control")},
   * {@code RoleBasedAuthorization.create("ops")} or an {@code OrAuthorization} of them. It is
   * matched against the user's authorizations, which the
   * {@link #setControlAuthorizationProviders(List) providers} load when the application has not
   * loaded them already. {@code null} (the default) asks for none. Replaces a
   * {@link #setControlPermission(String) controlPermission}.
   *
   * @param controlAuthorization the authorization, or {@code null}
   * @return {@code this}
   */
  public TasksWebOptions setControlAuthorization(Authorization controlAuthorization) {
    this.controlAuthorization = controlAuthorization;
    if (controlAuthorization != null) {
      this.controlPermission = null;
    }
    return this;
  }

  /** @return the providers that load a user's authorizations for the control check; unmodifiable */
  public List<AuthorizationProvider> getControlAuthorizationProviders() {
    return controlAuthorizationProviders;
  }

  /**
   * The vertx-auth providers that load a user's authorizations before the control check (as
   * vertx-web's {@code AuthorizationHandler.addAuthorizationProvider} does), such as
   * {@code JWTAuthorization.create(...)} reading a JWT's permissions claim. A provider whose
   * authorizations the user already carries is not asked again. {@code null} or empty (the
   * default): the user's authorizations are used as the application loaded them.
   *
   * @param providers the providers, or {@code null} for none
   * @return {@code this}
   */
  public TasksWebOptions setControlAuthorizationProviders(List<AuthorizationProvider> providers) {
    if (providers == null) {
      this.controlAuthorizationProviders = List.of();
      return this;
    }
    for (int i = 0; i < providers.size(); i++) {
      if (providers.get(i) == null) {
        throw new ConfigException("controlAuthorizationProviders[" + i + "]", "must not be null");
      }
    }
    this.controlAuthorizationProviders = List.copyOf(providers);
    return this;
  }

  /** @return whether a non-loopback host without a token is accepted on purpose */
  public boolean isReadOnly() {
    return readOnly;
  }

  /**
   * Declares that serving status without control on a non-loopback host is intended. Without it,
   * {@link #validate()} refuses such a host unless a control token is set.
   *
   * @param readOnly whether serving status without control is intended
   * @return {@code this}
   */
  public TasksWebOptions setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
    return this;
  }

  /**
   * @return the names a request over loopback may give as its {@code Host} besides loopback ones;
   *     unmodifiable
   */
  public List<String> getAllowedHosts() {
    return allowedHosts;
  }

  /**
   * The names, besides {@code localhost}, {@code 127.x.x.x} and {@code [::1]}, that a request
   * reaching the routes over loopback may give as its {@code Host} (see the Host rule above):
   * typically the public name that a reverse proxy on this machine forwards. Each is a host name
   * ({@code ops.example.com}), an IPv4 address or a bracketed IPv6 address ({@code [2001:db8::7]}),
   * without port (any port matches) and matched case-insensitively; {@code "*"} accepts any
   * {@code Host}, which turns the rule off. {@code null} or empty (the default): loopback names
   * only.
   *
   * @param allowedHosts the names, or {@code null} for none
   * @return {@code this}
   */
  public TasksWebOptions setAllowedHosts(List<String> allowedHosts) {
    if (allowedHosts == null) {
      this.allowedHosts = List.of();
      return this;
    }
    List<String> copy = new ArrayList<>(allowedHosts.size());
    for (int i = 0; i < allowedHosts.size(); i++) {
      String h = allowedHosts.get(i);
      if (h == null || !ALLOWED_HOST.matcher(h).matches()) {
        throw new ConfigException("allowedHosts[" + i + "]", "must be a host name or address"
            + " without port (\"ops.example.com\", \"192.0.2.7\", \"[2001:db8::7]\") or \"*\" for any,"
            + " was " + JsonConfig.describe(h));
      }
      copy.add(h);
    }
    this.allowedHosts = Collections.unmodifiableList(copy);
    return this;
  }

  /** @return the control address of a cluster-wide verticle, or {@code null} */
  public String getClusterAddress() {
    return clusterAddress;
  }

  /**
   * The control address of a cluster-wide {@link dev.background.verticle.TasksVerticle}: when set,
   * {@code GET /tasks}, {@code GET /tasks/:name} and the control routes ({@code POST
   * /tasks/:name/cancel}, ...) go to every node over the event bus, exactly like event-bus control,
   * and {@code ?scope=local} keeps them on this node. Set by the verticle; not read from JSON.
   *
   * @param clusterAddress the address, or {@code null}
   * @return {@code this}
   */
  public TasksWebOptions setClusterAddress(String clusterAddress) {
    if (clusterAddress != null && clusterAddress.isBlank()) {
      throw new ConfigException("clusterAddress", "must not be blank");
    }
    this.clusterAddress = clusterAddress;
    return this;
  }

  /**
   * Checks the combination of options (each value was checked by its setter). Does no DNS
   * lookup: a host is loopback when it is {@code localhost}, an IPv4 literal in
   * {@code 127.0.0.0/8} or the IPv6 literal {@code ::1}; any other name counts as non-loopback.
   *
   * @return {@code this}
   * @throws ConfigException when {@code readOnly} is combined with a control token or with
   *     {@code controlUser}, when both a control token and {@code controlUser} are set, when an
   *     authorization or permission is set without {@code controlUser}, or when a non-loopback
   *     {@code host} has no control guard (token or user) and is not declared read-only
   */
  public TasksWebOptions validate() {
    if (readOnly && controlToken != null) {
      throw new ConfigException("readOnly", "is true but controlToken is set; control over"
          + " HTTP needs the token, a read-only server has no control: remove one of them");
    }
    if (readOnly && controlUser) {
      throw new ConfigException("readOnly", "is true but controlUser is true; a read-only server"
          + " has no control: remove one of them");
    }
    if (controlUser && controlToken != null) {
      throw new ConfigException("controlUser", "is true but controlToken is set; control is"
          + " guarded either by the token or by the application's user: remove one of them");
    }
    if (!controlUser && (controlPermission != null || controlAuthorization != null)) {
      throw new ConfigException(controlPermission != null ? "controlPermission"
          : "controlAuthorization", "is set but controlUser is false; set controlUser to true to"
          + " guard control with the application's user");
    }
    if (!isLoopback(host) && !isControlEnabled() && !readOnly) {
      throw new ConfigException("host", host + " is reachable from other machines but no"
          + " controlToken is set; set controlToken (or controlUser behind the application's"
          + " authentication) to guard control over HTTP, set readOnly to"
          + " true to serve status without control on purpose, or bind 127.0.0.1");
    }
    return this;
  }

  /** Whether {@code host} is a loopback address, decided without a DNS lookup. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (IPV6_LOOPBACK.matcher(h).matches()) {
      return true;
    }
    if (!IPV4.matcher(h).matches()) {
      return false;
    }
    String[] octets = h.split("\\.");
    for (String o : octets) {
      if (Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return Integer.parseInt(octets[0]) == 127;
  }

  @Override
  public String toString() {
    return "TasksWebOptions{enabled=" + enabled + ", host=" + host + ", port=" + port + ", root="
        + root + ", controlToken=" + (controlToken == null ? "none" : "(set)") + ", readOnly="
        + readOnly + ", allowedHosts=" + allowedHosts + ", controlUser=" + controlUser
        + (controlPermission == null ? "" : ", controlPermission=" + controlPermission)
        + (controlAuthorization == null ? "" : ", controlAuthorization=(set)") + "}";
  }
}
