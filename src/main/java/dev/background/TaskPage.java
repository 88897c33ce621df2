package dev.background;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * TaskPage is one page of the task list ({@link Tasks#list(int, String)}): statuses sorted by full
 * name, and the cursor of the next page. Immutable.
 *
 * <p>JSON: {@code {"tasks": [status, ...], "next": "com.acme.Billing.start.poller"}}, where each
 * status is {@link TaskStatus#toJson()} and {@code next} is JSON {@code null} on the last page.
 *
 * @param tasks the statuses of the page, sorted by full name
 * @param next the full name to pass as {@code after} for the next page, or {@code null} when no
 *     task follows this page
 */
public record TaskPage(List<TaskStatus> tasks, String next) {

  /** Copies the list; {@code null} means an empty page. */
  public TaskPage {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  /** This page as JSON; see the class comment. */
  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(tasks.size()));
    for (TaskStatus s : tasks) {
      array.add(s.toJson());
    }
    return new JsonObject().put("tasks", array).put("next", next);
  }

  /**
   * This page as the UTF-8 bytes of {@link #toJson()}, written straight from the statuses (see
   * {@link TaskStatus#encodeToBuffer(List)}).
   */
  public Buffer toBuffer() {
    return JsonBytes.page(tasks, next);
  }

  /** Reads what {@link #toJson()} wrote. */
  public static TaskPage fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("tasks", new JsonArray());
    List<TaskStatus> all = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      all.add(TaskStatus.fromJson(array.getJsonObject(i)));
    }
    return new TaskPage(all, json.getString("next"));
  }
}
