package dev.background.cluster;

import dev.background.ConfigException;
import dev.background.Durations;
import dev.background.JsonConfig;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * ClusterOptions is the {@code cluster} section of a {@link dev.background.verticle.TasksVerticle}'s
 * configuration. With {@code enabled}, the verticle expects a clustered Vert.x and serves the
 * cluster-wide view: {@code list} answers with every node's tasks, and control actions reach every
 * node that runs the named task. {@code hazelcastConfig} and {@code host} tell the demo (and any
 * launcher) how to start the clustered Vert.x; {@code locks} chooses where singleton tasks take
 * their lock when the verticle makes its own tracker. Setters check their argument, throw a
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

  private static final List<String> JSON_KEYS = List.of("enabled", "replyTimeout",
      "hazelcastConfig", "host", "locks");

  private boolean enabled = DEFAULT_ENABLED;
  private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
  private String hazelcastConfig = DEFAULT_HAZELCAST_CONFIG;
  private String host = DEFAULT_HOST;
  private String locks = LOCKS_SHARED_DATA;

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
  }

  /**
   * Reads {@code enabled}, {@code replyTimeout}, {@code hazelcastConfig}, {@code host} and
   * {@code locks}; absent keys keep their defaults.
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
        .put("hazelcastConfig", hazelcastConfig).put("host", host).put("locks", locks);
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
}
