package dev.background.bench;

import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on. */
final class Machine {

  private Machine() {
  }

  static JsonObject describe(String jdk25) {
    JsonObject m = new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("cpu", cpuModel())
        .put("memTotal", memTotal())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"))
        .put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
            + System.getProperty("java.vendor") + ")")
        .put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments().toString())
        .put("jdk25", jdk25Version(jdk25))
        .put("loadavgAtStart", loadavg())
        .put("gitCommit", System.getenv().getOrDefault("BENCH_GIT_COMMIT", "unknown"));
    return m;
  }

  static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "unknown";
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "unknown";
  }

  private static String jdk25Version(String home) {
    try {
      List<String> lines = Files.readAllLines(Path.of(home, "release"));
      for (String l : lines) {
        if (l.startsWith("JAVA_RUNTIME_VERSION=") || l.startsWith("JAVA_VERSION=")) {
          return home + " " + l.substring(l.indexOf('=') + 1).replace("\"", "");
        }
      }
    } catch (Exception e) {
      // absent
    }
    return home + " (absent)";
  }
}
