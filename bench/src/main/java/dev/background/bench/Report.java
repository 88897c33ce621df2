package dev.background.bench;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** The markdown table of a results document. */
final class Report {

  private Report() {
  }

  static String markdown(JsonObject doc) {
    StringBuilder sb = new StringBuilder();
    JsonObject m = doc.getJsonObject("machine");
    sb.append("Mode: ").append(doc.getString("mode")).append(", ").append(doc.getInteger("reps"))
        .append(" interleaved repetitions per figure, cells are median [min - max]. Started ")
        .append(doc.getString("startedAt")).append(", ").append(doc.getValue("elapsedSeconds"))
        .append(" s in all.\n\n");
    sb.append("Machine: ").append(m.getInteger("cores")).append(" cores (").append(m.getString("cpu"))
        .append("), ").append(m.getString("memTotal")).append(", ").append(m.getString("os"))
        .append("; ").append(m.getString("jvm")).append("; virtual threads on ")
        .append(m.getString("jdk25")).append("; load average at start ")
        .append(m.getString("loadavgAtStart")).append("; commit ").append(m.getString("gitCommit"))
        .append(".\n\n");
    sb.append("| # | Scenario | Figure | Ours | Baseline | Ratio | Target | Holds |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (Object o : doc.getJsonArray("scenarios")) {
      JsonObject s = (JsonObject) o;
      String id = s.getString("id");
      if (s.containsKey("error")) {
        sb.append("| ").append(id).append(" | | error: ").append(s.getString("error"))
            .append(" | | | | | |\n");
        continue;
      }
      JsonObject notes = s.getJsonObject("notes", new JsonObject());
      if (notes.containsKey("skipped") || notes.containsKey("notRun")) {
        sb.append("| ").append(num(id)).append(" | ").append(s.getString("title"))
            .append(notes.containsKey("notRun") ? " | not run: " + notes.getString("notRun")
                : " | skipped: " + notes.getString("skipped")).append(" | | | | | |\n");
        continue;
      }
      JsonObject sides = s.getJsonObject("sides");
      JsonObject ratios = s.getJsonObject("ratios");
      JsonObject targets = s.getJsonObject("targets");
      boolean first = true;
      for (Object ro : s.getJsonArray("rows")) {
        JsonObject row = (JsonObject) ro;
        String fig = row.getString("figure");
        sb.append("| ").append(first ? num(id) : "").append(" | ")
            .append(first ? s.getString("title") : "").append(" | ").append(row.getString("label"))
            .append(" | ").append(cell(sides, row.getString("a"), fig))
            .append(" | ").append(cell(sides, row.getString("b"), fig))
            .append(" | ").append(ratioCell(ratios, row.getString("ratio")))
            .append(" | ").append(targetText(targets, row.getString("target")))
            .append(" | ").append(holds(targets, row.getString("target"))).append(" |\n");
        first = false;
      }
    }
    sb.append("\nTargets:\n\n");
    for (Object o : doc.getJsonArray("scenarios")) {
      JsonObject s = (JsonObject) o;
      JsonObject targets = s.getJsonObject("targets", new JsonObject());
      for (String name : targets.fieldNames()) {
        JsonObject t = targets.getJsonObject(name);
        if (t.getString("target").startsWith("reported only")) {
          continue;
        }
        sb.append("- ").append(s.getString("id")).append(" ").append(name).append(": ")
            .append(t.getString("target")).append(", measured ").append(fmt2(t.getDouble("measured")))
            .append(t.getBoolean("holds") ? " - holds" : " - **does not hold**").append("\n");
      }
    }
    sb.append("\nLoad average (1, 5, 15 min) before and after each scenario, as other work shares the machine:\n\n");
    for (Object o : doc.getJsonArray("scenarios")) {
      JsonObject s = (JsonObject) o;
      sb.append("- ").append(s.getString("id")).append(": ").append(load(s.getString("loadavgBefore")))
          .append(" -> ").append(load(s.getString("loadavgAfter"))).append(" (")
          .append(s.getValue("elapsedSeconds")).append(" s)\n");
    }
    return sb.toString();
  }

  private static String load(String loadavg) {
    if (loadavg == null) {
      return "?";
    }
    String[] p = loadavg.split(" ");
    return p.length >= 3 ? p[0] + " " + p[1] + " " + p[2] : loadavg;
  }

  private static String num(String id) {
    return id.substring(1, 2);
  }

  private static String cell(JsonObject sides, String side, String fig) {
    if (side == null || !sides.containsKey(side)) {
      return "";
    }
    JsonObject f = sides.getJsonObject(side).getJsonObject(fig);
    if (f == null) {
      return "";
    }
    String unit = f.getString("unit");
    return fmt(f.getDouble("median"), unit) + " [" + fmt(f.getDouble("min"), unit) + " - "
        + fmt(f.getDouble("max"), unit) + "]" + (side.equals("ours") || side.equals("raw") ? "" : " (" + side + ")");
  }

  private static String ratioCell(JsonObject ratios, String name) {
    if (name == null || !ratios.containsKey(name)) {
      return "";
    }
    JsonObject r = ratios.getJsonObject(name);
    boolean diff = r.getString("meaning", "").startsWith("difference");
    String u = diff ? " ms" : "";
    String sign = diff ? "+" : "";
    return (diff && r.getDouble("median") >= 0 ? sign : "") + fmt2(r.getDouble("median")) + u + " ["
        + fmt2(r.getDouble("min")) + " - " + fmt2(r.getDouble("max")) + "]" + (diff ? "" : "x");
  }

  private static String targetText(JsonObject targets, String name) {
    if (name == null || !targets.containsKey(name)) {
      return "";
    }
    return targets.getJsonObject(name).getString("target");
  }

  private static String holds(JsonObject targets, String name) {
    if (name == null || !targets.containsKey(name)) {
      return "";
    }
    return targets.getJsonObject(name).getBoolean("holds") ? "yes" : "**no**";
  }

  static String fmt(double v, String unit) {
    switch (unit) {
      case "ops/s":
      case "1/s":
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2f M/s", v / 1e6)
            : v >= 1e3 ? String.format(Locale.ROOT, "%.1f k/s", v / 1e3)
            : String.format(Locale.ROOT, "%.0f /s", v);
      case "ms":
        return v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v)
            : String.format(Locale.ROOT, "%.2f ms", v);
      case "B":
        return v >= 10 * 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MiB", v / 1024 / 1024)
            : v >= 10 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", v / 1024)
            : String.format(Locale.ROOT, "%.0f B", v);
      default:
        return fmt2(v) + " " + unit;
    }
  }

  static String fmt2(double v) {
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }
}
