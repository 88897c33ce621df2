package dev.background;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time rules of {@link Schedule}, computed on instants (no clock): daylight-saving changes in
 * Europe/Paris (2024-03-31 02:00 -> 03:00, 2024-10-27 03:00 -> 02:00) and America/New_York
 * (2024-03-10 02:00 -> 03:00, 2024-11-03 02:00 -> 01:00), and the misfire policies after long
 * pauses.
 */
class ScheduleTimeTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  /** Every fire in {@code (from, to]}. */
  private static List<Instant> firesBetween(Schedule s, Instant from, Instant to) {
    List<Instant> out = new ArrayList<>();
    Instant t = from;
    while (true) {
      Instant next = s.nextFireAfter(t).orElseThrow();
      if (next.isAfter(to)) {
        return out;
      }
      out.add(next);
      t = next;
    }
  }

  private static Instant startOfDay(LocalDate day, ZoneId zone) {
    return day.atStartOfDay(zone).toInstant();
  }

  // ------------------------------------------------------------------------------ spring forward

  @Test
  void aSlotInTheSpringForwardGapFiresOnceAtTheFirstInstantAfterTheGap() {
    Schedule paris = Schedule.cron("30 2 * * *").inZone(PARIS);
    Schedule newYork = Schedule.cron("30 2 * * *").inZone(NEW_YORK);

    // 02:30 does not exist on those days: it fires at 03:00 local, the end of the gap.
    assertThat(firesBetween(paris, at("2024-03-30T00:00:00Z"), at("2024-04-01T23:00:00Z")))
        .containsExactly(at("2024-03-30T01:30:00Z"), at("2024-03-31T01:00:00Z"),
            at("2024-04-01T00:30:00Z"));
    assertThat(firesBetween(newYork, at("2024-03-09T00:00:00Z"), at("2024-03-11T23:00:00Z")))
        .containsExactly(at("2024-03-09T07:30:00Z"), at("2024-03-10T07:00:00Z"),
            at("2024-03-11T06:30:00Z"));
  }

  @Test
  void theSlotsOfTheSpringForwardGapFireOnceTogether() {
    Schedule s = Schedule.cron("*/15 * * * *").inZone(PARIS);

    // 02:00, 02:15, 02:30, 02:45 and 03:00 local all resolve to 03:00 CEST (01:00Z): one fire.
    assertThat(firesBetween(s, at("2024-03-31T00:40:00Z"), at("2024-03-31T01:20:00Z")))
        .containsExactly(at("2024-03-31T00:45:00Z"), at("2024-03-31T01:00:00Z"),
            at("2024-03-31T01:15:00Z"));
  }

  @Test
  void aSixFieldSlotInTheGapAlsoFiresAtTheEndOfTheGap() {
    Schedule s = Schedule.cron("0 30 2 * * *").inZone(NEW_YORK);

    assertThat(s.nextFireAfter(at("2024-03-10T05:00:00Z"))).contains(at("2024-03-10T07:00:00Z"));
  }

  // ------------------------------------------------------------------------------ fall back

  @Test
  void aSlotInTheRepeatedFallBackHourFiresOnceAtItsFirstOccurrence() {
    Schedule newYork = Schedule.cron("30 1 * * *").inZone(NEW_YORK);
    Schedule paris = Schedule.cron("30 2 * * *").inZone(PARIS);

    // 01:30 New York happens at 05:30Z (EDT) and again at 06:30Z (EST): only the first fires.
    assertThat(firesBetween(newYork, at("2024-11-02T12:00:00Z"), at("2024-11-04T12:00:00Z")))
        .containsExactly(at("2024-11-03T05:30:00Z"), at("2024-11-04T06:30:00Z"));
    assertThat(firesBetween(paris, at("2024-10-26T12:00:00Z"), at("2024-10-28T12:00:00Z")))
        .containsExactly(at("2024-10-27T00:30:00Z"), at("2024-10-28T01:30:00Z"));
  }

  @Test
  void duringTheSecondPassOfTheRepeatedHourItsSlotDoesNotFireAgain() {
    Schedule s = Schedule.cron("30 1 * * *").inZone(NEW_YORK);

    // 06:10Z is 01:10 EST, the second 01:10 of the day; 01:30 EST is not a second slot.
    assertThat(s.nextFireAfter(at("2024-11-03T06:10:00Z"))).contains(at("2024-11-04T06:30:00Z"));
    assertThat(s.nextFireAfter(at("2024-11-03T05:30:00Z"))).contains(at("2024-11-04T06:30:00Z"));
  }

  @Test
  void anHourlyCronFiresEachWallClockHourOnceOnTheFallBackDay() {
    Schedule s = Schedule.cron("0 * * * *").inZone(PARIS);
    LocalDate day = LocalDate.of(2024, 10, 27); // 25 hours long

    List<Instant> fires = firesBetween(s, startOfDay(day, PARIS).minusNanos(1),
        startOfDay(day.plusDays(1), PARIS).minusNanos(1));

    assertThat(fires).hasSize(24).doesNotHaveDuplicates().isSorted();
    assertThat(fires).extracting(i -> i.atZone(PARIS).getHour())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 24).boxed().toList());
  }

  @Test
  void anHourlyCronFiresEachExistingWallClockHourOnTheSpringForwardDay() {
    Schedule s = Schedule.cron("0 * * * *").inZone(NEW_YORK);
    LocalDate day = LocalDate.of(2024, 3, 10); // 23 hours long: 02:00 does not exist

    List<Instant> fires = firesBetween(s, startOfDay(day, NEW_YORK).minusNanos(1),
        startOfDay(day.plusDays(1), NEW_YORK).minusNanos(1));

    assertThat(fires).hasSize(23).doesNotHaveDuplicates();
    assertThat(fires.get(2)).isEqualTo(at("2024-03-10T07:00:00Z")); // 03:00 EDT, for 02:00 and 03:00
  }

  // ------------------------------------------------------------------------------ instants only

  @Test
  void fixedRateIsUnaffectedByDaylightSavingTime() {
    Schedule s = Schedule.fixedRate(Duration.ofMinutes(30));

    for (Instant change : List.of(at("2024-03-31T01:00:00Z"), at("2024-10-27T01:00:00Z"),
        at("2024-03-10T07:00:00Z"), at("2024-11-03T06:00:00Z"))) {
      List<Instant> fires = firesBetween(s, change.minusSeconds(7200), change.plusSeconds(7200));
      assertThat(fires).hasSize(8);
      for (int i = 1; i < fires.size(); i++) {
        assertThat(Duration.between(fires.get(i - 1), fires.get(i))).isEqualTo(Duration.ofMinutes(30));
      }
    }
  }

  @Test
  void everyIsUnaffectedByDaylightSavingTime() {
    Schedule s = Schedule.every(Duration.ofHours(1));

    for (Instant end : List.of(at("2024-03-31T00:30:00Z"), at("2024-10-27T00:30:00Z"),
        at("2024-11-03T05:30:00Z"))) {
      assertThat(s.nextFireAfter(end)).contains(end.plus(Duration.ofHours(1)));
    }
  }

  @Test
  void aCronInUtcKeepsFiringThroughTheRepeatedHour() {
    Schedule s = Schedule.cron("*/15 * * * *").inZone(ZoneOffset.UTC);

    assertThat(firesBetween(s, at("2024-10-27T00:00:00Z"), at("2024-10-27T02:00:00Z"))).hasSize(8);
  }

  // ------------------------------------------------------------------------------ misfires

  /** A fixed rate of one minute, paused from 10:00:30 to 13:00:30: 180 slots went by. */
  private static final Instant LAST = at("2025-01-15T10:00:00Z");
  private static final Instant RESUMED = at("2025-01-15T13:00:30Z");

  private static Schedule everyMinute(Misfire misfire) {
    return Schedule.fixedRate(Duration.ofMinutes(1)).withMisfire(misfire);
  }

  @Test
  void aTimerThatFiresOnTimeRunsItsSlotUnderEveryPolicy() {
    for (Misfire m : Misfire.values()) {
      Schedule.Due due = everyMinute(m).dueSlots(LAST, at("2025-01-15T10:01:00.004Z"));

      assertThat(due.run()).as("%s", m).containsExactly(at("2025-01-15T10:01:00Z"));
      assertThat(due.missed()).as("%s", m).isZero();
      assertThat(due.latestSlot()).contains(at("2025-01-15T10:01:00Z"));
    }
  }

  @Test
  void nothingIsDueBeforeTheNextSlot() {
    Schedule.Due due = everyMinute(Misfire.CATCH_UP).dueSlots(LAST, at("2025-01-15T10:00:59Z"));

    assertThat(due.isEmpty()).isTrue();
    assertThat(due.latestSlot()).isEmpty();
  }

  @Test
  void afterALongPauseRunOnceRunsOneRunForAllTheMissedSlots() {
    Schedule.Due due = everyMinute(Misfire.RUN_ONCE).dueSlots(LAST, RESUMED);

    assertThat(due.run()).containsExactly(at("2025-01-15T13:00:00Z"));
    assertThat(due.missed()).isEqualTo(179);
    assertThat(due.missedIsLowerBound()).isFalse();
    assertThat(due.lastMissed()).contains(at("2025-01-15T12:59:00Z"));
    assertThat(due.latestSlot()).contains(at("2025-01-15T13:00:00Z"));
  }

  @Test
  void afterALongPauseSkipRunsNothingAndWaitsForTheNextSlot() {
    Schedule s = everyMinute(Misfire.SKIP);
    Instant resumed = at("2025-01-15T13:01:30Z"); // the latest slot, 13:01, is 30 s late

    Schedule.Due due = s.dueSlots(LAST, resumed);

    assertThat(due.run()).isEmpty();
    assertThat(due.missed()).isEqualTo(181);
    assertThat(due.latestSlot()).contains(at("2025-01-15T13:01:00Z"));
    assertThat(s.nextFireAfter(resumed)).contains(at("2025-01-15T13:02:00Z"));
  }

  @Test
  void skipStillRunsTheLatestSlotWhenItIsLessThanTheThresholdLate() {
    Schedule s = everyMinute(Misfire.SKIP);

    Schedule.Due timerALittleLate = s.dueSlots(LAST, at("2025-01-15T13:00:00.900Z"));
    Schedule.Due withDeadline = s.withStartingDeadline(Duration.ofSeconds(45))
        .dueSlots(LAST, RESUMED); // 13:00 is 30 s late, within the deadline

    assertThat(timerALittleLate.run()).containsExactly(at("2025-01-15T13:00:00Z"));
    assertThat(timerALittleLate.missed()).isEqualTo(179);
    assertThat(withDeadline.run()).containsExactly(at("2025-01-15T13:00:00Z"));
  }

  @Test
  void skipDoesNotRunASlotThatFellInThePauseEvenIfItIsTheLatest() {
    Schedule.Due due = everyMinute(Misfire.SKIP).dueSlots(LAST, RESUMED); // 13:00 is 30 s late

    assertThat(due.run()).isEmpty();
    assertThat(due.missed()).isEqualTo(180);
  }

  @Test
  void afterALongPauseCatchUpRunsEachMissedSlotInOrderUpToAHundred() {
    Schedule.Due due = everyMinute(Misfire.CATCH_UP).dueSlots(LAST, RESUMED);

    assertThat(due.run()).hasSize(Schedule.MAX_CATCH_UP).isSorted()
        .startsWith(at("2025-01-15T11:21:00Z")).endsWith(at("2025-01-15T13:00:00Z"));
    assertThat(due.missed()).isEqualTo(80);
    assertThat(due.lastMissed()).contains(at("2025-01-15T11:20:00Z"));
  }

  @Test
  void aShortPauseUnderCatchUpRunsEverySlot() {
    Schedule.Due due = everyMinute(Misfire.CATCH_UP).dueSlots(LAST, at("2025-01-15T10:03:10Z"));

    assertThat(due.run()).containsExactly(at("2025-01-15T10:01:00Z"), at("2025-01-15T10:02:00Z"),
        at("2025-01-15T10:03:00Z"));
    assertThat(due.missed()).isZero();
  }

  @Test
  void aFixedRateNeverBurstsUnlessCatchUp() {
    Instant weekLater = LAST.plus(Duration.ofDays(7)).plusMillis(1);
    Schedule fast = Schedule.fixedRate(Duration.ofMillis(10));

    for (Misfire m : List.of(Misfire.RUN_ONCE, Misfire.SKIP)) {
      Schedule.Due due = fast.withMisfire(m).dueSlots(LAST, weekLater);
      assertThat(due.run()).as("%s", m).hasSizeLessThanOrEqualTo(1);
      assertThat(due.run().size() + due.missed()).as("%s", m).isEqualTo(60_480_000L);
    }
    assertThat(fast.withMisfire(Misfire.CATCH_UP).dueSlots(LAST, weekLater).run()).hasSize(100);
  }

  @Test
  void aSlotOlderThanTheStartingDeadlineIsMissedNotRun() {
    Schedule s = everyMinute(Misfire.RUN_ONCE).withStartingDeadline(Duration.ofSeconds(20));

    Schedule.Due late = s.dueSlots(LAST, RESUMED); // 13:00 is 30 s late
    Schedule.Due inTime = s.dueSlots(LAST, at("2025-01-15T13:00:15Z"));

    assertThat(late.run()).isEmpty();
    assertThat(late.missed()).isEqualTo(180);
    assertThat(inTime.run()).containsExactly(at("2025-01-15T13:00:00Z"));
    assertThat(inTime.missed()).isEqualTo(179);
  }

  @Test
  void catchUpRunsOnlyTheSlotsWithinTheStartingDeadline() {
    Schedule s = everyMinute(Misfire.CATCH_UP).withStartingDeadline(Duration.ofMinutes(5));

    Schedule.Due due = s.dueSlots(LAST, RESUMED);

    // 12:56 is 4.5 min late and runs; 12:55 is 5.5 min late and is missed.
    assertThat(due.run()).containsExactly(at("2025-01-15T12:56:00Z"), at("2025-01-15T12:57:00Z"),
        at("2025-01-15T12:58:00Z"), at("2025-01-15T12:59:00Z"), at("2025-01-15T13:00:00Z"));
    assertThat(due.missed()).isEqualTo(175);
    assertThat(due.lastMissed()).contains(at("2025-01-15T12:55:00Z"));
  }

  @Test
  void theJitterExtendsHowLateAFireMayStart() {
    Schedule s = everyMinute(Misfire.RUN_ONCE).withStartingDeadline(Duration.ofSeconds(20))
        .withJitter(Duration.ofSeconds(15));

    assertThat(s.dueSlots(LAST, at("2025-01-15T10:01:35Z")).run())
        .containsExactly(at("2025-01-15T10:01:00Z"));
    assertThat(s.dueSlots(LAST, at("2025-01-15T10:01:35.001Z")).run()).isEmpty();
  }

  @Test
  void afterAPauseACronScheduleFollowsItsMisfirePolicy() {
    Schedule hourly = Schedule.cron("0 * * * *").inZone(PARIS);
    Instant last = at("2025-01-15T10:00:00Z");
    Instant resumed = at("2025-01-15T15:10:00Z"); // 11:00 to 15:00 went by

    Schedule.Due once = hourly.dueSlots(last, resumed);
    Schedule.Due skip = hourly.withMisfire(Misfire.SKIP).dueSlots(last, resumed);
    Schedule.Due catchUp = hourly.withMisfire(Misfire.CATCH_UP).dueSlots(last, resumed);

    assertThat(once.run()).containsExactly(at("2025-01-15T15:00:00Z"));
    assertThat(once.missed()).isEqualTo(4);
    assertThat(skip.run()).isEmpty();
    assertThat(skip.missed()).isEqualTo(5);
    assertThat(catchUp.run()).containsExactly(at("2025-01-15T11:00:00Z"),
        at("2025-01-15T12:00:00Z"), at("2025-01-15T13:00:00Z"), at("2025-01-15T14:00:00Z"),
        at("2025-01-15T15:00:00Z"));
    assertThat(catchUp.missed()).isZero();
  }

  @Test
  void aCronPauseOfMoreSlotsThanAreCountedStillRunsTheLatestOnesInOrder() {
    Schedule s = Schedule.cron("* * * * * *").inZone(ZoneOffset.UTC).withMisfire(Misfire.CATCH_UP);
    Instant resumed = at("2025-01-16T10:00:00.5Z"); // 86,400 one-second slots went by

    Schedule.Due due = s.dueSlots(LAST, resumed);

    assertThat(due.run()).hasSize(100).isSorted().endsWith(at("2025-01-16T10:00:00Z"))
        .startsWith(at("2025-01-16T09:58:21Z"));
    assertThat(due.missedIsLowerBound()).isTrue();
    assertThat(due.missed()).isGreaterThanOrEqualTo(Schedule.CRON_COUNT_LIMIT).isLessThan(86_400);
    assertThat(due.lastMissed()).contains(at("2025-01-16T09:58:20Z"));
  }

  @Test
  void misfiresCountTheSlotsOfTheFallBackDayOnce() {
    Schedule s = Schedule.cron("0 * * * *").inZone(PARIS).withMisfire(Misfire.CATCH_UP);

    // From just before 00:00 CEST to 23:59 CET: the 25 hours of 2024-10-27 in Paris.
    Schedule.Due due = s.dueSlots(at("2024-10-26T21:59:00Z"), at("2024-10-27T22:59:00Z"));

    assertThat(due.run()).hasSize(24).doesNotHaveDuplicates();
  }

  @Test
  void afterAPauseEveryRunsOnceOrSkips() {
    Schedule every = Schedule.every(Duration.ofMinutes(5));
    Instant end = at("2025-01-15T10:00:00Z");

    Schedule.Due once = every.dueSlots(end, RESUMED);
    Schedule.Due catchUp = every.withMisfire(Misfire.CATCH_UP).dueSlots(end, RESUMED);
    Schedule.Due skip = every.withMisfire(Misfire.SKIP).dueSlots(end, RESUMED);

    assertThat(once.run()).containsExactly(at("2025-01-15T10:05:00Z"));
    assertThat(once.missed()).isZero();
    assertThat(catchUp).isEqualTo(once);
    assertThat(skip.run()).isEmpty();
    assertThat(skip.missed()).isEqualTo(1);
    assertThat(every.withMisfire(Misfire.SKIP).nextFireAfter(RESUMED))
        .contains(RESUMED.plus(Duration.ofMinutes(5)));
  }

  @Test
  void noSlotAfterUntilComesDue() {
    Schedule s = everyMinute(Misfire.CATCH_UP).until(at("2025-01-15T10:02:00Z"));

    Schedule.Due due = s.dueSlots(LAST, RESUMED);

    assertThat(due.run()).containsExactly(at("2025-01-15T10:01:00Z"), at("2025-01-15T10:02:00Z"));
    assertThat(s.nextFireAfter(RESUMED)).isEmpty();
  }
}
