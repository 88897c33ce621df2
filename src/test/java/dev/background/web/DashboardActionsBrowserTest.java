package dev.background.web;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.SingletonLocks;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.background.web.WebFixtures.awaitState;
import static dev.background.web.WebFixtures.backingOff;
import static dev.background.web.WebFixtures.gaveUp;
import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as a place to act from, in real headless chromium: buttons that act and answer
 * in the page, the token asked once and kept in the tab's sessionStorage, the detail view, the
 * health banner, STANDBY and SCHEDULED as states of their own, task data shown as text only, and
 * paging through a long list. The schedule cases need the schedule engine.
 */
@ExtendWith(VertxExtension.class)
class DashboardActionsBrowserTest {

  private static final String TOKEN = "dash-Board.token~7";
  private static final String TOKEN_KEY = "vertx-background.controlToken";

  private Vertx vertx;
  private Tasks tasks;
  private Chromium browser;
  private final List<HttpServer> servers = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    browser = Chromium.start();
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach
  void tearDown() {
    if (browser != null) {
      browser.close();
    }
    if (tasks != null) {
      tasks.close().await();
    }
    servers.forEach(s -> s.close().await());
  }

  /** Serves the dashboard of {@code tracker} at /ops/ and opens it; returns its URL. */
  private String open(Tasks tracker, TasksWebOptions options) {
    HttpServer server = TasksHttpServer.start(vertx, tracker, options.setRoot("/ops")).await();
    servers.add(server);
    String url = "http://127.0.0.1:" + server.actualPort() + "/ops/";
    browser.driver.get(url);
    return url;
  }

  private String openWithControl() {
    return open(tasks, new TasksWebOptions().setControlToken(TOKEN));
  }

  private void typeToken(String token) {
    browser.wait.until(d -> browser.shown("token-panel"));
    browser.driver.findElement(By.id("token-input")).sendKeys(token);
    browser.driver.findElement(By.id("token-save")).click();
  }

  private String notice() {
    return browser.text("notice");
  }

  // ---------------------------------------------------------------- acting

  @Test
  void clickingPauseAsksTheTokenOnceThenPausesAndTheRowShowsIt() throws IOException {
    TaskHandle poller = backingOff(tasks, "poller", "upstream answered 503");
    running(tasks, "worker");
    String url = openWithControl();
    browser.wait.until(d -> browser.button("poller", "pause") != null);

    browser.button("poller", "pause").click();
    typeToken(TOKEN);

    browser.wait.until(d -> "PAUSED".equals(browser.state("poller")));
    assertThat(poller.status().state()).isEqualTo(TaskState.PAUSED);
    assertThat(notice()).isEqualTo("poller: paused (now PAUSED)");
    // The row now offers resume; the token is kept for the tab, and asked no more.
    browser.wait.until(d -> browser.button("poller", "resume") != null);
    browser.wait.until(d -> browser.button("worker", "pause") != null);
    browser.button("worker", "pause").click();
    browser.wait.until(d -> notice().startsWith("worker: paused"));
    assertThat(browser.shown("token-panel")).isFalse();
    assertThat(browser.js("return sessionStorage.getItem(arguments[0])", TOKEN_KEY)).isEqualTo(TOKEN);
    assertThat(browser.js("return localStorage.length")).isEqualTo(0L);
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(url).doesNotContain(TOKEN);
    browser.screenshot("dashboard-actions.png");
  }

  @Test
  void aWrongTokenShowsThe403MessageAndIsNotKept() {
    TaskHandle poller = backingOff(tasks, "poller", "upstream answered 503");
    openWithControl();
    browser.wait.until(d -> browser.button("poller", "pause") != null);

    browser.button("poller", "pause").click();
    typeToken("not-the-token");

    browser.wait.until(d -> notice().equals("403: the bearer token is not the control token"));
    assertThat(browser.driver.findElement(By.id("notice")).getAttribute("class")).isEqualTo("error");
    assertThat(browser.js("return sessionStorage.getItem(arguments[0])", TOKEN_KEY)).isNull();
    assertThat(poller.status().paused()).isFalse();
  }

  @Test
  void aTokenTheServerRefusesShowsItsMessageAfterTheAction() {
    TaskHandle poller = backingOff(tasks, "poller", "upstream answered 503");
    String url = openWithControl();
    browser.js("sessionStorage.setItem(arguments[0], 'stale-token')", TOKEN_KEY);
    browser.driver.get(url);
    browser.wait.until(d -> browser.button("poller", "pause") != null);

    browser.button("poller", "pause").click();

    browser.wait.until(d -> notice().equals("403: the bearer token is not the control token"));
    assertThat(poller.status().paused()).isFalse();
    // The refused token is forgotten: the next action asks for one.
    assertThat(browser.js("return sessionStorage.getItem(arguments[0])", TOKEN_KEY)).isNull();
  }

  @Test
  void aRefusedActionAnswersInThePageWithTheServersMessage() {
    TaskHandle h = running(tasks, "worker");
    h.cancel().await();
    openWithControl();
    browser.wait.until(d -> browser.button("worker", "start") != null);

    browser.button("worker", "start").click();
    typeToken(TOKEN);

    // This router knows no declared task: the start route answers 404, and the page says so.
    browser.wait.until(d -> notice().equals("404: no task named \"worker\""));
  }

  @Test
  void cancelAsksForASecondClick() {
    TaskHandle worker = running(tasks, "worker");
    openWithControl();
    browser.js("sessionStorage.setItem(arguments[0], arguments[1])", TOKEN_KEY, TOKEN);
    browser.driver.navigate().refresh();
    browser.wait.until(d -> browser.button("worker", "cancel") != null);

    browser.button("worker", "cancel").click();
    browser.wait.until(d -> "Confirm cancel".equals(browser.button("worker", "cancel").getText()));
    assertThat(worker.status().state()).isEqualTo(TaskState.RUNNING);
    browser.button("worker", "cancel").click();

    browser.wait.until(d -> "CANCELLED".equals(browser.state("worker")));
    assertThat(worker.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void withoutControlThereAreNoButtons() {
    running(tasks, "worker");
    open(tasks, new TasksWebOptions());
    browser.wait.until(d -> "RUNNING".equals(browser.state("worker")));

    assertThat(browser.cell("worker", "actions").isDisplayed()).isFalse();
    assertThat(browser.driver.findElements(By.cssSelector("#rows button[data-action]"))).isEmpty();
    assertThat(browser.shown("token-button")).isFalse();
  }

  // ---------------------------------------------------------------- text only

  @Test
  void htmlInANameOrAnErrorIsShownAsTextAndRunsNoScript() {
    String name = "<img src=x onerror=window.pwned=1>";
    String message = "<script>window.pwned=2</script><img src=y onerror=window.pwned=3>";
    gaveUp(tasks, name, message);
    openWithControl();
    browser.wait.until(d -> browser.hasRow(name));

    assertThat(browser.cell(name, "task").getText()).contains(name);
    assertThat(browser.cell(name, "error").getText()).contains(message);
    browser.wait.until(d -> browser.text("health-reasons").contains(name));
    browser.row(name).findElement(By.cssSelector(".name-link")).click();
    browser.wait.until(d -> browser.text("detail-body").contains(message));
    assertThat(browser.text("detail-title")).isEqualTo(name);

    assertThat(browser.driver.findElements(By.cssSelector("body img"))).isEmpty();
    assertThat(browser.driver.findElements(By.cssSelector("body script"))).hasSize(1);
    assertThat(browser.js("return typeof window.pwned")).isEqualTo("undefined");
  }

  // ---------------------------------------------------------------- health, states, order

  @Test
  void theBannerSaysWhyHealthIsDown() {
    running(tasks, "worker");
    open(tasks, new TasksWebOptions());
    browser.wait.until(d -> "RUNNING".equals(browser.state("worker")));
    assertThat(browser.shown("health-banner")).isFalse();

    gaveUp(tasks, "ledger-sync", "ledger database unreachable");

    browser.wait.until(d -> browser.shown("health-banner"));
    assertThat(browser.text("health-reasons")).isEqualTo("task ledger-sync gave up after 1 consecutive"
        + " failures; last error: java.lang.IllegalStateException: ledger database unreachable");
  }

  @Test
  void standbyHasAColourAndACount() {
    // Locks that another node always holds: the singleton stands by.
    Tasks standby = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5))
        .setSingletonLocks(new SingletonLocks() {
          @Override
          public Future<Long> tryAcquire(String task) {
            return Future.succeededFuture(null);
          }

          @Override
          public Future<Void> release(String task) {
            return Future.succeededFuture();
          }
        }));
    try {
      awaitState(standby.run("leader", WebFixtures.UNTIL_CANCELLED, WebFixtures.LONG,
          RunOption.exactName(), RunOption.singleton()), TaskState.STANDBY);
      open(standby, new TasksWebOptions());

      browser.wait.until(d -> "STANDBY".equals(browser.state("leader")));
      WebElement chip = browser.driver.findElement(By.cssSelector("#summary .chip[data-state='STANDBY']"));
      assertThat(chip.getText()).isEqualTo("1 STANDBY");
      String total = browser.driver.findElement(By.cssSelector("#summary .chip:not([data-state])"))
          .getCssValue("background-color");
      assertThat(chip.getCssValue("background-color")).isNotEqualTo(total);
    } finally {
      standby.close().await();
    }
  }

  @Test
  void rowsSortBySeverityThenByNameWithTheToggle() {
    running(tasks, "a-worker");
    backingOff(tasks, "b-poller", "upstream answered 503");
    gaveUp(tasks, "c-ledger", "down");
    open(tasks, new TasksWebOptions());
    browser.wait.until(d -> browser.rows().size() == 3);

    assertThat(browser.rows()).containsExactly("c-ledger", "b-poller", "a-worker");
    browser.driver.findElement(By.id("sort")).click();
    browser.wait.until(d -> browser.rows().get(0).equals("a-worker"));
    assertThat(browser.rows()).containsExactly("a-worker", "b-poller", "c-ledger");
  }

  // ---------------------------------------------------------------- the detail view

  @Test
  void theDetailViewShowsOptionsBackoffRunsAndTheStackTraceOnlyWithControl() throws IOException {
    TaskHandle h = tasks.run("poller", ctx -> {
      throw new IllegalStateException("upstream answered 503");
    }, Backoff.fixed(Duration.ofMillis(50)).toBuilder().maxAttempts(3).build(),
        RunOption.exactName(), RunOption.runTimeout(Duration.ofSeconds(30)));
    awaitState(h, TaskState.GAVE_UP);
    openWithControl();
    browser.wait.until(d -> browser.hasRow("poller"));

    browser.row("poller").findElement(By.cssSelector(".name-link")).click();
    browser.wait.until(d -> !d.findElements(By.cssSelector("#detail [data-detail='runs']")).isEmpty());

    String body = browser.text("detail-body");
    assertThat(body).contains("maxAttempts").contains("runTimeout").contains("30s");
    assertThat(browser.driver.findElements(By.cssSelector("#detail [data-detail='runs'] tbody tr")))
        .hasSize(3).allSatisfy(tr -> assertThat(tr.getAttribute("data-outcome")).isEqualTo("failure"));
    assertThat(browser.driver.findElement(By.cssSelector("#detail [data-detail='last-error']")).getText())
        .contains("IllegalStateException: upstream answered 503");
    assertThat(browser.driver.findElements(By.cssSelector("#detail [data-detail='stack-trace']"))).isEmpty();
    assertThat(body).contains("Stack trace hidden");

    browser.driver.findElement(By.id("token-button")).click();
    typeToken(TOKEN);

    browser.wait.until(d -> !d.findElements(By.cssSelector("#detail [data-detail='stack-trace']")).isEmpty());
    assertThat(browser.driver.findElement(By.cssSelector("#detail [data-detail='stack-trace']")).getText())
        .startsWith("java.lang.IllegalStateException: upstream answered 503")
        .contains("at dev.background.web.DashboardActionsBrowserTest");
    browser.screenshot("dashboard-detail.png");
  }

  @Test
  void theDetailViewSaysHowLongATaskHasBeenRunning() {
    running(tasks, "worker");
    open(tasks, new TasksWebOptions());
    browser.wait.until(d -> browser.hasRow("worker"));

    browser.row("worker").findElement(By.cssSelector(".name-link")).click();

    browser.wait.until(d -> !d.findElements(By.cssSelector("#detail [data-detail='running-since']")).isEmpty());
    assertThat(browser.driver.findElement(By.cssSelector("#detail [data-detail='running-since']")).getText())
        .endsWith(" ago)");
    assertThat(browser.text("detail-body")).contains("initialInterval").contains("maxAttempts");
  }

  // ---------------------------------------------------------------- schedules

  @Test
  void aScheduleShowsItsDescriptionNextFireAndCountsAndItsTriggerFiresIt() {
    TaskHandle nightly = tasks.schedule("nightly", Schedule.every(Duration.ofDays(1))
        .startingAt(Instant.now().plus(Duration.ofDays(1))), ctx -> { }, RunOption.exactName());
    awaitState(nightly, TaskState.SCHEDULED);
    String description = nightly.status().schedule().describe();
    openWithControl();
    browser.wait.until(d -> "SCHEDULED".equals(browser.state("nightly")));

    assertThat(browser.cell("nightly", "task").findElement(By.cssSelector("[data-schedule]")).getText())
        .isEqualTo(description);
    assertThat(browser.cell("nightly", "task").findElement(By.cssSelector("[data-fires]")).getText())
        .isEqualTo("0 fired · 0 missed · 0 skipped");
    browser.wait.until(d -> browser.cell("nightly", "next").getText().startsWith("fires in "));
    assertThat(browser.driver.findElement(By.cssSelector("#summary .chip[data-state='SCHEDULED']")).getText())
        .isEqualTo("1 SCHEDULED");

    browser.button("nightly", "trigger").click();
    typeToken(TOKEN);

    browser.wait.until(d -> notice().startsWith("nightly: triggered"));
    await().atMost(WebFixtures.WAIT).until(() -> nightly.status().fires() == 1);
    browser.wait.until(d -> browser.cell("nightly", "task").getText().contains("1 fired"));
  }

  // ---------------------------------------------------------------- paging

  /**
   * More than 500 tasks: the page asks {@code tasks?limit=500} and follows {@code next} with
   * {@code after}. The list here is served by the test under the contract of {@code GET /tasks}
   * with {@code limit} and {@code after} (the body {@code {"tasks": [...], "next": name|null}}),
   * in front of the router, so that the page's side is checked whatever the server does.
   */
  @Test
  void moreThan500TasksArePagedWithLimitAndAfter() {
    List<JsonObject> all = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      String name = String.format("task-%04d", i);
      Instant at = Instant.parse("2026-01-01T10:00:00Z");
      all.add(new TaskStatus(name, name, TaskKind.ONCE, TaskState.COMPLETED, 1, 1, 0, 0, 0, 0, 1,
          false, at, at, null, null, null, Map.of(), "local", null, List.of()).toJson());
    }
    List<String> queries = new CopyOnWriteArrayList<>();
    Router app = Router.router(vertx);
    app.get("/ops/tasks").handler(ctx -> {
      queries.add(ctx.request().query());
      int limit = Integer.parseInt(ctx.queryParam("limit").get(0));
      String after = ctx.queryParam("after").isEmpty() ? null : ctx.queryParam("after").get(0);
      List<JsonObject> page = new ArrayList<>();
      for (JsonObject t : all) {
        if ((after == null || t.getString("name").compareTo(after) > 0) && page.size() < limit) {
          page.add(t);
        }
      }
      String last = page.isEmpty() ? null : page.get(page.size() - 1).getString("name");
      boolean more = last != null && !last.equals(all.get(all.size() - 1).getString("name"));
      ctx.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("tasks", new JsonArray(new ArrayList<>(page)))
              .put("next", more ? last : null).encode());
    });
    app.get("/ops/tasks/summary").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("total", 1200).put("states", new JsonObject().put("COMPLETED", 1200))
            .encode()));
    app.route("/ops/*").subRouter(TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    HttpServer server = WebFixtures.serve(vertx, app);
    servers.add(server);
    browser.driver.get("http://127.0.0.1:" + server.actualPort() + "/ops/");

    browser.wait.until(d -> browser.rows().size() == 500);
    assertThat(browser.rows().get(0)).isEqualTo("task-0000");
    assertThat(browser.shown("pager")).isTrue();
    assertThat(browser.driver.findElement(By.cssSelector("#summary .chip")).getText()).isEqualTo("1200 tasks");
    assertThat(queries).allMatch(q -> q.equals("limit=500"));

    browser.driver.findElement(By.id("page-next")).click();
    browser.wait.until(d -> browser.rows().get(0).equals("task-0500"));
    assertThat(browser.rows()).hasSize(500).last().isEqualTo("task-0999");
    assertThat(queries).contains("limit=500&after=task-0499");

    browser.driver.findElement(By.id("page-next")).click();
    browser.wait.until(d -> browser.rows().get(0).equals("task-1000"));
    assertThat(browser.rows()).hasSize(200);
    browser.wait.until(d -> !d.findElement(By.id("page-next")).isEnabled());

    browser.driver.findElement(By.id("page-prev")).click();
    browser.wait.until(d -> browser.rows().get(0).equals("task-0500"));
    browser.driver.findElement(By.id("page-first")).click();
    browser.wait.until(d -> browser.rows().get(0).equals("task-0000"));
  }

  @Test
  void aServerThatDoesNotPageShowsEveryTaskWithoutAPager() {
    for (int i = 0; i < 3; i++) {
      running(tasks, "worker-" + i);
    }
    open(tasks, new TasksWebOptions());

    browser.wait.until(d -> browser.rows().size() == 3);
    assertThat(browser.shown("pager")).isFalse();
  }
}
