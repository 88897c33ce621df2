package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads the JSON form of a {@link Schedule}: see {@link Schedule#fromJson(JsonObject)}. */
final class ScheduleJson {

  private ScheduleJson() {
  }

  /** See {@link Schedule#fromJson(JsonObject)}. */
  static Schedule read(JsonObject json) {
    Objects.requireNonNull(json, "json");
    JsonConfig.knownKeys(json, Schedule.KEYS);
    List<String> kinds = new ArrayList<>();
    for (String key : Schedule.KIND_KEYS) {
      if (json.containsKey(key)) {
        kinds.add(key);
      }
    }
    if (kinds.isEmpty()) {
      throw new ConfigException("every|fixedRate|cron", "exactly one is required, found none");
    }
    if (kinds.size() > 1) {
      throw new ConfigException(kinds.get(1), "conflicts with " + kinds.get(0)
          + " (a schedule has exactly one of every, fixedRate or cron)");
    }
    String kindKey = kinds.get(0);
    Object value = json.getValue(kindKey);
    Schedule s;
    switch (kindKey) {
      case "every":
        s = Schedule.every(JsonConfig.duration(kindKey, value));
        break;
      case "fixedRate":
        s = Schedule.fixedRate(JsonConfig.duration(kindKey, value));
        break;
      default:
        s = Schedule.cron(JsonConfig.string(kindKey, value));
        break;
    }
    if (json.containsKey("zone")) {
      s = s.inZone(zone(json.getValue("zone")));
    }
    if (json.containsKey("jitter")) {
      s = s.withJitter(JsonConfig.duration("jitter", json.getValue("jitter")));
    }
    if (json.containsKey("overlap")) {
      s = s.withOverlap(Overlap.fromWireName(JsonConfig.string("overlap",
          json.getValue("overlap"))));
    }
    if (json.containsKey("misfire")) {
      s = s.withMisfire(Misfire.fromWireName(JsonConfig.string("misfire",
          json.getValue("misfire"))));
    }
    if (json.containsKey("startingDeadline")) {
      s = s.withStartingDeadline(JsonConfig.duration("startingDeadline",
          json.getValue("startingDeadline")));
    }
    if (json.containsKey("startAt")) {
      s = s.startingAt(instant("startAt", json.getValue("startAt")));
    }
    if (json.containsKey("until")) {
      s = s.until(instant("until", json.getValue("until")));
    }
    if (json.containsKey("retry")) {
      JsonObject retry = JsonConfig.object("retry", json.getValue("retry"));
      try {
        s = s.withRetry(Backoff.fromJson(retry, Backoff.defaults()));
      } catch (ConfigException e) {
        throw e.under("retry");
      }
    }
    return s;
  }

  private static ZoneId zone(Object value) {
    String id = JsonConfig.string("zone", value);
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new ConfigException("zone", "must be a time-zone ID such as \"Europe/Paris\" or "
          + "\"UTC\", was " + JsonConfig.describe(id));
    }
  }

  private static Instant instant(String key, Object value) {
    String text = JsonConfig.string(key, value);
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new ConfigException(key, "must be an ISO-8601 instant such as "
          + "\"2030-01-01T00:00:00Z\", was " + JsonConfig.describe(text));
    }
  }
}
