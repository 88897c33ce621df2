package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.verticle.TasksVerticle;
import dev.background.TestTasks;
import dev.background.ConfigException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Generated invalid {@link TasksVerticle} configurations: a random valid configuration (addresses,
 * close timeout, default backoff, up to four declared tasks of every kind and mode with backoffs,
 * options and configs, an http section) with exactly one mistake put in at a random place: an
 * unknown key, a wrong type, a bad value, a rule broken across keys (equal addresses, initial
 * above max interval, an option that does not fit the mode or the kind of task, a duplicate
 * name, a name taken by a live task, a class that is no task or whose constructor throws). Every
 * one fails the deployment with a {@link ConfigException} whose key path is where the mistake
 * is, and nothing starts.
 */
class ConfigFuzzTest {

  private static final String LIVE = "live-task";
  private static Vertx vertx;
  private static Tasks tasks;
  private static final Map<String, AtomicInteger> byMutation = new ConcurrentHashMap<>();

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    tasks = Tasks.create(vertx);
    tasks.runAsync(LIVE, ctx -> ctx.onCancel(), Backoff.defaults(), RunOption.exactName());
  }

  @AfterContainer
  static void stop() {
    System.out.printf("ConfigFuzzTest: refused configurations by kind of mistake: %s%n", new TreeMap<>(byMutation));
    tasks.close().await();
    vertx.close().await();
  }

  /** A configuration and where its one mistake is. */
  record Case(String mistake, String path, JsonObject config) {
    @Override
    public String toString() {
      return mistake + " at " + path + ": " + config.encode();
    }
  }

  @Property(tries = 400)
  void everyInvalidConfigurationFailsTheDeploymentNamingTheKey(@ForAll("invalidConfigs") Case c) {
    byMutation.computeIfAbsent(c.mistake(), k -> new AtomicInteger()).incrementAndGet();

    Throwable t = catchThrowable(() -> vertx.deployVerticle(new TasksVerticle(tasks),
        new DeploymentOptions().setConfig(c.config())).await());

    assertThat(t).as("%s", c).isInstanceOf(ConfigException.class);
    ConfigException e = (ConfigException) t;
    assertThat(e.path()).as("%s: %s", c, e.getMessage()).isEqualTo(c.path());
    assertThat(e.getMessage()).startsWith(c.path() + ": ").hasSizeLessThan(1_000);
    assertThat(tasks.list()).as("nothing started").extracting(TaskStatus::name).containsExactly(LIVE);
  }

  // ---------------------------------------------------------------- valid configurations

  private static final List<Class<?>> ASYNC = List.of(TestTasks.Waits.class, TestTasks.Ends.class);
  private static final List<Class<?>> BLOCKING = List.of(TestTasks.BlockingEnds.class,
      TestTasks.BlocksUntilCancelled.class);

  /** "250ms", "30s", "5m", "1h", "PT30S", or a JSON number of milliseconds. */
  private static Arbitrary<Object> durations() {
    return Arbitraries.oneOf(Arbitraries.integers().between(1, 600).map(n -> (Object) (n + "ms")),
        Arbitraries.integers().between(1, 60).map(n -> (Object) (n + "s")), Arbitraries.of("5m", "1h", "PT30S"),
        Arbitraries.integers().between(1, 100_000).map(n -> (Object) n));
  }

  private static Arbitrary<JsonObject> backoffs() {
    return Combinators.combine(Arbitraries.integers().between(1, 1000), Arbitraries.integers().between(0, 60_000),
        Arbitraries.doubles().between(1, 5).ofScale(2), Arbitraries.doubles().between(0, 1).ofScale(2),
        Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 31))
        .as((initial, extra, m, f, attempts, mask) -> {
          JsonObject b = new JsonObject();
          if ((mask & 1) != 0) {
            b.put("initialInterval", initial + "ms");
          }
          if ((mask & 2) != 0) {
            b.put("maxInterval", (initial + extra + 60_000) + "ms");
          }
          if ((mask & 4) != 0) {
            b.put("multiplier", m);
          }
          if ((mask & 8) != 0) {
            b.put("randomizationFactor", f);
          }
          if ((mask & 16) != 0) {
            b.put("maxAttempts", attempts);
          }
          return b;
        });
  }

  /** A declaration valid for its mode and kind (autoStart false: nothing runs). */
  private static Arbitrary<JsonObject> declarations() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 1), backoffs().optional(0.4), durations(), Arbitraries.integers().between(0, 255))
        .as((run, blocking, which, backoff, d, mask) -> {
          JsonObject t = new JsonObject().put("name", "placeholder")
              .put("class", (blocking ? BLOCKING : ASYNC).get(which).getName()).put("autoStart", false);
          if (!run || (mask & 1) != 0) {
            t.put("mode", run ? "run" : "once");
          }
          if (run) {
            backoff.ifPresent(b -> t.put("backoff", b));
          }
          JsonObject o = new JsonObject();
          if ((mask & 2) != 0) {
            o.put("startDelay", d);
          }
          if ((mask & 4) != 0) {
            o.put("runTimeout", d);
          }
          if ((mask & 8) != 0) {
            o.put("tags", new JsonObject().put("team", "ops"));
          }
          if (run && (mask & 16) != 0) {
            o.put("resetAfter", d).put("restartOnFailureOnly", (mask & 32) != 0);
          }
          if (run && (mask & 64) != 0) {
            o.put("maxRestarts", new JsonObject().put("count", 3).put("window", d));
          }
          if (blocking && (mask & 128) != 0) {
            o.put("interruptOnCancel", true);
          }
          if (!o.isEmpty()) {
            t.put("options", o);
          }
          if ((mask & 96) == 96) {
            t.put("config", new JsonObject().put("url", "http://127.0.0.1:1").put("n", mask));
          }
          return t;
        });
  }

  private static Arbitrary<JsonObject> validConfigs() {
    return Combinators.combine(Arbitraries.integers().between(0, 63), durations(), backoffs(),
        declarations().list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(0, 1, 2))
        .as((mask, d, backoff, decls, http) -> {
          JsonObject c = new JsonObject();
          if ((mask & 1) != 0) {
            c.put("address", "fuzz.control." + mask);
          }
          if ((mask & 2) != 0) {
            c.put("eventsAddress", "fuzz.events." + mask);
          }
          if ((mask & 4) != 0) {
            c.put("closeTimeout", d);
          }
          if ((mask & 8) != 0) {
            c.put("defaultBackoff", backoff);
          }
          JsonArray list = new JsonArray();
          for (int i = 0; i < decls.size(); i++) {
            list.add(decls.get(i).copy().put("name", "task-" + i));
          }
          c.put("tasks", list);
          if (http == 1) {
            c.put("http", new JsonObject().put("enabled", false));
          } else if (http == 2) {
            c.put("http", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", 0)
                .put("root", "/ops"));
          }
          return c;
        });
  }

  // ---------------------------------------------------------------- one mistake each

  /** A mistake: its kind, and how to make it at task {@code i} (when it concerns a task). */
  record Mistake(String kind, String path, Consumer<JsonObject> apply) {
  }

  @Provide
  Arbitrary<Case> invalidConfigs() {
    return Combinators.combine(validConfigs(), Arbitraries.integers().between(0, 10_000).withoutEdgeCases(),
        Arbitraries.integers().between(0, 10_000).withoutEdgeCases())
        .as((config, which, task) -> {
          int i = task % config.getJsonArray("tasks").size();
          List<Mistake> all = mistakes(config, i);
          Mistake m = all.get(which % all.size());
          JsonObject broken = config.copy();
          m.apply().accept(broken);
          return new Case(m.kind(), m.path(), broken);
        });
  }

  private static JsonObject task(JsonObject c, int i) {
    return c.getJsonArray("tasks").getJsonObject(i);
  }

  private static JsonObject options(JsonObject c, int i) {
    JsonObject t = task(c, i);
    if (!t.containsKey("options")) {
      t.put("options", new JsonObject());
    }
    return t.getJsonObject("options");
  }

  /** Every mistake that can be made in {@code config}, at declared task {@code i} where relevant. */
  private static List<Mistake> mistakes(JsonObject config, int i) {
    JsonObject t = task(config, i);
    boolean run = !"once".equals(t.getString("mode"));
    boolean blocking = BLOCKING.stream().anyMatch(c -> c.getName().equals(t.getString("class")));
    String at = "tasks[" + i + "]";
    List<Mistake> m = new ArrayList<>();
    // Top level.
    m.add(new Mistake("unknown key", "adress", c -> c.put("adress", "x")));
    m.add(new Mistake("wrong type", "address", c -> c.put("address", 42)));
    m.add(new Mistake("blank", "address", c -> c.put("address", " ")));
    m.add(new Mistake("wrong type", "eventsAddress", c -> c.put("eventsAddress", new JsonArray())));
    m.add(new Mistake("equal addresses", "eventsAddress", c -> c.put("eventsAddress",
        c.getString("address", "background.tasks"))));
    for (Object bad : List.of("abc", -5, 0, "0ms", "-1s", true, 1.5, "9999999999999999h")) {
      m.add(new Mistake("bad duration", "closeTimeout", c -> c.put("closeTimeout", bad)));
    }
    m.add(new Mistake("wrong type", "defaultBackoff", c -> c.put("defaultBackoff", "fast")));
    m.add(new Mistake("wrong type", "tasks", c -> c.put("tasks", new JsonObject())));
    m.add(new Mistake("wrong type", "http", c -> c.put("http", 8080)));
    // Backoffs, default and per task.
    for (String prefix : run ? List.of("defaultBackoff", at + ".backoff") : List.of("defaultBackoff")) {
      Consumer<JsonObject> ensure = c -> {
        if (prefix.equals("defaultBackoff")) {
          if (!c.containsKey("defaultBackoff")) {
            c.put("defaultBackoff", new JsonObject());
          }
        } else if (!task(c, i).containsKey("backoff")) {
          task(c, i).put("backoff", new JsonObject());
        }
      };
      java.util.function.Function<JsonObject, JsonObject> b = c -> prefix.equals("defaultBackoff")
          ? c.getJsonObject("defaultBackoff") : task(c, i).getJsonObject("backoff");
      m.add(new Mistake("backoff: unknown key", prefix + ".jitter", c -> {
        ensure.accept(c);
        b.apply(c).put("jitter", 0.1);
      }));
      m.add(new Mistake("backoff: multiplier < 1", prefix + ".multiplier", c -> {
        ensure.accept(c);
        b.apply(c).put("multiplier", 0.5);
      }));
      m.add(new Mistake("backoff: factor > 1", prefix + ".randomizationFactor", c -> {
        ensure.accept(c);
        b.apply(c).put("randomizationFactor", 1.5);
      }));
      m.add(new Mistake("backoff: negative attempts", prefix + ".maxAttempts", c -> {
        ensure.accept(c);
        b.apply(c).put("maxAttempts", -1);
      }));
      m.add(new Mistake("backoff: wrong type", prefix + ".maxInterval", c -> {
        ensure.accept(c);
        b.apply(c).put("maxInterval", new JsonObject());
      }));
      m.add(new Mistake("backoff: initial above max", prefix + ".initialInterval", c -> {
        ensure.accept(c);
        b.apply(c).put("initialInterval", "2h").put("maxInterval", "1h");
      }));
    }
    // The declaration.
    m.add(new Mistake("task: not an object", at, c -> c.getJsonArray("tasks").set(i, "poller")));
    m.add(new Mistake("task: unknown key", at + ".klass", c -> task(c, i).put("klass", "x")));
    m.add(new Mistake("task: no name", at + ".name", c -> task(c, i).remove("name")));
    m.add(new Mistake("task: blank name", at + ".name", c -> task(c, i).put("name", "")));
    m.add(new Mistake("task: long name", at + ".name", c -> task(c, i).put("name", "n".repeat(513))));
    m.add(new Mistake("task: wrong type", at + ".name", c -> task(c, i).put("name", 7)));
    m.add(new Mistake("task: no class", at + ".class", c -> task(c, i).remove("class")));
    m.add(new Mistake("task: unknown class", at + ".class", c -> task(c, i).put("class", "com.acme.Nope")));
    m.add(new Mistake("task: not a task", at + ".class", c -> task(c, i).put("class",
        TestTasks.NotATask.class.getName())));
    m.add(new Mistake("task: abstract class", at + ".class", c -> task(c, i).put("class",
        TestTasks.Abstract.class.getName())));
    m.add(new Mistake("task: no no-arg constructor", at + ".class", c -> task(c, i).put("class",
        TestTasks.NeedsArgument.class.getName())));
    m.add(new Mistake("task: constructor throws", at + ".class", c -> task(c, i)
        .put("class", TestTasks.ThrowsInConstructor.class.getName()).put("autoStart", true)
        .put("mode", "run").remove("options")));
    m.add(new Mistake("task: bad mode", at + ".mode", c -> task(c, i).put("mode", "twice")));
    m.add(new Mistake("task: wrong type", at + ".autoStart", c -> task(c, i).put("autoStart", "yes")));
    m.add(new Mistake("task: wrong type", at + ".config", c -> task(c, i).put("config", "url=x")));
    m.add(new Mistake("task: wrong type", at + ".options", c -> task(c, i).put("options", List.of())));
    m.add(new Mistake("task: name of a live task", at + ".name", c -> task(c, i).put("name", LIVE)
        .put("autoStart", true)));
    if (config.getJsonArray("tasks").size() > 1) {
      int j = i == 0 ? 1 : 0;
      m.add(new Mistake("task: duplicate name", "tasks[" + Math.max(i, j) + "].name", c ->
          task(c, Math.max(i, j)).put("name", task(c, Math.min(i, j)).getString("name"))));
    }
    if (!run) {
      m.add(new Mistake("once: backoff", at + ".backoff", c -> task(c, i).put("backoff", new JsonObject())));
      m.add(new Mistake("once: run-only option", at + ".options.restartOnFailureOnly", c ->
          options(c, i).put("restartOnFailureOnly", true)));
      m.add(new Mistake("once: run-only option", at + ".options.resetAfter", c -> options(c, i).put("resetAfter", "1m")));
      m.add(new Mistake("once: run-only option", at + ".options.maxRestarts", c -> options(c, i)
          .put("maxRestarts", new JsonObject().put("count", 1).put("window", "1m"))));
    }
    if (!blocking) {
      m.add(new Mistake("async: blocking-only option", at + ".options.interruptOnCancel", c ->
          options(c, i).put("interruptOnCancel", true)));
    }
    // Options.
    m.add(new Mistake("options: unknown key", at + ".options.retries", c -> options(c, i).put("retries", 3)));
    for (String key : List.of("startDelay", "runTimeout", "resetAfter")) {
      m.add(new Mistake("options: bad duration", at + ".options." + key, c -> options(c, i).put(key, "soon")));
      m.add(new Mistake("options: negative duration", at + ".options." + key, c -> options(c, i).put(key, -10)));
    }
    m.add(new Mistake("options: zero timeout", at + ".options.runTimeout", c -> options(c, i).put("runTimeout", 0)));
    m.add(new Mistake("options: wrong type", at + ".options.interruptOnCancel", c -> options(c, i)
        .put("interruptOnCancel", "true")));
    m.add(new Mistake("options: wrong type", at + ".options.tags", c -> options(c, i).put("tags", "team=ops")));
    m.add(new Mistake("options: reserved tag", at + ".options.tags.task", c -> options(c, i)
        .put("tags", new JsonObject().put("task", "x"))));
    m.add(new Mistake("options: maxRestarts without count", at + ".options.maxRestarts.count", c ->
        options(c, i).put("maxRestarts", new JsonObject().put("window", "1m"))));
    m.add(new Mistake("options: negative count", at + ".options.maxRestarts.count", c -> options(c, i)
        .put("maxRestarts", new JsonObject().put("count", -1).put("window", "1m"))));
    m.add(new Mistake("options: maxRestarts unknown key", at + ".options.maxRestarts.per", c -> options(c, i)
        .put("maxRestarts", new JsonObject().put("count", 1).put("window", "1m").put("per", "x"))));
    // HTTP.
    Consumer<JsonObject> http = c -> {
      if (!c.containsKey("http")) {
        c.put("http", new JsonObject().put("enabled", true).put("port", 0));
      }
    };
    m.add(new Mistake("http: port out of range", "http.port", http.andThen(c -> c.getJsonObject("http").put("port", 70_000))));
    m.add(new Mistake("http: wrong type", "http.port", http.andThen(c -> c.getJsonObject("http").put("port", "80"))));
    m.add(new Mistake("http: unknown key", "http.prot", http.andThen(c -> c.getJsonObject("http").put("prot", 80))));
    m.add(new Mistake("http: bad root", "http.root", http.andThen(c -> c.getJsonObject("http").put("root", "ops/"))));
    m.add(new Mistake("http: bad token", "http.controlToken", http.andThen(c -> c.getJsonObject("http")
        .put("controlToken", "with space"))));
    m.add(new Mistake("http: exposed without token", "http.host", http.andThen(c -> c.getJsonObject("http")
        .put("enabled", true).put("host", "0.0.0.0").remove("controlToken"))));
    m.add(new Mistake("http: wrong type", "http.enabled", http.andThen(c -> c.getJsonObject("http").put("enabled", 1))));
    return m;
  }

  @Property(tries = 50)
  void theValidConfigurationsThatTheMistakesStartFromDeploy(@ForAll("valid") JsonObject config) {
    String id = vertx.deployVerticle(new TasksVerticle(Tasks.create(vertx)),
        new DeploymentOptions().setConfig(config)).await();
    vertx.undeploy(id).await();
  }

  @Provide
  Arbitrary<JsonObject> valid() {
    return validConfigs();
  }
}
