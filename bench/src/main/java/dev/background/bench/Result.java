package dev.background.bench;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one scenario: per side ("ours", "raw", ...) a set of figures, each a {@link Stat}
 * over the repetitions; ratios computed rep by rep from interleaved samples; targets.
 */
final class Result {

  final String id;
  final String title;
  final JsonObject params = new JsonObject();
  final Map<String, Map<String, Stat>> sides = new LinkedHashMap<>();
  final Map<String, Stat> ratios = new LinkedHashMap<>();
  final Map<String, String> ratioMeaning = new LinkedHashMap<>();
  final JsonObject targets = new JsonObject();
  final JsonObject notes = new JsonObject();
  final io.vertx.core.json.JsonArray rows = new io.vertx.core.json.JsonArray();

  Result(String id, String title) {
    this.id = id;
    this.title = title;
  }

  Stat stat(String side, String figure, String unit) {
    return sides.computeIfAbsent(side, k -> new LinkedHashMap<>())
        .computeIfAbsent(figure, k -> new Stat(unit));
  }

  void sample(String side, String figure, String unit, double value) {
    stat(side, figure, unit).add(value);
  }

  Stat ratio(String name, String meaning) {
    ratioMeaning.put(name, meaning);
    return ratios.computeIfAbsent(name, k -> new Stat("x"));
  }

  /** Per-rep ratio a[i] / b[i] of two figures sampled in the same repetitions. */
  void ratioOf(String name, String meaning, Stat a, Stat b) {
    Stat r = ratio(name, meaning);
    r.samples.clear();
    for (int i = 0; i < Math.min(a.samples.size(), b.samples.size()); i++) {
      r.add(a.samples.get(i) / b.samples.get(i));
    }
  }

  void target(String name, String text, double measured, boolean holds) {
    targets.put(name, new JsonObject().put("target", text).put("measured", Stat.round(measured))
        .put("holds", holds));
  }

  /**
   * A line of the markdown table: figure {@code fig} of side {@code a} against the same figure of
   * side {@code b} (either may be null), the ratio and the target it is judged by (either null).
   */
  void row(String label, String a, String b, String fig, String ratio, String target) {
    rows.add(new JsonObject().put("label", label).put("a", a).put("b", b).put("figure", fig)
        .put("ratio", ratio).put("target", target));
  }

  JsonObject toJson() {
    JsonObject s = new JsonObject();
    sides.forEach((side, figs) -> {
      JsonObject f = new JsonObject();
      figs.forEach((k, v) -> f.put(k, v.toJson()));
      s.put(side, f);
    });
    JsonObject r = new JsonObject();
    ratios.forEach((k, v) -> r.put(k, v.toJson().put("meaning", ratioMeaning.get(k))));
    return new JsonObject().put("id", id).put("title", title).put("params", params)
        .put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version())
        .put("sides", s).put("ratios", r).put("targets", targets).put("notes", notes).put("rows", rows);
  }
}
