package dev.background;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link Backoff.Builder#retryOn} and {@link Backoff.Builder#abortOn}: which failures are retried
 * and which end the task in FAILED, from Java and from JSON (class names).
 */
@ExtendWith(VertxExtension.class)
class RetryOnAbortOnTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff FAST = Backoff.fixed(Duration.ofMillis(1));

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  /** Runs a task that throws {@code failures} in turn, then loops until cancelled. */
  private TaskHandle throwing(String name, Backoff backoff, Exception... failures) {
    AtomicInteger runs = new AtomicInteger();
    return tasks.run(name, ctx -> {
      int run = runs.getAndIncrement();
      if (run < failures.length) {
        throw failures[run];
      }
      ctx.onCancel().toCompletionStage().toCompletableFuture().join();
    }, backoff, RunOption.exactName());
  }

  private static TaskHandle awaitState(TaskHandle h, TaskState state) {
    await().atMost(WAIT).until(() -> h.status().state() == state);
    return h;
  }

  @Test
  void anAbortOnFailureEndsTheTaskFailedAtOnce() {
    TaskHandle h = throwing("abort", FAST.toBuilder().abortOn(IllegalArgumentException.class)
        .build(), new IllegalArgumentException("bad url"));

    awaitState(h, TaskState.FAILED);

    assertThat(h.status().runs()).isEqualTo(1);
    assertThat(h.status().lastError().type()).isEqualTo(IllegalArgumentException.class.getName());
  }

  @Test
  void aSubclassOfAnAbortOnTypeAbortsToo() {
    TaskHandle h = throwing("abort-sub", FAST.toBuilder().abortOn(IOException.class).build(),
        new FileNotFoundException("gone"));

    awaitState(h, TaskState.FAILED);
  }

  @Test
  void otherFailuresAreRetried() {
    TaskHandle h = throwing("retried", FAST.toBuilder().abortOn(IllegalArgumentException.class)
        .build(), new IllegalStateException("a"), new IllegalStateException("b"));

    await().atMost(WAIT).until(() -> h.status().runs() == 3
        && h.status().state() == TaskState.RUNNING);
    assertThat(h.status().failures()).isEqualTo(2);
  }

  @Test
  void withRetryOnOnlyThoseFailuresAreRetried() {
    Backoff onlyIo = FAST.toBuilder().retryOn(IOException.class).build();
    TaskHandle io = throwing("io", onlyIo, new IOException("reset"), new IOException("reset"));
    TaskHandle other = throwing("other", onlyIo, new IOException("reset"),
        new IllegalStateException("bug"));

    await().atMost(WAIT).until(() -> io.status().runs() == 3
        && io.status().state() == TaskState.RUNNING);
    awaitState(other, TaskState.FAILED);
    assertThat(other.status().runs()).isEqualTo(2);
    assertThat(other.status().lastError().type()).isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void abortOnWinsOverRetryOn() {
    TaskHandle h = throwing("both", FAST.toBuilder().retryOn(IOException.class)
        .abortOn(FileNotFoundException.class).build(), new FileNotFoundException("gone"));

    awaitState(h, TaskState.FAILED);
  }

  @Test
  void aRetryAfterIsRetriedWhateverTheClassification() {
    TaskHandle h = throwing("retry-after", FAST.toBuilder().abortOn(IOException.class).build(),
        new RetryAfter(Duration.ofMillis(1), new IOException("429")));

    await().atMost(WAIT).until(() -> h.status().runs() == 2
        && h.status().state() == TaskState.RUNNING);
  }

  @Test
  void aRunTimeoutIsClassifiedAsATimeoutException() {
    TaskHandle h = tasks.run("slow", ctx -> ctx.onCancel().toCompletionStage()
        .toCompletableFuture().join(), FAST.toBuilder().retryOn(IOException.class).build(),
        RunOption.exactName(), RunOption.runTimeout(Duration.ofMillis(20)));

    awaitState(h, TaskState.FAILED);
    assertThat(h.status().lastError().type()).isEqualTo(TimeoutException.class.getName());
  }

  @Test
  void theClassificationReadsOnlyTheFailureItselfNotItsCause() {
    Backoff b = FAST.toBuilder().abortOn(IOException.class).build();

    assertThat(b.retries(new IOException())).isFalse();
    assertThat(b.retries(new UncheckedIOException(new IOException()))).isTrue();
    assertThat(Backoff.defaults().retries(new Error())).isTrue();
  }

  @Test
  void theJsonFormNamesTheClassesAndReadsBack() {
    Backoff b = Backoff.fromJson(new JsonObject()
        .put("retryOn", new JsonArray().add("java.io.IOException"))
        .put("abortOn", new JsonArray().add("java.io.FileNotFoundException")), Backoff.defaults());

    assertThat(b.retryOn()).containsExactly(IOException.class);
    assertThat(b.abortOn()).containsExactly(FileNotFoundException.class);
    assertThat(b.toJson().getJsonArray("retryOn").getList()).containsExactly("java.io.IOException");
    assertThat(Backoff.fromJson(b.toJson(), Backoff.defaults())).isEqualTo(b);
    assertThat(Backoff.defaults().toJson().containsKey("retryOn")).isFalse();
  }

  @Test
  void anUnknownClassIsReportedAtItsIndex() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Backoff.fromJson(
        new JsonObject().put("retryOn", new JsonArray().add("java.io.IOException")
            .add("com.example.Nope")), Backoff.defaults()));

    assertThat(e.getMessage()).isEqualTo("retryOn[1]: no such class, was \"com.example.Nope\"");
  }

  @Test
  void aClassThatIsNotAThrowableIsRefused() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Backoff.fromJson(
        new JsonObject().put("abortOn", new JsonArray().add("java.lang.String")),
        Backoff.defaults()));

    assertThat(e.getMessage())
        .isEqualTo("abortOn[0]: must be a subclass of java.lang.Throwable, was \"java.lang.String\"");
  }

  @Test
  void aDeclaredTaskTakesThemFromItsBackoffObject() {
    dev.background.verticle.TasksVerticleOptions o = new dev.background.verticle.TasksVerticleOptions(
        new JsonObject().put("tasks", new JsonArray().add(new JsonObject().put("name", "t")
            .put("class", TestTasks.name(TestTasks.Waits.class))
            .put("backoff", new JsonObject().put("abortOn",
                new JsonArray().add("java.lang.IllegalArgumentException"))))));

    assertThat(o.getTasks().get(0).getBackoff().abortOn())
        .isEqualTo(List.of(IllegalArgumentException.class));
  }

  @Test
  void aNullTypeIsRefusedByTheBuilder() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> Backoff.builder().retryOn(IOException.class, null));

    assertThat(e.getMessage()).isEqualTo("retryOn: must not contain null");
  }
}
