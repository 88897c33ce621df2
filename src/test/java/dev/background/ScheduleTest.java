package dev.background;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Schedule} as a value: its factories and modifiers, the slots of each kind (away from
 * daylight-saving changes, which {@link ScheduleTimeTest} covers), its description and its JSON
 * form with the key path of every mistake.
 */
class ScheduleTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Instant T = Instant.parse("2025-01-15T10:00:00Z");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  /** The first {@code n} fires after {@code from}. */
  private static List<Instant> fires(Schedule s, Instant from, int n) {
    List<Instant> out = new ArrayList<>();
    Instant t = from;
    for (int i = 0; i < n; i++) {
      t = s.nextFireAfter(t).orElseThrow();
      out.add(t);
    }
    return out;
  }

  // ------------------------------------------------------------------------------ values

  @Test
  void aNewScheduleHasTheDefaultPolicies() {
    Schedule s = Schedule.every(Duration.ofMinutes(5));

    assertThat(s.kind()).isEqualTo(Schedule.Kind.EVERY);
    assertThat(s.interval()).contains(Duration.ofMinutes(5));
    assertThat(s.expression()).isEmpty();
    assertThat(s.zone()).isEmpty();
    assertThat(s.jitter()).isZero();
    assertThat(s.overlap()).isEqualTo(Overlap.SKIP);
    assertThat(s.misfire()).isEqualTo(Misfire.RUN_ONCE);
    assertThat(s.startingDeadline()).isEmpty();
    assertThat(s.startingAt()).isEmpty();
    assertThat(s.until()).isEmpty();
    assertThat(s.retry()).isEmpty();
  }

  @Test
  void modifiersReturnANewScheduleAndLeaveTheOriginalUnchanged() {
    Schedule base = Schedule.fixedRate(Duration.ofMinutes(1));
    Backoff retry = Backoff.fixed(Duration.ofSeconds(5));

    Schedule s = base.withJitter(Duration.ofSeconds(10)).withOverlap(Overlap.QUEUE)
        .withMisfire(Misfire.CATCH_UP).withStartingDeadline(Duration.ofSeconds(30))
        .startingAt(T).until(T.plusSeconds(3600)).withRetry(retry);

    assertThat(base).isEqualTo(Schedule.fixedRate(Duration.ofMinutes(1)));
    assertThat(s.kind()).isEqualTo(Schedule.Kind.FIXED_RATE);
    assertThat(s.jitter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.overlap()).isEqualTo(Overlap.QUEUE);
    assertThat(s.misfire()).isEqualTo(Misfire.CATCH_UP);
    assertThat(s.startingDeadline()).contains(Duration.ofSeconds(30));
    assertThat(s.startingAt()).contains(T);
    assertThat(s.until()).contains(T.plusSeconds(3600));
    assertThat(s.retry()).contains(retry);
  }

  @Test
  void aCronScheduleIsInTheSystemZoneUnlessToldOtherwise() {
    assertThat(Schedule.cron("0 3 * * *").zone()).contains(ZoneId.systemDefault());
    assertThat(Schedule.cron("0 3 * * *").inZone(PARIS).zone()).contains(PARIS);
  }

  @Test
  void aCronExpressionKeepsSingleSpacesBetweenItsFields() {
    Schedule s = Schedule.cron("  0   3 *\t* *  ");

    assertThat(s.expression()).contains("0 3 * * *");
    assertThat(s.inZone(PARIS)).isEqualTo(Schedule.cron("0 3 * * *").inZone(PARIS));
  }

  @Test
  void equalSchedulesHaveEqualHashCodesAndDifferentOnesDiffer() {
    Schedule a = Schedule.cron("0 3 * * *").inZone(PARIS).withJitter(Duration.ofSeconds(5));
    Schedule b = Schedule.cron("0 3 * * *").inZone(PARIS).withJitter(Duration.ofSeconds(5));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(b.inZone(ZoneOffset.UTC));
    assertThat(Schedule.every(Duration.ofSeconds(5)))
        .isNotEqualTo(Schedule.fixedRate(Duration.ofSeconds(5)));
  }

  @Test
  void toStringShowsTheJsonForm() {
    assertThat(Schedule.every(Duration.ofSeconds(30)).toString())
        .isEqualTo("Schedule{\"every\":\"30s\",\"overlap\":\"skip\",\"misfire\":\"run-once\"}");
  }

  @Test
  void thePoliciesHaveTheirWireNames() {
    assertThat(Overlap.values()).extracting(Overlap::wireName)
        .containsExactly("skip", "queue", "replace");
    assertThat(Misfire.values()).extracting(Misfire::wireName)
        .containsExactly("run-once", "skip", "catch-up");
    for (Overlap o : Overlap.values()) {
      assertThat(Overlap.fromWireName(o.wireName())).isEqualTo(o);
    }
    for (Misfire m : Misfire.values()) {
      assertThat(Misfire.fromWireName(m.wireName())).isEqualTo(m);
    }
  }

  // ------------------------------------------------------------------------------ invalid values

  static Stream<Arguments> invalidSchedules() {
    return Stream.of(
        Arguments.of("every zero", (Runnable) () -> Schedule.every(Duration.ZERO),
            "every: must be >= 1ms, was 0ms"),
        Arguments.of("every null", (Runnable) () -> Schedule.every(null),
            "every: must be >= 1ms, was null"),
        Arguments.of("fixedRate below 1 ms", (Runnable) () -> Schedule.fixedRate(Duration.ofNanos(10)),
            "fixedRate: must be >= 1ms, was PT0.00000001S"),
        Arguments.of("blank cron", (Runnable) () -> Schedule.cron(" "),
            "cron: must be a cron expression such as \"0 3 * * *\", was \" \""),
        Arguments.of("zone of every", (Runnable) () -> Schedule.every(Duration.ofMinutes(1)).inZone(PARIS),
            "zone: applies to cron schedules only (every counts in instants, whatever the zone),"
                + " was \"Europe/Paris\""),
        Arguments.of("negative jitter", (Runnable) () -> Schedule.every(Duration.ofMinutes(1))
            .withJitter(Duration.ofSeconds(-1)), "jitter: must be >= 0, was -1s"),
        Arguments.of("jitter as long as the fixed rate", (Runnable) () -> Schedule
            .fixedRate(Duration.ofSeconds(5)).withJitter(Duration.ofSeconds(5)),
            "jitter: must be shorter than the fixedRate period (5s), was 5s"),
        Arguments.of("zero deadline", (Runnable) () -> Schedule.every(Duration.ofMinutes(1))
            .withStartingDeadline(Duration.ZERO), "startingDeadline: must be > 0, was 0ms"),
        Arguments.of("until before startAt", (Runnable) () -> Schedule.every(Duration.ofMinutes(1))
            .startingAt(T).until(T.minusSeconds(1)),
            "until: must not be before startAt (2025-01-15T10:00:00Z), was 2025-01-15T09:59:59Z"),
        Arguments.of("startAt after until", (Runnable) () -> Schedule.every(Duration.ofMinutes(1))
            .until(T).startingAt(T.plusSeconds(1)),
            "startAt: must not be after until (2025-01-15T10:00:00Z), was 2025-01-15T10:00:01Z"),
        Arguments.of("null overlap", (Runnable) () -> Schedule.every(Duration.ofMinutes(1))
            .withOverlap(null), "overlap: must be one of skip, queue, replace, was null"),
        Arguments.of("null retry", (Runnable) () -> Schedule.every(Duration.ofMinutes(1))
            .withRetry(null), "retry: must be a backoff, was null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSchedules")
  void anInvalidValueIsRefusedWithItsKeyAndValue(String name, Runnable build, String message) {
    assertThatThrownBy(build::run).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  static Stream<Arguments> badCronExpressions() {
    return Stream.of(
        Arguments.of("0 25 * * *",
            "cron: field 2 (hour): value 25 not in range [0, 23], was \"25\" in \"0 25 * * *\""),
        Arguments.of("61 * * * *",
            "cron: field 1 (minute): value 61 not in range [0, 59], was \"61\" in \"61 * * * *\""),
        Arguments.of("0 3 * 13 *",
            "cron: field 4 (month): value 13 not in range [1, 12], was \"13\" in \"0 3 * 13 *\""),
        Arguments.of("0 3 1-40 * *", "cron: field 3 (day-of-month): value 40 not in range [1, 31],"
            + " was \"1-40\" in \"0 3 1-40 * *\""),
        Arguments.of("0 3 * * 8", "cron: field 5 (day-of-week): value 8 not in range [0, 7],"
            + " was \"8\" in \"0 3 * * 8\""),
        Arguments.of("0 0 3 * * 9", "cron: field 6 (day-of-week): value 9 not in range [0, 7],"
            + " was \"9\" in \"0 0 3 * * 9\""),
        Arguments.of("60 0 3 * * *", "cron: field 1 (second): value 60 not in range [0, 59],"
            + " was \"60\" in \"60 0 3 * * *\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCronExpressions")
  void aBadCronExpressionNamesTheFieldAndItsValue(String expression, String message) {
    assertThatThrownBy(() -> Schedule.cron(expression)).isInstanceOf(IllegalArgumentException.class)
        .isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void aCronExpressionWithTheWrongNumberOfFieldsSaysWhatIsExpected() {
    assertThatThrownBy(() -> Schedule.cron("0 3 * *")).hasMessage("cron: must have 5 fields "
        + "(minute hour day-of-month month day-of-week), 6 fields with seconds first, or be one of"
        + " @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, was \"0 3 * *\""
        + " (4 fields)");
    assertThatThrownBy(() -> Schedule.cron("0 0 3 * * * 2030")).hasMessageEndingWith("(7 fields)");
  }

  @Test
  void anUnknownMacroIsRefused() {
    assertThatThrownBy(() -> Schedule.cron("@reboot")).hasMessageStartingWith("cron: must have 5")
        .hasMessageEndingWith("was \"@reboot\"");
  }

  @Test
  void aCronExpressionThatNeverFiresIsRefused() {
    assertThatThrownBy(() -> Schedule.cron("0 0 30 2 *"))
        .hasMessage("cron: never fires (no date matches), was \"0 0 30 2 *\"");
  }

  @Test
  void cronUtilsExtensionsOutsideCronSyntaxAreRefused() {
    assertThatThrownBy(() -> Schedule.cron("0 3 * * * || 0 4 * * *"))
        .hasMessageStartingWith("cron: \"|\" is not cron syntax");
  }

  // ------------------------------------------------------------------------------ slots

  @Test
  void everyFiresItsIntervalAfterARunEnds() {
    Schedule s = Schedule.every(Duration.ofMinutes(5));
    Instant end = at("2025-01-15T10:03:27.250Z");

    assertThat(s.nextFireAfter(end)).contains(end.plus(Duration.ofMinutes(5)));
  }

  @Test
  void everyFiresAtOnceOrAtItsStart() {
    Schedule s = Schedule.every(Duration.ofMinutes(5));

    assertThat(s.firstFireAt(T)).contains(T);
    assertThat(s.startingAt(T.plusSeconds(60)).firstFireAt(T)).contains(T.plusSeconds(60));
    assertThat(s.startingAt(T.plusSeconds(60)).nextFireAfter(T.minusSeconds(600)))
        .contains(T.plusSeconds(60));
    assertThat(s.startingAt(T.plusSeconds(60)).nextFireAfter(T)).contains(T.plusSeconds(300));
  }

  @Test
  void fixedRateSlotsAreAnchoredAtTheEpochByDefault() {
    Schedule s = Schedule.fixedRate(Duration.ofMinutes(5));

    assertThat(fires(s, at("2025-01-15T10:03:27Z"), 3)).containsExactly(
        at("2025-01-15T10:05:00Z"), at("2025-01-15T10:10:00Z"), at("2025-01-15T10:15:00Z"));
    assertThat(s.nextFireAfter(at("2025-01-15T10:05:00Z"))).contains(at("2025-01-15T10:10:00Z"));
  }

  @Test
  void fixedRateSlotsAreAnchoredAtStartAtWhenSet() {
    Instant start = at("2025-01-15T10:00:07.5Z");
    Schedule s = Schedule.fixedRate(Duration.ofSeconds(10)).startingAt(start);

    assertThat(s.firstFireAt(T)).contains(start);
    assertThat(s.nextFireAfter(T)).contains(start);
    assertThat(fires(s, start, 3)).containsExactly(start.plusSeconds(10), start.plusSeconds(20),
        start.plusSeconds(30));
    assertThat(s.nextFireAfter(start.plusSeconds(15))).contains(start.plusSeconds(20));
  }

  @Test
  void fixedRateFirstFiresAtTheFirstSlotAtOrAfterNow() {
    Schedule s = Schedule.fixedRate(Duration.ofMinutes(1));

    assertThat(s.firstFireAt(at("2025-01-15T10:00:00Z"))).contains(at("2025-01-15T10:00:00Z"));
    assertThat(s.firstFireAt(at("2025-01-15T10:00:00.001Z"))).contains(at("2025-01-15T10:01:00Z"));
  }

  @Test
  void cronFiresAtTheMatchingWallClockTimesOfItsZone() {
    Schedule s = Schedule.cron("0 3 * * *").inZone(PARIS);

    assertThat(fires(s, at("2025-01-15T10:00:00Z"), 2)).containsExactly(
        at("2025-01-16T02:00:00Z"), at("2025-01-17T02:00:00Z"));
    assertThat(Schedule.cron("0 3 * * *").inZone(ZoneOffset.UTC).nextFireAfter(T))
        .contains(at("2025-01-16T03:00:00Z"));
  }

  @Test
  void theNextSlotIsStrictlyAfterTheInstant() {
    Schedule s = Schedule.cron("*/5 * * * *").inZone(ZoneOffset.UTC);

    assertThat(s.nextFireAfter(at("2025-01-15T10:05:00Z"))).contains(at("2025-01-15T10:10:00Z"));
    assertThat(s.nextFireAfter(at("2025-01-15T10:04:59.999999999Z")))
        .contains(at("2025-01-15T10:05:00Z"));
    assertThat(s.firstFireAt(at("2025-01-15T10:05:00Z"))).contains(at("2025-01-15T10:05:00Z"));
  }

  @Test
  void aSixFieldCronHasSecondsFirst() {
    Schedule s = Schedule.cron("*/30 * * * * *").inZone(ZoneOffset.UTC);

    assertThat(fires(s, T, 3)).containsExactly(T.plusSeconds(30), T.plusSeconds(60),
        T.plusSeconds(90));
  }

  @Test
  void macrosFireAtTheirUsualTimes() {
    Instant from = at("2025-01-15T10:30:00Z"); // a Wednesday
    assertThat(Schedule.cron("@hourly").inZone(ZoneOffset.UTC).nextFireAfter(from))
        .contains(at("2025-01-15T11:00:00Z"));
    assertThat(Schedule.cron("@daily").inZone(ZoneOffset.UTC).nextFireAfter(from))
        .contains(at("2025-01-16T00:00:00Z"));
    assertThat(Schedule.cron("@midnight").inZone(ZoneOffset.UTC).nextFireAfter(from))
        .contains(at("2025-01-16T00:00:00Z"));
    assertThat(Schedule.cron("@weekly").inZone(ZoneOffset.UTC).nextFireAfter(from))
        .contains(at("2025-01-19T00:00:00Z"));
    assertThat(Schedule.cron("@monthly").inZone(ZoneOffset.UTC).nextFireAfter(from))
        .contains(at("2025-02-01T00:00:00Z"));
    assertThat(Schedule.cron("@yearly").inZone(ZoneOffset.UTC).nextFireAfter(from))
        .contains(at("2026-01-01T00:00:00Z"));
    assertThat(Schedule.cron("@Daily").inZone(ZoneOffset.UTC).nextFireAfter(from))
        .contains(at("2025-01-16T00:00:00Z"));
  }

  @Test
  void aUnixCronMatchesADayByItsDayOfMonthOrItsDayOfWeek() {
    Schedule s = Schedule.cron("0 0 13 * 5").inZone(ZoneOffset.UTC); // the 13th or a Friday

    assertThat(fires(s, at("2025-01-01T00:00:00Z"), 4)).containsExactly(
        at("2025-01-03T00:00:00Z"), at("2025-01-10T00:00:00Z"), at("2025-01-13T00:00:00Z"),
        at("2025-01-17T00:00:00Z"));
  }

  @Test
  void cronSlotsStartAtStartAtAndEndAtUntilBothIncluded() {
    Schedule s = Schedule.cron("0 * * * *").inZone(ZoneOffset.UTC)
        .startingAt(at("2025-01-15T12:00:00Z")).until(at("2025-01-15T14:00:00Z"));

    assertThat(s.nextFireAfter(T)).contains(at("2025-01-15T12:00:00Z"));
    assertThat(s.firstFireAt(T)).contains(at("2025-01-15T12:00:00Z"));
    assertThat(s.nextFireAfter(at("2025-01-15T13:00:00Z"))).contains(at("2025-01-15T14:00:00Z"));
    assertThat(s.nextFireAfter(at("2025-01-15T14:00:00Z"))).isEmpty();
  }

  @Test
  void everyEndsAtUntil() {
    Schedule s = Schedule.every(Duration.ofMinutes(10)).until(T.plusSeconds(600));

    assertThat(s.nextFireAfter(T)).contains(T.plusSeconds(600));
    assertThat(s.nextFireAfter(T.plusMillis(1))).isEmpty();
    assertThat(s.firstFireAt(T.plusSeconds(601))).isEmpty();
  }

  @Test
  void aSlotBeyondWhatAnInstantHoldsIsNoSlot() {
    assertThat(Schedule.every(Duration.ofDays(1)).nextFireAfter(Instant.MAX)).isEmpty();
    assertThat(Schedule.fixedRate(Duration.ofDays(1)).nextFireAfter(Instant.MAX)).isEmpty();
    assertThat(Schedule.cron("0 3 * * *").inZone(PARIS).nextFireAfter(Instant.MAX)).isEmpty();
  }

  // ------------------------------------------------------------------------------ jitter

  @Test
  void aJitteredFireIsTheSlotPlusTheDrawTimesTheJitter() {
    Schedule s = Schedule.every(Duration.ofMinutes(1)).withJitter(Duration.ofSeconds(10));

    assertThat(s.jittered(T, 0.0)).isEqualTo(T);
    assertThat(s.jittered(T, 0.5)).isEqualTo(T.plusSeconds(5));
    assertThat(s.jittered(T, 1.0)).isEqualTo(T.plusSeconds(10));
    assertThat(Schedule.every(Duration.ofMinutes(1)).jittered(T, 0.7)).isEqualTo(T);
  }

  @Test
  void aJitterDrawOutsideZeroToOneIsRefused() {
    Schedule s = Schedule.every(Duration.ofMinutes(1)).withJitter(Duration.ofSeconds(10));

    assertThatThrownBy(() -> s.jittered(T, 1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("random: must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> s.jittered(T, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------------------ describe

  @Test
  void everyIsDescribedByItsInterval() {
    assertThat(Schedule.every(Duration.ofMinutes(5)).describe()).isEqualTo("every 5 minutes");
    assertThat(Schedule.every(Duration.ofSeconds(1)).describe()).isEqualTo("every second");
    assertThat(Schedule.every(Duration.ofHours(2)).describe()).isEqualTo("every 2 hours");
    assertThat(Schedule.every(Duration.ofMillis(1500)).describe())
        .isEqualTo("every 1500 milliseconds");
  }

  @Test
  void fixedRateIsDescribedAsAFixedRate() {
    assertThat(Schedule.fixedRate(Duration.ofSeconds(30)).describe())
        .isEqualTo("every 30 seconds at a fixed rate");
  }

  @Test
  void cronIsDescribedByCronUtilsWithItsZone() {
    assertThat(Schedule.cron("0 3 * * *").inZone(PARIS).describe())
        .isEqualTo("at 03:00 every day (Europe/Paris)");
    assertThat(Schedule.cron("*/5 * * * *").inZone(PARIS).describe())
        .isEqualTo("every 5 minutes (Europe/Paris)");
    assertThat(Schedule.cron("0 9 * * 1-5").inZone(ZoneOffset.UTC).describe())
        .isEqualTo("at 09:00 every day between Monday and Friday (UTC)");
    assertThat(Schedule.cron("@weekly").inZone(PARIS).describe())
        .isEqualTo("at 00:00 on Sunday (Europe/Paris)");
    assertThat(Schedule.cron("@yearly").inZone(PARIS).describe())
        .isEqualTo("at 00:00 on day 1 in January (Europe/Paris)");
  }

  @Test
  void theDescriptionEndsWithTheJitterAndTheBounds() {
    Schedule s = Schedule.every(Duration.ofHours(1)).withJitter(Duration.ofSeconds(30))
        .startingAt(at("2030-01-01T00:00:00Z")).until(at("2031-01-01T00:00:00Z"));

    assertThat(s.describe()).isEqualTo("every hour, jitter up to 30 seconds,"
        + " from 2030-01-01T00:00:00Z, until 2031-01-01T00:00:00Z");
  }

  // ------------------------------------------------------------------------------ JSON

  @Test
  void theJsonFormHasTheConfigurationKeys() {
    Schedule s = Schedule.cron("0 3 * * *").inZone(PARIS).withJitter(Duration.ofMinutes(5))
        .withOverlap(Overlap.REPLACE).withMisfire(Misfire.CATCH_UP)
        .withStartingDeadline(Duration.ofMinutes(10)).startingAt(at("2030-01-01T00:00:00Z"))
        .until(at("2031-01-01T00:00:00Z")).withRetry(Backoff.fixed(Duration.ofSeconds(5)));

    assertThat(s.toJson()).isEqualTo(new JsonObject()
        .put("cron", "0 3 * * *").put("zone", "Europe/Paris").put("jitter", "5m")
        .put("overlap", "replace").put("misfire", "catch-up").put("startingDeadline", "10m")
        .put("startAt", "2030-01-01T00:00:00Z").put("until", "2031-01-01T00:00:00Z")
        .put("retry", Backoff.fixed(Duration.ofSeconds(5)).toJson()));
    assertThat(Schedule.fromJson(s.toJson())).isEqualTo(s);
  }

  @Test
  void theJsonFormOfEveryAndFixedRateHoldsTheirDuration() {
    assertThat(Schedule.every(Duration.ofMinutes(5)).toJson()).isEqualTo(new JsonObject()
        .put("every", "5m").put("overlap", "skip").put("misfire", "run-once"));
    assertThat(Schedule.fixedRate(Duration.ofMillis(250)).toJson()).isEqualTo(new JsonObject()
        .put("fixedRate", "250ms").put("overlap", "skip").put("misfire", "run-once"));
  }

  @Test
  void fromJsonReadsTheConfigurationSyntax() {
    Schedule s = Schedule.fromJson(new JsonObject().put("fixedRate", "PT30S").put("jitter", 500)
        .put("overlap", "queue").put("misfire", "skip").put("startingDeadline", "1m")
        .put("startAt", "2030-01-01T01:00:00+01:00").put("retry", new JsonObject()
            .put("maxAttempts", 3)));

    assertThat(s).isEqualTo(Schedule.fixedRate(Duration.ofSeconds(30))
        .withJitter(Duration.ofMillis(500)).withOverlap(Overlap.QUEUE).withMisfire(Misfire.SKIP)
        .withStartingDeadline(Duration.ofMinutes(1)).startingAt(at("2030-01-01T00:00:00Z"))
        .withRetry(Backoff.builder().maxAttempts(3).build()));
  }

  @Test
  void aCronWithoutAZoneInJsonIsInTheSystemZone() {
    assertThat(Schedule.fromJson(new JsonObject().put("cron", "@daily")).zone())
        .contains(ZoneId.systemDefault());
  }

  static Stream<Arguments> badJson() {
    return Stream.of(
        Arguments.of(new JsonObject().put("cron", "0 25 * * *"),
            "cron: field 2 (hour): value 25 not in range [0, 23], was \"25\" in \"0 25 * * *\""),
        Arguments.of(new JsonObject().put("cron", 3), "cron: must be a string, was 3"),
        Arguments.of(new JsonObject().put("every", "5 minutes"), "every: must be a duration such"
            + " as \"500ms\", \"30s\", \"5m\" or \"PT30S\", was \"5 minutes\""),
        Arguments.of(new JsonObject().put("fixedRate", "0s"), "fixedRate: must be >= 1ms, was 0ms"),
        Arguments.of(new JsonObject(), "every|fixedRate|cron: exactly one is required, found none"),
        Arguments.of(new JsonObject().put("every", "5m").put("cron", "0 3 * * *"),
            "cron: conflicts with every (a schedule has exactly one of every, fixedRate or cron)"),
        Arguments.of(new JsonObject().put("every", "5m").put("every2", 1),
            "every2: unknown key (expected one of every, fixedRate, cron, zone, jitter, overlap,"
                + " misfire, startingDeadline, startAt, until, retry)"),
        Arguments.of(new JsonObject().put("cron", "0 3 * * *").put("zone", "Mars/Olympus"),
            "zone: must be a time-zone ID such as \"Europe/Paris\" or \"UTC\", was \"Mars/Olympus\""),
        Arguments.of(new JsonObject().put("every", "5m").put("zone", "UTC"),
            "zone: applies to cron schedules only (every counts in instants, whatever the zone),"
                + " was \"UTC\""),
        Arguments.of(new JsonObject().put("every", "5m").put("overlap", "x"),
            "overlap: must be one of skip, queue, replace, was \"x\""),
        Arguments.of(new JsonObject().put("every", "5m").put("misfire", "RUN_ONCE"),
            "misfire: must be one of run-once, skip, catch-up, was \"RUN_ONCE\""),
        Arguments.of(new JsonObject().put("every", "5m").put("jitter", true),
            "jitter: must be a duration such as \"500ms\", \"30s\", \"5m\" or \"PT30S\", was true"),
        Arguments.of(new JsonObject().put("every", "5m").put("startingDeadline", "0s"),
            "startingDeadline: must be > 0, was 0ms"),
        Arguments.of(new JsonObject().put("every", "5m").put("startAt", "tomorrow"),
            "startAt: must be an ISO-8601 instant such as \"2030-01-01T00:00:00Z\", was \"tomorrow\""),
        Arguments.of(new JsonObject().put("every", "5m").put("startAt", "2030-01-01T00:00:00Z")
            .put("until", "2029-01-01T00:00:00Z"), "until: must not be before startAt"
            + " (2030-01-01T00:00:00Z), was 2029-01-01T00:00:00Z"),
        Arguments.of(new JsonObject().put("every", "5m").put("retry", "5s"),
            "retry: must be a JSON object, was \"5s\""),
        Arguments.of(new JsonObject().put("every", "5m").put("retry", new JsonObject()
            .put("multiplier", 0.5)), "retry.multiplier: must be >= 1, was 0.5"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badJson")
  void badJsonIsRefusedAtItsKeyPath(JsonObject json, String message) {
    assertThatThrownBy(() -> Schedule.fromJson(json)).isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void aJsonMistakeCanBeReRootedUnderTheTaskDeclaration() {
    ConfigException e = null;
    try {
      Schedule.fromJson(new JsonObject().put("cron", "0 25 * * *"));
    } catch (ConfigException thrown) {
      e = thrown.under("tasks[3].schedule");
    }

    assertThat(e).isNotNull();
    assertThat(e.path()).isEqualTo("tasks[3].schedule.cron");
    assertThat(e.getMessage()).startsWith("tasks[3].schedule.cron: field 2 (hour): ");
  }
}
