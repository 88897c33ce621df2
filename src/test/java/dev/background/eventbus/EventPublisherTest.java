package dev.background.eventbus;

import dev.background.TaskEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What {@link EventPublisher} puts on the bus: each event's wire type and fields, in order. */
@ExtendWith(VertxExtension.class)
class EventPublisherTest {

  private static final Instant AT = Instant.parse("2026-03-29T01:00:00.250Z");
  private static final Instant SLOT = Instant.parse("2026-03-29T01:00:00Z");

  private List<JsonObject> publish(Vertx vertx, TaskEvent... events) {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer("test.events",
        m -> received.add(m.body()));
    consumer.completion().await();
    EventPublisher publisher = new EventPublisher(vertx, vertx.getOrCreateContext(), "test.events");
    for (TaskEvent e : events) {
      publisher.handle(e);
    }
    publisher.flush().await();
    await().until(() -> received.size() == events.length);
    return received;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = TaskEvent.Type.class, names = {"FIRED", "MISSED", "SKIPPED"})
  void scheduleEventsCarryTheirWireTypeAndSlot(TaskEvent.Type type, Vertx vertx) {
    List<JsonObject> got = publish(vertx, new TaskEvent("nightly", type, AT, 0, -1, null, SLOT));

    assertThat(got.get(0)).isEqualTo(new JsonObject().put("task", "nightly")
        .put("event", type.wireName()).put("at", AT.toString()).put("attempt", 0)
        .put("slot", SLOT.toString()));
  }

  @Test
  void wireTypesOfTheScheduleAndFencingEvents() {
    assertThat(List.of(TaskEvent.Type.FIRED, TaskEvent.Type.MISSED, TaskEvent.Type.SKIPPED,
        TaskEvent.Type.FENCED)).extracting(TaskEvent.Type::wireName)
        .containsExactly("fired", "missed", "skipped", "fenced");
  }

  @Test
  void aFencedEventHasNoSlotField(Vertx vertx) {
    List<JsonObject> got = publish(vertx, new TaskEvent("leader", TaskEvent.Type.FENCED, AT, 3, -1, null));

    assertThat(got.get(0).getString("event")).isEqualTo("fenced");
    assertThat(got.get(0).containsKey("slot")).isFalse();
  }

  @Test
  void eventsArePublishedInTheOrderTheyCame(Vertx vertx) {
    List<JsonObject> got = publish(vertx,
        new TaskEvent("nightly", TaskEvent.Type.FIRED, AT, 0, -1, null, SLOT),
        new TaskEvent("nightly", TaskEvent.Type.STARTED, AT, 1, -1, null, SLOT),
        new TaskEvent("nightly", TaskEvent.Type.SKIPPED, AT, 1, -1, null, SLOT.plusSeconds(60)));

    assertThat(got).extracting(j -> j.getString("event")).containsExactly("fired", "started", "skipped");
  }
}
