package dev.background.cluster;

import dev.background.ConfigException;
import dev.background.Durations;
import dev.background.JsonConfig;
import dev.background.TasksOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * ClusterOptions is the {@code cluster} section of a {@link dev.background.verticle.TasksVerticle}'s
 * configuration. With {@code enabled}, the verticle expects a clustered Vert.x and serves the
 * cluster-wide view: {@code list} answers with every node's tasks, and control actions reach every
 * node that runs the named task. {@code hazelcastConfig}, {@code host}, {@code eventBusPort},
 * {@code clusterName}, {@code port} and {@code portCount} tell the demo (and any launcher, through
 * {@link ClusterVertx#start(ClusterOptions)}) how to start the clustered Vert.x: the last three
 * override the Hazelcast file, so that two clusters on one host need no file of their own.
 * {@code locks}, {@code singletonRetryInterval} and {@code nodeId} configure the tracker the
 * verticle makes for itself when any of them is set. Setters check their argument, throw a
 * {@link ConfigException} naming the field, and return {@code this}; not thread-safe.
 */
public class ClusterOptions {

  /** Whether the cluster-wide view is on: {@code false}. */
  public static final boolean DEFAULT_ENABLED = false;
  /** How long a cluster-wide request waits for each node: 2 s. */
  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(2);
  /** The Hazelcast configuration a launcher starts the cluster with: {@code conf/cluster.xml}. */
  public static final String DEFAULT_HAZELCAST_CONFIG = "conf/cluster.xml";
  /** The address a launcher binds the event bus to: {@code 127.0.0.1}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Singleton locks on Vert.x shared data (the default). */
  public static final String LOCKS_SHARED_DATA = "shared-data";
  /** Singleton locks on Hazelcast's CP subsystem ({@link CpSingletonLocks}). */
  public static final String LOCKS_CP = "cp";

  /** The event-bus port a launcher binds: 0, any free port. */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;

  private static final List<String> JSON_KEYS = List.of("enabled", "replyTimeout",
      "hazelcastConfig", "host", "eventBusPort", "clusterName", "port", "portCount", "locks",
      "singletonRetryInterval", "nodeId");

  private boolean enabled = DEFAULT_ENABLED;
  private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
  private String hazelcastConfig = DEFAULT_HAZELCAST_CONFIG;
  private String host = DEFAULT_HOST;
  private String locks = LOCKS_SHARED_DATA;
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private String clusterName;
  private Integer port;
  private Integer portCount;
  private Duration singletonRetryInterval;
  private String nodeId;

  /** The defaults: the cluster-wide view off. */
  public ClusterOptions() {
  }

  /**
   * A copy of {@code other}.
   *
   * @param other the options to copy
   */
  public ClusterOptions(ClusterOptions other) {
    enabled = other.enabled;
    replyTimeout = other.replyTimeout;
    hazelcastConfig = other.hazelcastConfig;
    host = other.host;
    locks = other.locks;
    eventBusPort = other.eventBusPort;
    clusterName = other.clusterName;
    port = other.port;
    portCount = other.portCount;
    singletonRetryInterval = other.singletonRetryInterval;
    nodeId = other.nodeId;
  }

  /**
   * Reads {@code enabled}, {@code replyTimeout}, {@code hazelcastConfig}, {@code host},
   * {@code eventBusPort}, {@code clusterName}, {@code port}, {@code portCount}, {@code locks},
   * {@code singletonRetryInterval} and {@code nodeId}; absent keys keep their defaults, and JSON
   * {@code null} is the default of the keys whose default is "not set" ({@code clusterName},
   * {@code port}, {@code portCount}, {@code singletonRetryInterval}, {@code nodeId}), so that
   * {@link #toJson()} reads back.
   *
   * @param json the {@code cluster} object
   * @throws ConfigException at the key, for an unknown key, a wrong type or a bad value
   */
  public ClusterOptions(JsonObject json) {
    JsonConfig.knownKeys(json, JSON_KEYS);
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "enabled":
          setEnabled(JsonConfig.bool(key, value));
          break;
        case "replyTimeout":
          setReplyTimeout(JsonConfig.duration(key, value));
          break;
        case "hazelcastConfig":
          setHazelcastConfig(JsonConfig.string(key, value));
          break;
        case "host":
          setHost(JsonConfig.string(key, value));
          break;
        case "eventBusPort":
          setEventBusPort(JsonConfig.wholeNumber(key, value));
          break;
        case "clusterName":
          setClusterName(value == null ? null : JsonConfig.string(key, value));
          break;
        case "port":
          setPort(value == null ? null : JsonConfig.wholeNumber(key, value));
          break;
        case "portCount":
          setPortCount(value == null ? null : JsonConfig.wholeNumber(key, value));
          break;
        case "singletonRetryInterval":
          setSingletonRetryInterval(value == null ? null : JsonConfig.duration(key, value));
          break;
        case "nodeId":
          setNodeId(value == null ? null : JsonConfig.string(key, value));
          break;
        default:
          setLocks(JsonConfig.string(key, value));
          break;
      }
    }
  }

  /**
   * The JSON form, readable by {@link #ClusterOptions(JsonObject)}.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("replyTimeout", Durations.format(replyTimeout))
        .put("hazelcastConfig", hazelcastConfig).put("host", host).put("eventBusPort", eventBusPort)
        .put("clusterName", clusterName).put("port", port).put("portCount", portCount)
        .put("locks", locks)
        .put("singletonRetryInterval", singletonRetryInterval == null ? null
            : Durations.format(singletonRetryInterval))
        .put("nodeId", nodeId);
  }

  /** @return whether the verticle serves the cluster-wide view */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Whether the verticle serves the cluster-wide view; it then expects a clustered Vert.x.
   *
   * @param enabled on or off
   * @return {@code this}
   */
  public ClusterOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /** @return how long a cluster-wide request waits for each node */
  public Duration getReplyTimeout() {
    return replyTimeout;
  }

  /**
   * How long a cluster-wide request waits for each node before listing it as unreachable; > 0.
   *
   * @param replyTimeout &gt; 0
   * @return {@code this}
   */
  public ClusterOptions setReplyTimeout(Duration replyTimeout) {
    if (replyTimeout == null || replyTimeout.isZero() || replyTimeout.isNegative()) {
      throw new ConfigException("replyTimeout", "must be > 0, was "
          + JsonConfig.describe(replyTimeout));
    }
    this.replyTimeout = replyTimeout;
    return this;
  }

  /** @return the Hazelcast XML file a launcher starts the cluster with */
  public String getHazelcastConfig() {
    return hazelcastConfig;
  }

  /**
   * The Hazelcast XML file a launcher starts the cluster with; not blank.
   *
   * @param hazelcastConfig a file path
   * @return {@code this}
   */
  public ClusterOptions setHazelcastConfig(String hazelcastConfig) {
    if (hazelcastConfig == null || hazelcastConfig.isBlank()) {
      throw new ConfigException("hazelcastConfig", "must be a file path, was "
          + JsonConfig.describe(hazelcastConfig));
    }
    this.hazelcastConfig = hazelcastConfig;
    return this;
  }

  /** @return where singleton tasks take their lock: {@code "shared-data"} or {@code "cp"} */
  public String getLocks() {
    return locks;
  }

  /**
   * Where singleton tasks take their lock: {@code "shared-data"} (Vert.x locks; AP) or
   * {@code "cp"} (Hazelcast's CP subsystem, linearizable; needs a Hazelcast configuration with 3+
   * CP members such as {@code conf/cluster-cp.xml}, and a Vert.x started by {@link ClusterVertx}).
   *
   * @param locks {@code "shared-data"} or {@code "cp"}
   * @return {@code this}
   */
  public ClusterOptions setLocks(String locks) {
    if (!LOCKS_SHARED_DATA.equals(locks) && !LOCKS_CP.equals(locks)) {
      throw new ConfigException("locks", "must be \"shared-data\" or \"cp\", was "
          + JsonConfig.describe(locks));
    }
    this.locks = locks;
    return this;
  }

  /** @return the address a launcher binds the event bus to */
  public String getHost() {
    return host;
  }

  /**
   * The address a launcher binds the event bus to; not blank.
   *
   * @param host an address
   * @return {@code this}
   */
  public ClusterOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new ConfigException("host", "must be an address, was " + JsonConfig.describe(host));
    }
    this.host = host;
    return this;
  }

  /** @return the port a launcher binds the event bus to; 0 means any free port */
  public int getEventBusPort() {
    return eventBusPort;
  }

  /**
   * The port a launcher binds the event bus to: 0 (the default) takes any free port, which is
   * enough when nodes reach each other directly; a fixed port suits a firewall or a network
   * policy that lists it.
   *
   * @param eventBusPort 0 to 65535
   * @return {@code this}
   */
  public ClusterOptions setEventBusPort(int eventBusPort) {
    if (eventBusPort < 0 || eventBusPort > 65535) {
      throw new ConfigException("eventBusPort", "must be between 0 and 65535, was " + eventBusPort);
    }
    this.eventBusPort = eventBusPort;
    return this;
  }

  /** @return the Hazelcast cluster name a launcher sets, or {@code null} to keep the file's */
  public String getClusterName() {
    return clusterName;
  }

  /**
   * The Hazelcast cluster name a launcher sets over the one of {@code hazelcastConfig}. Members
   * join only a cluster of their own name, so two clusters on one host (or one network) stay apart
   * when their names differ. {@code null} (the default) keeps the file's name
   * ({@code vertx-background} in the shipped files).
   *
   * @param clusterName 1 to 200 non-blank characters, or {@code null}
   * @return {@code this}
   */
  public ClusterOptions setClusterName(String clusterName) {
    if (clusterName != null && (clusterName.isBlank() || clusterName.length() > 200)) {
      throw new ConfigException("clusterName", "must be 1 to 200 non-blank characters, was "
          + JsonConfig.describe(clusterName));
    }
    this.clusterName = clusterName;
    return this;
  }

  /** @return the first Hazelcast member port a launcher sets, or {@code null} to keep the file's */
  public Integer getPort() {
    return port;
  }

  /**
   * The Hazelcast member port a launcher sets over the one of {@code hazelcastConfig}: the first
   * port tried, and, with TCP-IP join on members listed without a port, the first port probed for
   * other members. {@code null} (the default) keeps the file's (5701 in the shipped files).
   *
   * @param port 1 to 65535, or {@code null}
   * @return {@code this}
   */
  public ClusterOptions setPort(Integer port) {
    if (port != null && (port < 1 || port > 65535)) {
      throw new ConfigException("port", "must be between 1 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** @return how many Hazelcast ports from {@code port} a launcher sets, or {@code null} */
  public Integer getPortCount() {
    return portCount;
  }

  /**
   * How many ports from {@code port} Hazelcast may bind (and probe for members listed without a
   * port); 1 binds {@code port} only (no auto-increment). {@code null} (the default) keeps the
   * file's (100, with auto-increment, in {@code conf/cluster.xml}).
   * {@code port + portCount - 1} must not pass 65535: {@link ClusterVertx} checks it against the
   * port in effect.
   *
   * @param portCount 1 to 65535, or {@code null}
   * @return {@code this}
   */
  public ClusterOptions setPortCount(Integer portCount) {
    if (portCount != null && (portCount < 1 || portCount > 65535)) {
      throw new ConfigException("portCount", "must be between 1 and 65535, was " + portCount);
    }
    this.portCount = portCount;
    return this;
  }

  /**
   * @return how often a standby singleton of the verticle's tracker tries to take the lock, or
   *     {@code null} for {@link TasksOptions#DEFAULT_SINGLETON_RETRY_INTERVAL}
   */
  public Duration getSingletonRetryInterval() {
    return singletonRetryInterval;
  }

  /**
   * How often a standby singleton tries to take the lock
   * ({@link TasksOptions#setSingletonRetryInterval}); set, the verticle makes a tracker of its own
   * with it, and refuses it when it is given a tracker. {@code null} (the default): 1 s.
   *
   * @param singletonRetryInterval 10 ms to 1 minute, or {@code null}
   * @return {@code this}
   */
  public ClusterOptions setSingletonRetryInterval(Duration singletonRetryInterval) {
    if (singletonRetryInterval != null) {
      new TasksOptions().setSingletonRetryInterval(singletonRetryInterval);
    }
    this.singletonRetryInterval = singletonRetryInterval;
    return this;
  }

  /** @return the node id of the verticle's tracker, or {@code null} for the default */
  public String getNodeId() {
    return nodeId;
  }

  /**
   * The id the verticle's tracker reports as {@code node} and registers in the cluster
   * ({@link TasksOptions#setNodeId}); set, the verticle makes a tracker of its own with it, and
   * refuses it when it is given a tracker. Each node of a cluster needs a different one.
   * {@code null} (the default): {@code <host>-<pid>-<random>}.
   *
   * @param nodeId 1 to 200 non-blank characters, or {@code null}
   * @return {@code this}
   */
  public ClusterOptions setNodeId(String nodeId) {
    if (nodeId != null) {
      new TasksOptions().setNodeId(nodeId);
    }
    this.nodeId = nodeId;
    return this;
  }

  /**
   * The key of the first tracker setting that is set ({@code locks} when it is {@code "cp"},
   * {@code singletonRetryInterval}, {@code nodeId}), or {@code null} when none is: the verticle
   * makes a tracker of its own exactly when one is.
   *
   * @return a key of this section, or {@code null}
   */
  public String trackerSetting() {
    if (LOCKS_CP.equals(locks)) {
      return "locks";
    }
    if (singletonRetryInterval != null) {
      return "singletonRetryInterval";
    }
    return nodeId != null ? "nodeId" : null;
  }

  /**
   * Sets the tracker settings of this section that are set ({@code singletonRetryInterval},
   * {@code nodeId}) on {@code options}; the others keep their value. The singleton locks of
   * {@code "cp"} are the caller's to set: they need the Hazelcast instance.
   *
   * @param options the tracker's options, changed in place
   * @return {@code options}
   */
  public TasksOptions applyTo(TasksOptions options) {
    if (singletonRetryInterval != null) {
      options.setSingletonRetryInterval(singletonRetryInterval);
    }
    if (nodeId != null) {
      options.setNodeId(nodeId);
    }
    return options;
  }
}
