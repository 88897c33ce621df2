package dev.background.impl;

import dev.background.RunRecord;
import dev.background.TaskError;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring of a task's last runs: what goes in comes out the same, oldest first, bounded. */
class RunHistoryTest {

  private static final Instant T0 = Instant.parse("2026-03-29T00:59:59.123456789Z");

  private static Instant at(int k) {
    return T0.plusSeconds(k);
  }

  @Test
  void anEmptyHistoryHasNoRecords() {
    assertThat(new RunHistory(5).records()).isEmpty();
  }

  @Test
  void aRecordComesBackWithItsInstantToTheNanosecondItsLengthAndOutcome() {
    RunHistory h = new RunHistory(5);
    h.add(T0, 12, false, null);
    assertThat(h.records()).containsExactly(new RunRecord(T0, 12, RunRecord.SUCCESS, null));
  }

  @Test
  void recordsGrowPastTheFirstCapacityInOrder() {
    RunHistory h = new RunHistory(50);
    for (int k = 0; k < 7; k++) {
      h.add(at(k), k, false, null);
    }
    assertThat(h.records()).extracting(RunRecord::startedAt)
        .containsExactly(at(0), at(1), at(2), at(3), at(4), at(5), at(6));
  }

  @Test
  void aLongHistoryGrowsStepByStepAndKeepsItsLastRunsInOrder() {
    int limit = RunHistory.DIRECT_GROWTH * 2 + 7;
    RunHistory h = new RunHistory(limit);
    for (int k = 0; k < limit + 30; k++) {
      h.add(at(k), k, false, null);
    }
    List<RunRecord> records = h.records();
    assertThat(records).hasSize(limit);
    assertThat(records.get(0).durationMillis()).isEqualTo(30);
    assertThat(records.get(limit - 1).durationMillis()).isEqualTo(limit + 29);
    for (int i = 1; i < limit; i++) {
      assertThat(records.get(i).startedAt()).isAfter(records.get(i - 1).startedAt());
    }
  }

  @Test
  void theOldestRunsMakeRoomOnceTheLimitIsReached() {
    RunHistory h = new RunHistory(3);
    for (int k = 0; k < 8; k++) {
      h.add(at(k), k, false, null);
    }
    assertThat(h.records()).extracting(RunRecord::durationMillis).containsExactly(5L, 6L, 7L);
  }

  @Test
  void aFailureKeepsItsErrorAndTheSuccessesAroundItHaveNone() {
    RunHistory h = new RunHistory(4);
    TaskError boom = new TaskError("java.io.IOException", "boom", at(2));
    h.add(at(0), 1, false, null);
    h.add(at(1), 1, false, null);
    h.add(at(2), 1, true, boom);
    h.add(at(3), 1, false, null);
    h.add(at(4), 1, false, null); // wraps: overwrites run 0, and run 2 keeps its error
    List<RunRecord> records = h.records();
    assertThat(records).extracting(RunRecord::outcome).containsExactly(RunRecord.SUCCESS,
        RunRecord.FAILURE, RunRecord.SUCCESS, RunRecord.SUCCESS);
    assertThat(records.get(1).error()).isEqualTo(boom);
    assertThat(records).filteredOn(r -> r.outcome() == RunRecord.SUCCESS)
        .allSatisfy(r -> assertThat(r.error()).isNull());
  }

  @Test
  void anErrorOverwrittenByALaterSuccessIsGone() {
    RunHistory h = new RunHistory(1);
    h.add(at(0), 1, true, new TaskError("E", "first", at(0)));
    h.add(at(1), 1, false, null);
    assertThat(h.records()).containsExactly(new RunRecord(at(1), 1, RunRecord.SUCCESS, null));
  }

  @Test
  void aRunOfMonthsAndAnInstantBeforeTheEpochSurvive() {
    RunHistory h = new RunHistory(2);
    Instant old = Instant.parse("1901-01-01T00:00:00.000000001Z");
    long months = 200L * 24 * 3600 * 1000;
    h.add(old, months, true, null);
    assertThat(h.records()).containsExactly(new RunRecord(old, months, RunRecord.FAILURE, null));
  }
}
