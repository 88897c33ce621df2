package dev.background.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs every scenario of issue 6 and writes {@code results.json} and {@code results.md}.
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar [--quick] [--only=s1,s3,...] [--out=target/bench]
 *        [--jfr] [--jdk25=/usr/lib/jvm/temurin-25-jdk-amd64] [--schedule-seconds=6]
 *   java -jar bench/target/benchmarks.jar --report-only [--out=target/bench]
 * </pre>
 *
 * Scenarios 1 and 2 run in JMH (a fork per side and repetition; in --quick, in this JVM), the
 * others in a child JVM each (this JVM's java, or the JDK 25 for virtual threads).
 */
public final class BenchMain {

  static final List<String> ALL = List.of("s1", "s2", "s3", "s4", "s5p", "s5v", "s6c", "s6s", "s7",
      "s8", "s9");
  static final int REPS = 5;

  private final boolean quick;
  private final Path out;
  private final boolean jfr;
  private final String jdk25;
  /** How long scenario 9 runs its schedules, in seconds; null for its default. */
  private final Integer scheduleSeconds;

  private BenchMain(boolean quick, Path out, boolean jfr, String jdk25, Integer scheduleSeconds) {
    this.quick = quick;
    this.out = out;
    this.jfr = jfr;
    this.jdk25 = jdk25;
    this.scheduleSeconds = scheduleSeconds;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean jfr = false;
    Path out = Path.of("target", "bench");
    String jdk25 = System.getenv().getOrDefault("BENCH_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64");
    Set<String> only = new LinkedHashSet<>(ALL);
    Integer scheduleSeconds = null;
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
      } else if (a.equals("--jfr")) {
        jfr = true;
      } else if (a.startsWith("--out=")) {
        out = Path.of(a.substring(6));
      } else if (a.startsWith("--jdk25=")) {
        jdk25 = a.substring(8);
      } else if (a.equals("--report-only")) {
        only = null;
      } else if (a.startsWith("--schedule-seconds=")) {
        scheduleSeconds = Integer.parseInt(a.substring(19));
        if (scheduleSeconds < 2) {
          System.err.println("--schedule-seconds: must be >= 2, was " + scheduleSeconds);
          System.exit(2);
        }
      } else if (a.startsWith("--only=")) {
        only = new LinkedHashSet<>(Arrays.asList(a.substring(7).split(",")));
      } else {
        System.err.println("usage: [--quick] [--only=" + String.join(",", ALL)
            + "] [--out=DIR] [--jfr] [--jdk25=PATH] [--schedule-seconds=N] | --report-only [--out=DIR]");
        System.exit(2);
      }
    }
    Files.createDirectories(out);
    if (only == null) {
      // Rewrites results.md from an existing results.json.
      String md = Report.markdown(new JsonObject(Files.readString(out.resolve("results.json"))));
      Files.writeString(out.resolve("results.md"), md);
      System.out.println(md);
      System.exit(0);
    }
    new BenchMain(quick, out, jfr, jdk25, scheduleSeconds).runAll(only);
    System.exit(0);
  }

  private void runAll(Set<String> only) throws Exception {
    long t0 = System.nanoTime();
    JsonObject doc = new JsonObject()
        .put("suite", "vertx-background benchmarks (issues 6, 12 and 15)")
        .put("mode", quick ? "quick" : "full")
        .put("startedAt", Instant.now().toString())
        .put("machine", Machine.describe(jdk25))
        .put("reps", REPS);
    JsonArray scenarios = new JsonArray();
    for (String id : ALL) {
      if (!only.contains(id)) {
        continue;
      }
      String load0 = Machine.loadavg();
      long s0 = System.nanoTime();
      System.out.printf("== %s ...%n", id);
      JsonObject r;
      try {
        r = scenario(id);
      } catch (Exception e) {
        e.printStackTrace();
        r = new JsonObject().put("id", id).put("error", e.toString());
      }
      r.put("elapsedSeconds", Stat.round((System.nanoTime() - s0) / 1e9))
          .put("loadavgBefore", load0).put("loadavgAfter", Machine.loadavg());
      scenarios.add(r);
      System.out.printf("   %s done in %.1f s%n", id, (System.nanoTime() - s0) / 1e9);
    }
    doc.put("scenarios", scenarios).put("elapsedSeconds", Stat.round((System.nanoTime() - t0) / 1e9));
    Files.writeString(out.resolve("results.json"), doc.encodePrettily());
    String md = Report.markdown(doc);
    Files.writeString(out.resolve("results.md"), md);
    System.out.println();
    System.out.println(md);
    System.out.println("wrote " + out.resolve("results.json") + " and " + out.resolve("results.md"));
  }

  private JsonObject scenario(String id) throws Exception {
    switch (id) {
      case "s1":
        return dispatch("s1-once-blocking", "once (blocking) vs Failsafe runAsync on a cached pool; "
            + "limit: vertx.executeBlocking", "onceOurs", "onceRaw", "executeBlocking", "oncePool",
            "onceFailsafe");
      case "s2":
        return dispatch("s2-once-async", "onceAsync vs Failsafe runAsync on the event loop; "
            + "limit: context.runOnContext + completed future", "asyncOurs", "asyncRaw",
            "runOnContext", null, "asyncFailsafe");
      case "s5v":
        return child(id, jdk25 + "/bin/java");
      default:
        return child(id, javaBin());
    }
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  private List<String> jvmArgs(String id) {
    List<String> a = new ArrayList<>(List.of("-Xms256m", "-Xmx3g"));
    if (scheduleSeconds != null) {
      a.add("-Dbench.scheduleSeconds=" + scheduleSeconds);
    }
    if (jfr) {
      a.add("-XX:StartFlightRecording=filename=" + out.resolve("jfr").toAbsolutePath() + "/" + id
          + ".jfr,settings=profile");
    }
    return a;
  }

  private JsonObject child(String id, String java) throws Exception {
    if (!new File(java).canExecute()) {
      return new JsonObject().put("id", id).put("error", "no JVM at " + java);
    }
    if (jfr) {
      Files.createDirectories(out.resolve("jfr"));
    }
    Path result = out.resolve(id + ".json");
    Files.deleteIfExists(result);
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmArgs(id));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), id,
        quick ? "quick" : "full", result.toString()));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    int rc = p.waitFor();
    if (rc != 0 || !Files.exists(result)) {
      return new JsonObject().put("id", id).put("error", "child exited with " + rc);
    }
    return new JsonObject(Files.readString(result));
  }

  /**
   * One JMH run per side and repetition, the sides alternating; throughput = n / time per batch.
   * The target is Failsafe (issue 15: ours with default options >= 1.0x); the raw Vert.x call is
   * the limit, reported without a target.
   */
  private JsonObject dispatch(String id, String title, String ours, String raw, String rawLabel,
      String pool, String failsafe) throws Exception {
    int n = quick ? 10_000 : 200_000;
    Result r = new Result(id, title + ", " + n + " trivial tasks per batch");
    r.params.put("tasks", n).put("reps", REPS).put("harness", quick ? "JMH, in-process (forks=0)"
        : "JMH, 1 fork per side and rep").put("raw", rawLabel);
    List<String> sides = pool == null ? List.of("ours", "ours-exactName", "failsafe", "raw")
        : List.of("ours", "ours-exactName", "failsafe", "raw", "cachedPool");
    Path log = out.resolve(id + "-jmh.log");
    Files.deleteIfExists(log);
    for (int rep = 0; rep < REPS; rep++) {
      for (String side : Util.order(sides, rep)) {
        String method = side.startsWith("ours") ? ours : side.equals("raw") ? raw
            : side.equals("failsafe") ? failsafe : pool;
        double msPerBatch = jmh(method, n, side.equals("ours-exactName"), log, id);
        r.sample(side, "throughput", "ops/s", n / (msPerBatch / 1000.0));
        r.sample(side, "batchTime", "ms", msPerBatch);
        System.out.printf("   rep %d %-14s %10.0f ops/s%n", rep, side, n / (msPerBatch / 1000.0));
      }
    }
    r.ratioOf("ours/failsafe", "throughput ours (default full name) / Failsafe runAsync with "
        + "RetryPolicy.ofDefaults() on the same executor (higher is better)",
        r.stat("ours", "throughput", ""), r.stat("failsafe", "throughput", ""));
    r.ratioOf("ours-exactName/failsafe", "throughput ours with RunOption.exactName() / Failsafe",
        r.stat("ours-exactName", "throughput", ""), r.stat("failsafe", "throughput", ""));
    r.ratioOf("ours/raw", "throughput ours (default full name) / raw Vert.x, the limit",
        r.stat("ours", "throughput", ""), r.stat("raw", "throughput", ""));
    r.ratioOf("failsafe/raw", "throughput Failsafe / raw Vert.x, the limit",
        r.stat("failsafe", "throughput", ""), r.stat("raw", "throughput", ""));
    double ratio = r.ratios.get("ours/failsafe").median();
    r.target("ratio vs Failsafe", "ours/failsafe >= 1.0", ratio, ratio >= 1.0);
    r.row("throughput vs Failsafe (default options)", "ours", "failsafe", "throughput",
        "ours/failsafe", "ratio vs Failsafe");
    r.row("throughput, exactName, vs Failsafe", "ours-exactName", "failsafe", "throughput",
        "ours-exactName/failsafe", null);
    r.row("throughput vs the limit (" + rawLabel + ")", "ours", "raw", "throughput", "ours/raw", null);
    r.row("Failsafe vs the limit", "failsafe", "raw", "throughput", "failsafe/raw", null);
    if (pool != null) {
      r.ratioOf("ours/cachedPool", "throughput ours / a plain cached thread pool "
          + "(same one-thread-per-running-task guarantee, no supervision)",
          r.stat("ours", "throughput", ""), r.stat("cachedPool", "throughput", ""));
      r.ratioOf("cachedPool/raw", "throughput cached thread pool / executeBlocking",
          r.stat("cachedPool", "throughput", ""), r.stat("raw", "throughput", ""));
      r.row("throughput vs a bare cached pool", "ours", "cachedPool", "throughput",
          "ours/cachedPool", null);
      r.row("throughput, cached pool vs raw", "cachedPool", "raw", "throughput", "cachedPool/raw", null);
    }
    return r.toJson();
  }

  private double jmh(String method, int n, boolean exactName, Path log, String id) throws Exception {
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include(DispatchBench.class.getName() + "\\." + method + "$")
        .param("n", String.valueOf(n))
        .param("exactName", String.valueOf(exactName))
        .shouldFailOnError(true)
        .verbosity(VerboseMode.NORMAL)
        .output(log.toString() + ".part");
    if (quick) {
      b.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
          .measurementIterations(1).measurementTime(TimeValue.milliseconds(250));
    } else {
      b.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1))
          .measurementIterations(2).measurementTime(TimeValue.seconds(1))
          .jvmArgs(jvmArgs(id + "-" + method).toArray(new String[0]));
    }
    RunResult result = new Runner(b.build()).runSingle();
    Path part = Path.of(log + ".part");
    Files.writeString(log, Files.readString(part), java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Files.delete(part);
    return result.getPrimaryResult().getScore();
  }
}
