package dev.background.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a Prometheus text scrape: its samples, and its {@code # HELP} and {@code # TYPE} lines. */
final class PrometheusScrape {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample: its metric name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  final String text;
  final List<Sample> samples = new ArrayList<>();
  /** Family name to help text. */
  final Map<String, String> help = new LinkedHashMap<>();
  /** Family name to type. */
  final Map<String, String> types = new LinkedHashMap<>();

  PrometheusScrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        String[] parts = line.substring(7).split(" ", 2);
        help.put(parts[0], parts.length > 1 ? parts[1] : "");
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ", 2);
        types.put(parts[0], parts[1]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("not a sample line: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null) {
          Matcher l = LABEL.matcher(m.group(2));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
      }
    }
  }

  static PrometheusScrape of(PrometheusMeterRegistry registry) {
    return new PrometheusScrape(registry.scrape());
  }

  /** The samples of {@code name} whose labels include every {@code key=value} of {@code labels}. */
  List<Sample> find(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (String kv : labels) {
        String[] p = kv.split("=", 2);
        if (!p[1].equals(s.labels().get(p[0]))) {
          all = false;
        }
      }
      if (all) {
        found.add(s);
      }
    }
    return found;
  }

  /** The value of the one sample of {@code name} with {@code labels}; fails unless exactly one. */
  double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError("expected one sample of " + name + " " + String.join(",", labels)
          + ", found " + found + " in:\n" + text);
    }
    return found.get(0).value();
  }
}
