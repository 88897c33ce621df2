package dev.background;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.field.expression.QuestionMark;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CronSlots is the cron side of {@link Schedule}: it parses an expression with cron-utils (never
 * with a parser of ours), turns cron-utils' errors into a {@link ConfigException} naming the field,
 * and maps the expression's wall-clock slots to instants in a zone, with the daylight-saving rules
 * of {@link Schedule}.
 *
 * <p>cron-utils evaluates the expression on a time line without daylight-saving time (local
 * date-times presented as UTC), so it only ever answers "the next matching local date-time";
 * {@link #after(Instant, ZoneId)} resolves each local slot to one instant: as is when the local
 * time exists once, the end of the gap (the first valid instant after it) when it falls in a
 * spring-forward gap, and its first occurrence when it falls in a repeated fall-back hour. That
 * mapping never decreases, so every local slot fires once, gap slots collapse into one fire, and
 * nothing fires twice. Immutable and thread-safe (cron-utils' parser, {@code Cron} and
 * {@code ExecutionTime} are).
 */
final class CronSlots {

  /** 5 fields, minute precision: Unix crontab (day-of-month OR day-of-week, as Vixie cron). */
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  /** 6 fields with seconds first and the macros: Spring 5.3+ {@code CronExpression}. */
  private static final CronParser SPRING =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

  /** The macros, each a shorthand of a Spring expression (cron-utils knows them). */
  static final List<String> MACROS = List.of("@yearly", "@annually", "@monthly", "@weekly",
      "@daily", "@midnight", "@hourly");

  private static final List<String> UNIX_FIELDS = List.of("minute", "hour", "day-of-month",
      "month", "day-of-week");
  private static final List<String> SPRING_FIELDS = List.of("second", "minute", "hour",
      "day-of-month", "month", "day-of-week");

  /** Where {@link #parse} looks for a first slot, to refuse expressions that never fire. */
  private static final ZonedDateTime PROBE = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0,
      ZoneOffset.UTC);

  private static final String SHAPE = "must have 5 fields (minute hour day-of-month month "
      + "day-of-week), 6 fields with seconds first, or be one of " + String.join(", ", MACROS);

  private final Cron cron;
  private final ExecutionTime execution;

  private CronSlots(Cron cron, ExecutionTime execution) {
    this.cron = cron;
    this.execution = execution;
  }

  /**
   * The expression with its surrounding blanks removed and its inner blanks collapsed to one
   * space: the form {@link Schedule} keeps.
   */
  static String normalize(String expression) {
    return expression.strip().replaceAll("\\s+", " ");
  }

  /**
   * Parses a normalized expression.
   *
   * @throws ConfigException at {@code cron}, naming the field and its value when one field is
   *     wrong ({@code field 2 (hour): value 25 not in range [0, 23], was "25" in "0 25 * * *"})
   */
  static CronSlots parse(String expression) {
    Cron cron;
    if (expression.startsWith("@")) {
      String macro = expression.toLowerCase(Locale.ROOT);
      if (!MACROS.contains(macro)) {
        throw new ConfigException("cron", SHAPE + ", was " + JsonConfig.describe(expression));
      }
      cron = SPRING.parse(macro);
    } else {
      if (expression.indexOf('|') >= 0) {
        throw new ConfigException("cron", "\"|\" is not cron syntax (one expression per "
            + "schedule), was " + JsonConfig.describe(expression));
      }
      String[] fields = expression.split(" ");
      if (fields.length != 5 && fields.length != 6) {
        throw new ConfigException("cron", SHAPE + ", was " + JsonConfig.describe(expression)
            + " (" + fields.length + (fields.length == 1 ? " field)" : " fields)"));
      }
      CronParser parser = fields.length == 5 ? UNIX : SPRING;
      try {
        cron = parser.parse(expression);
      } catch (RuntimeException e) {
        throw locate(parser, fields, expression, e);
      }
    }
    ExecutionTime execution;
    try {
      execution = ExecutionTime.forCron(cron);
      if (execution.nextExecution(PROBE).isEmpty()) {
        throw new ConfigException("cron", "never fires (no date matches), was "
            + JsonConfig.describe(expression));
      }
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException("cron", detail(e) + ", was " + JsonConfig.describe(expression), e);
    }
    return new CronSlots(cron, execution);
  }

  /**
   * Finds the field that cron-utils refused: each field is parsed alone, the others replaced by
   * {@code *}. An expression whose fields are each valid but not together is reported whole.
   */
  private static ConfigException locate(CronParser parser, String[] fields, String expression,
      RuntimeException failure) {
    List<String> names = fields.length == 5 ? UNIX_FIELDS : SPRING_FIELDS;
    for (int i = 0; i < fields.length; i++) {
      String[] probe = new String[fields.length];
      Arrays.fill(probe, "*");
      probe[i] = fields[i];
      try {
        parser.parse(String.join(" ", probe));
      } catch (RuntimeException e) {
        return new ConfigException("cron", "field " + (i + 1) + " (" + names.get(i) + "): "
            + detail(e) + ", was " + JsonConfig.describe(fields[i]) + " in "
            + JsonConfig.describe(expression), e);
      }
    }
    return new ConfigException("cron", detail(failure) + ", was "
        + JsonConfig.describe(expression), failure);
  }

  /** cron-utils' message without its generic prefix: {@code value 25 not in range [0, 23]}. */
  private static String detail(RuntimeException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "invalid (" + e.getClass().getSimpleName() + ")";
    }
    m = m.strip();
    String prefix = "Failed to parse cron expression.";
    if (m.startsWith(prefix)) {
      m = m.substring(prefix.length()).strip();
    }
    if (m.endsWith(".")) {
      m = m.substring(0, m.length() - 1);
    }
    if (m.length() > 200) {
      m = m.substring(0, 200) + "...";
    }
    return m.isEmpty() ? "invalid" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  /**
   * The first slot strictly after {@code t}, as an instant, with the daylight-saving rules of the
   * class comment; empty when there is none or it cannot be represented.
   */
  Optional<Instant> after(Instant t, ZoneId zone) {
    try {
      ZoneRules rules = zone.getRules();
      ZonedDateTime at = t.atZone(zone);
      LocalDateTime from = at.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS);
      if (!at.withEarlierOffsetAtOverlap().getOffset().equals(at.getOffset())) {
        // t is in the second pass of a repeated hour: every local slot of that hour was resolved
        // to its first pass, which is over, so the next one is at or after the overlap's end.
        ZoneOffsetTransition overlap = rules.getTransition(at.toLocalDateTime());
        from = overlap.getDateTimeBefore().minusSeconds(1);
      }
      // The mapping never decreases and is past t after from (see the class comment); the loop
      // only guards against a surprise in the zone rules.
      for (int i = 0; i < 1000; i++) {
        Optional<ZonedDateTime> next = execution.nextExecution(from.atZone(ZoneOffset.UTC));
        if (next.isEmpty()) {
          return Optional.empty();
        }
        LocalDateTime slot = next.get().toLocalDateTime();
        Instant instant = resolve(slot, rules);
        if (instant.isAfter(t)) {
          return Optional.of(instant);
        }
        from = slot;
      }
      return Optional.empty();
    } catch (DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /**
   * The instant of a local slot: as is when it exists once, the end of the gap in a
   * spring-forward gap, the first occurrence in a repeated hour.
   */
  static Instant resolve(LocalDateTime slot, ZoneRules rules) {
    List<ZoneOffset> offsets = rules.getValidOffsets(slot);
    if (offsets.size() == 1) {
      return slot.toInstant(offsets.get(0));
    }
    ZoneOffsetTransition transition = rules.getTransition(slot);
    return offsets.isEmpty() ? transition.getInstant()
        : slot.toInstant(transition.getOffsetBefore());
  }

  /**
   * cron-utils' English description, lightly edited: "at 03:00 every day", "at 00:00 on Sunday",
   * "at 00:00 on day 1 in January".
   */
  String describe() {
    String d = CronDescriptor.instance(Locale.ENGLISH).describe(cron).strip();
    d = d.replaceAll("\\bat (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) day\\b",
        "on $1");
    d = d.replaceAll("\\bat (\\d{1,2}) day\\b", "on day $1");
    d = d.replaceAll("\\bat (January|February|March|April|May|June|July|August|September|October"
        + "|November|December) month\\b", "in $1");
    // A time of day on no particular day: say that it is every day.
    if (d.startsWith("at ") && !any(CronFieldName.HOUR) && any(CronFieldName.DAY_OF_MONTH)
        && any(CronFieldName.MONTH) && any(CronFieldName.DAY_OF_WEEK)) {
      d += " every day";
    }
    return d;
  }

  /** Whether the field matches every value ({@code *} or {@code ?}). */
  private boolean any(CronFieldName name) {
    if (cron.retrieve(name) == null) {
      return true;
    }
    FieldExpression e = cron.retrieve(name).getExpression();
    return e instanceof Always || e instanceof QuestionMark;
  }
}
