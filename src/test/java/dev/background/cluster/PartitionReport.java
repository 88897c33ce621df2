package dev.background.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads what {@code src/test/partition/run} recorded for each lock mode (the nodes' run log and the
 * scenario marks) and reports, for each scenario: how long until a new holder ran on the majority
 * side, whether and how long runs of two nodes overlapped, the fencing tokens, fencing, and the
 * state after healing. Prints the report and writes {@code summary.json} (what
 * {@code NetworkPartitionTest} checks). Arguments: the work directory, then the modes.
 */
public final class PartitionReport {

  /** One run: [start, end) on a node, with its token and attempt. */
  record Run(String node, long token, int attempt, long start, long end) {
  }

  /** One line of the run log. */
  record Line(String type, long token, String node, long at, int attempt) {
  }

  private PartitionReport() {
  }

  public static void main(String[] args) throws IOException {
    Path work = Paths.get(args[0]);
    JsonObject summary = new JsonObject();
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < args.length; i++) {
      String mode = args[i];
      Path dir = work.resolve(mode);
      JsonArray scenarios = analyse(mode, dir, out);
      summary.put(mode, scenarios);
    }
    Files.writeString(work.resolve("summary.json"), summary.encodePrettily(), StandardCharsets.UTF_8);
    Files.writeString(work.resolve("report.txt"), out.toString(), StandardCharsets.UTF_8);
    System.out.print(out);
  }

  static JsonArray analyse(String mode, Path dir, StringBuilder out) throws IOException {
    List<String[]> marks = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("scenario.log"))) {
      if (!l.isBlank()) {
        marks.add(l.trim().split(" "));
      }
    }
    long stopped = marks.stream().filter(m -> m[0].equals("stopped")).mapToLong(m -> Long.parseLong(m[m.length - 1]))
        .findFirst().orElse(System.currentTimeMillis());
    List<Line> lines = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("runs.log"))) {
      String[] f = l.trim().split(" ");
      if (f.length == 5) {
        lines.add(new Line(f[0], Long.parseLong(f[1]), f[2], Long.parseLong(f[3]), Integer.parseInt(f[4])));
      }
    }
    List<Run> runs = runs(lines, stopped);
    JsonArray scenarios = new JsonArray();
    out.append(String.format("%n=== locks: %s (%d runs recorded) ===%n", mode, runs.size()));
    for (int i = 0; i < marks.size(); i++) {
      String[] m = marks.get(i);
      if (!m[0].startsWith("cut-")) {
        continue;
      }
      String victim = m[1];
      long cut = Long.parseLong(m[2]);
      long heal = Long.parseLong(marks.get(i + 1)[2]);
      long settled = Long.parseLong(marks.get(i + 2)[1]);
      scenarios.add(scenario(m[0], victim, cut, heal, settled, runs, lines, out));
    }
    return scenarios;
  }

  /** Pairs each start with the next end of its node; a run without an end ends at {@code stopped}. */
  static List<Run> runs(List<Line> lines, long stopped) {
    Map<String, Line> open = new LinkedHashMap<>();
    List<Run> runs = new ArrayList<>();
    for (Line l : lines) {
      if (l.type().equals("start")) {
        Line previous = open.put(l.node(), l);
        if (previous != null) {
          runs.add(new Run(previous.node(), previous.token(), previous.attempt(), previous.at(), l.at()));
        }
      } else if (l.type().equals("end")) {
        Line start = open.remove(l.node());
        if (start != null) {
          runs.add(new Run(start.node(), start.token(), start.attempt(), start.at(), l.at()));
        }
      }
    }
    open.values().forEach(s -> runs.add(new Run(s.node(), s.token(), s.attempt(), s.at(), stopped)));
    runs.sort(Comparator.comparingLong(Run::start));
    return runs;
  }

  static JsonObject scenario(String kind, String victim, long cut, long heal, long settled,
      List<Run> runs, List<Line> lines, StringBuilder out) {
    Run before = runs.stream().filter(r -> r.start() <= cut).reduce((a, b) -> b).orElse(null);
    String holderBefore = before == null ? null : before.node();
    List<Run> window = runs.stream().filter(r -> r.end() > cut && r.start() < settled).toList();

    // A new holder on the majority side: the first run after the cut on a node other than the one
    // cut off that is not the holder before it.
    Run firstNew = window.stream().filter(r -> r.start() >= cut && !r.node().equals(victim)
        && !r.node().equals(holderBefore)).findFirst().orElse(null);
    // Runs on the node cut off, started while it was cut off.
    List<Run> isolated = window.stream().filter(r -> r.node().equals(victim) && r.start() >= cut
        && r.start() < heal).toList();
    long overlap = overlapMillis(window, cut, settled);
    Set<String> tokens = new LinkedHashSet<>();
    Map<Long, Set<String>> nodesByToken = new TreeMap<>();
    for (Run r : window) {
      tokens.add(r.token() + "@" + r.node());
      nodesByToken.computeIfAbsent(r.token(), t -> new LinkedHashSet<>()).add(r.node());
    }
    boolean duplicateTokens = nodesByToken.values().stream().anyMatch(s -> s.size() > 1);
    List<String> fenced = new ArrayList<>();
    for (Line l : lines) {
      if (l.type().equals("fenced") && l.at() >= cut && l.at() < settled) {
        fenced.add(l.node() + " +" + (l.at() - cut) + " ms");
      }
    }
    // After healing: the last holder, and since when it has been the only one.
    Run last = window.stream().filter(r -> r.start() < settled).reduce((a, b) -> b).orElse(null);
    String finalHolder = last == null ? null : last.node();
    long othersUntil = window.stream().filter(r -> !r.node().equals(finalHolder))
        .mapToLong(r -> Math.min(r.end(), settled)).max().orElse(cut);
    long singleFrom = Math.max(othersUntil, heal);
    boolean single = finalHolder != null && othersUntil < settled - 1_000;
    Run holderFirstAfterHeal = window.stream().filter(r -> r.node().equals(finalHolder) && r.start() >= cut)
        .findFirst().orElse(null);
    int attemptBefore = before == null ? 0 : before.attempt();

    JsonObject s = new JsonObject()
        .put("scenario", kind).put("victim", victim).put("holderBefore", holderBefore)
        .put("tokenBefore", before == null ? null : before.token())
        .put("attemptBefore", attemptBefore)
        .put("newHolderMillis", firstNew == null ? null : firstNew.start() - cut)
        .put("newHolder", firstNew == null ? null : firstNew.node())
        .put("newHolderToken", firstNew == null ? null : firstNew.token())
        .put("newHolderAttempt", firstNew == null ? null : firstNew.attempt())
        .put("isolatedRuns", isolated.size())
        .put("overlapMillis", overlap)
        .put("tokens", new JsonArray(new ArrayList<>(tokens)))
        .put("duplicateTokens", duplicateTokens)
        .put("fenced", new JsonArray(fenced))
        .put("finalHolder", finalHolder)
        .put("singleHolderAfterHeal", single)
        .put("singleHolderMillisAfterHeal", single ? singleFrom - heal : null)
        .put("finalHolderAttempt", last == null ? null : last.attempt())
        .put("finalHolderFirstAttempt", holderFirstAfterHeal == null ? null : holderFirstAfterHeal.attempt());

    out.append(String.format("%n-- %s: %s cut off %d s (holder before: %s, token %s, attempt %d)%n",
        kind.equals("cut-holder") ? "cut the holder" : "cut a standby", victim, (heal - cut) / 1000,
        holderBefore, s.getValue("tokenBefore"), attemptBefore));
    out.append(String.format("   new holder on the majority side: %s%n", firstNew == null ? "none"
        : firstNew.node() + " after " + (firstNew.start() - cut) + " ms (token " + firstNew.token()
            + ", attempt " + firstNew.attempt() + ")"));
    out.append(String.format("   runs started on the cut-off node while cut off: %d%n", isolated.size()));
    out.append(String.format("   overlap of two nodes' runs: %s%n", overlap == 0 ? "none"
        : "yes, " + overlap + " ms in all"));
    out.append(String.format("   tokens: %s%s%n", tokens, duplicateTokens ? " (a token on two nodes)" : ""));
    out.append(String.format("   fenced: %s%n", fenced.isEmpty() ? "-" : fenced));
    out.append(String.format("   after healing: %s%n", single
        ? "one holder, " + finalHolder + ", from heal + " + (singleFrom - heal) + " ms (attempt "
            + s.getValue("finalHolderAttempt") + ")"
        : "not settled: " + finalHolder + " and others still running " + (settled - othersUntil) + " ms before the end"));
    return s;
  }

  /** How long, between {@code from} and {@code to}, runs of two or more nodes were in progress. */
  static long overlapMillis(List<Run> runs, long from, long to) {
    TreeMap<Long, Integer> edges = new TreeMap<>();
    for (Run r : runs) {
      long s = Math.max(r.start(), from);
      long e = Math.min(r.end(), to);
      if (e > s) {
        edges.merge(s, 1, Integer::sum);
        edges.merge(e, -1, Integer::sum);
      }
    }
    long total = 0;
    int active = 0;
    long since = 0;
    for (Map.Entry<Long, Integer> e : edges.entrySet()) {
      if (active >= 2) {
        total += e.getKey() - since;
      }
      active += e.getValue();
      since = e.getKey();
    }
    return total;
  }
}
