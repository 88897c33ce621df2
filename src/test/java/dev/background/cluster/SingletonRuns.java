package dev.background.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runs of a singleton as its node JVMs log them ({@link ClusterNode}: one line
 * {@code start|end <token> <node> <epoch millis>} per event, all nodes in one file), for the
 * multi-process tests.
 */
final class SingletonRuns {

  private SingletonRuns() {
  }

  /**
   * Every run as {token, start, end}, by start. A run without an end ended when its node was
   * killed ({@code killedAt}, by node id), or has not ended: its end is then {@code openEnd}.
   */
  static List<long[]> read(Path log, Map<String, Long> killedAt, long openEnd) throws IOException {
    Map<Long, long[]> byToken = new LinkedHashMap<>();
    Map<Long, String> nodeOf = new LinkedHashMap<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      long token = Long.parseLong(f[1]);
      long[] run = byToken.computeIfAbsent(token, t -> new long[] {t, -1, -1});
      nodeOf.put(token, f[2]);
      run[f[0].equals("start") ? 1 : 2] = Long.parseLong(f[3]);
    }
    List<long[]> runs = new ArrayList<>(byToken.values());
    for (long[] run : runs) {
      if (run[2] < 0) {
        Long killed = killedAt.get(nodeOf.get(run[0]));
        run[2] = killed != null ? killed : openEnd;
      }
    }
    runs.sort(Comparator.comparingLong(r -> r[1]));
    return runs;
  }

  /** The first run start at or after {@code since}. */
  static long firstStartAfter(List<long[]> runs, long since) {
    return runs.stream().mapToLong(r -> r[1]).filter(t -> t >= since).min()
        .orElseThrow(() -> new AssertionError("no run started after " + since));
  }

  /** Each run starts after the previous one ended, with a greater fencing token. */
  static void assertNoOverlapAndGrowingTokens(List<long[]> runs) {
    for (int i = 1; i < runs.size(); i++) {
      long[] previous = runs.get(i - 1);
      long[] run = runs.get(i);
      assertThat(run[0]).as("token of run %d", i).isGreaterThan(previous[0]);
      assertThat(run[1]).as("start of run %d vs end of run %d", i, i - 1)
          .isGreaterThanOrEqualTo(previous[2]);
    }
  }
}
