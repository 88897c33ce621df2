package dev.background.cluster;

import dev.background.Durations;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * ClusterOptions is the {@code cluster} section of a {@link dev.background.verticle.TasksVerticle}'s
 * configuration. With {@code enabled}, the verticle expects a clustered Vert.x and serves the
 * cluster-wide view: {@code list} answers with every node's tasks, and control actions reach every
 * node that runs the named task. {@code hazelcastConfig} and {@code host} tell the demo (and any
 * launcher) how to start the clustered Vert.x; {@code locks} chooses where singleton tasks take
 * their lock when the verticle makes its own tracker. Setters check their argument and return
 * {@code this}; not thread-safe.
 */
public class ClusterOptions {

  public static final boolean DEFAULT_ENABLED = false;
  /** How long a cluster-wide request waits for each node: 2 s. */
  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(2);
  public static final String DEFAULT_HAZELCAST_CONFIG = "conf/cluster.xml";
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Singleton locks on Vert.x shared data (the default). */
  public static final String LOCKS_SHARED_DATA = "shared-data";
  /** Singleton locks on Hazelcast's CP subsystem ({@link CpSingletonLocks}). */
  public static final String LOCKS_CP = "cp";

  private boolean enabled = DEFAULT_ENABLED;
  private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
  private String hazelcastConfig = DEFAULT_HAZELCAST_CONFIG;
  private String host = DEFAULT_HOST;
  private String locks = LOCKS_SHARED_DATA;

  public ClusterOptions() {
  }

  public ClusterOptions(ClusterOptions other) {
    enabled = other.enabled;
    replyTimeout = other.replyTimeout;
    hazelcastConfig = other.hazelcastConfig;
    host = other.host;
    locks = other.locks;
  }

  /**
   * Reads {@code enabled}, {@code replyTimeout}, {@code hazelcastConfig} and {@code host}.
   *
   * @throws IllegalArgumentException "key: problem, was value" for an unknown key or a bad value
   */
  public ClusterOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "enabled":
          if (!(value instanceof Boolean)) {
            throw new IllegalArgumentException("enabled: must be true or false, was " + Durations.describe(value));
          }
          setEnabled((Boolean) value);
          break;
        case "replyTimeout":
          setReplyTimeout(Durations.parse(key, value));
          break;
        case "hazelcastConfig":
          setHazelcastConfig(string(key, value));
          break;
        case "host":
          setHost(string(key, value));
          break;
        case "locks":
          setLocks(string(key, value));
          break;
        default:
          throw new IllegalArgumentException(key + ": unknown key (expected enabled, replyTimeout, "
              + "hazelcastConfig, host, locks)");
      }
    }
  }

  private static String string(String key, Object value) {
    if (!(value instanceof String)) {
      throw new IllegalArgumentException(key + ": must be a string, was " + Durations.describe(value));
    }
    return (String) value;
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("replyTimeout", Durations.format(replyTimeout))
        .put("hazelcastConfig", hazelcastConfig).put("host", host).put("locks", locks);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public ClusterOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public Duration getReplyTimeout() {
    return replyTimeout;
  }

  /** How long a cluster-wide request waits for each node before listing it as unreachable; > 0. */
  public ClusterOptions setReplyTimeout(Duration replyTimeout) {
    if (replyTimeout == null || replyTimeout.isZero() || replyTimeout.isNegative()) {
      throw new IllegalArgumentException("replyTimeout: must be > 0, was " + replyTimeout);
    }
    this.replyTimeout = replyTimeout;
    return this;
  }

  public String getHazelcastConfig() {
    return hazelcastConfig;
  }

  /** The Hazelcast XML file a launcher starts the cluster with; not blank. */
  public ClusterOptions setHazelcastConfig(String hazelcastConfig) {
    if (hazelcastConfig == null || hazelcastConfig.isBlank()) {
      throw new IllegalArgumentException("hazelcastConfig: must be a file path, was " + hazelcastConfig);
    }
    this.hazelcastConfig = hazelcastConfig;
    return this;
  }

  public String getLocks() {
    return locks;
  }

  /**
   * Where singleton tasks take their lock: {@code "shared-data"} (Vert.x locks; AP) or
   * {@code "cp"} (Hazelcast's CP subsystem, linearizable; needs a Hazelcast configuration with 3+
   * CP members such as {@code conf/cluster-cp.xml}, and a Vert.x started by {@link ClusterVertx}).
   */
  public ClusterOptions setLocks(String locks) {
    if (!LOCKS_SHARED_DATA.equals(locks) && !LOCKS_CP.equals(locks)) {
      throw new IllegalArgumentException("locks: must be \"shared-data\" or \"cp\", was "
          + Durations.describe(locks));
    }
    this.locks = locks;
    return this;
  }

  public String getHost() {
    return host;
  }

  /** The address a launcher binds the event bus to; not blank. */
  public ClusterOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: must be an address, was " + host);
    }
    this.host = host;
    return this;
  }
}
