package dev.background.web;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static dev.background.web.WebFixtures.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: Debian's chromium driven by Selenium through chromedriver.
 * The page must render a row per task with its state, then show a task's failure on its own
 * (it polls), at desktop and phone widths. Screenshots go to {@code target/}.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {

  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Duration UI_WAIT = Duration.ofSeconds(15);

  private Tasks tasks;
  private HttpServer server;
  private ChromeDriverService service;
  private WebDriver driver;
  private final CountDownLatch failPoller = new CountDownLatch(1);

  @BeforeEach
  void setUp(Vertx vertx) throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    server = TasksHttpServer.start(vertx, tasks, new TasksWebOptions().setRoot("/ops")).await();

    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,800");
    // The console, to see that the page ran without a Content-Security-Policy violation.
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    driver = new ChromeDriver(service, options);
  }

  @AfterEach
  void tearDown() {
    failPoller.countDown();
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (tasks != null) {
      tasks.close().await();
    }
  }

  private WebElement cell(String task, String field) {
    return driver.findElement(By.cssSelector("tr[data-task='" + task + "'] td[data-field='" + field + "']"));
  }

  private String state(String task) {
    List<WebElement> badges = driver.findElements(
        By.cssSelector("tr[data-task='" + task + "'] td[data-field='state'] .badge"));
    return badges.isEmpty() ? null : badges.get(0).getAttribute("data-state");
  }

  private List<String> renderedTasks() {
    return driver.findElements(By.cssSelector("#rows tr")).stream()
        .map(tr -> tr.getAttribute("data-task")).collect(Collectors.toList());
  }

  /** Resizes the window so that the page itself (the viewport) is {@code width} x {@code height}. */
  private void viewport(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    JavascriptExecutor js = (JavascriptExecutor) driver;
    long innerW = ((Number) js.executeScript("return window.innerWidth")).longValue();
    long innerH = ((Number) js.executeScript("return window.innerHeight")).longValue();
    driver.manage().window().setSize(new Dimension(width + (int) (width - innerW),
        height + (int) (height - innerH)));
  }

  private void screenshot(String name) throws IOException {
    Path target = Paths.get("target", name);
    Files.createDirectories(target.getParent());
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).isPositive();
  }

  @Test
  void dashboardRendersTasksAndShowsAFailureAsItHappens() throws IOException {
    TaskHandle refresher = awaitState(tasks.run("cache-refresher", WebFixtures.UNTIL_CANCELLED,
        Backoff.defaults(), RunOption.exactName()), TaskState.RUNNING);
    tasks.runAsync("heartbeat", ctx -> Future.succeededFuture(), Backoff.fixed(Duration.ofMillis(400)),
        RunOption.exactName());
    awaitState(tasks.once("warm-up", ctx -> { }, RunOption.exactName()), TaskState.COMPLETED);
    TaskHandle poller = awaitState(tasks.run("poller", ctx -> {
      failPoller.await();
      throw new IllegalStateException("upstream answered 503");
    }, Backoff.fixed(Duration.ofSeconds(60)), RunOption.exactName()), TaskState.RUNNING);
    TaskHandle doomed = awaitState(tasks.run("ledger-sync", ctx -> {
      throw new IllegalStateException("ledger database unreachable");
    }, WebFixtures.GIVE_UP_AT_ONCE, RunOption.exactName()), TaskState.GAVE_UP);

    driver.get("http://127.0.0.1:" + server.actualPort() + "/ops/");
    viewport(1280, 800);
    // The page re-renders a cell when its content changes: an element found a moment ago may be gone.
    WebDriverWait wait = new WebDriverWait(driver, UI_WAIT);
    wait.ignoring(StaleElementReferenceException.class);

    // Every task has a row with its state; the one that gave up first (rows sort by severity).
    wait.until(d -> renderedTasks().size() == 5);
    assertThat(renderedTasks()).containsExactly("ledger-sync", "cache-refresher", "heartbeat", "poller", "warm-up");
    // The toggle sorts them by name.
    driver.findElement(By.id("sort")).click();
    wait.until(d -> "name".equals(d.findElement(By.id("sort")).getAttribute("data-sort")));
    assertThat(renderedTasks()).containsExactly("cache-refresher", "heartbeat", "ledger-sync", "poller", "warm-up");
    assertThat(state("cache-refresher")).isEqualTo("RUNNING");
    assertThat(state("poller")).isEqualTo("RUNNING");
    assertThat(state("warm-up")).isEqualTo("COMPLETED");
    assertThat(state("ledger-sync")).isEqualTo("GAVE_UP");
    assertThat(state("heartbeat")).isIn("RUNNING", "BACKING_OFF");
    assertThat(cell("poller", "failures").getText()).isEqualTo("0");
    assertThat(cell("ledger-sync", "error").getText()).contains("ledger database unreachable");
    assertThat(cell("warm-up", "history").findElements(By.cssSelector(".run.success"))).hasSize(1);
    assertThat(driver.findElement(By.id("conn")).getAttribute("class")).isEqualTo("live");
    // The heartbeat keeps running: the page follows its runs without a reload.
    int beats = Integer.parseInt(cell("heartbeat", "runs").getText());
    wait.until(d -> Integer.parseInt(cell("heartbeat", "runs").getText()) > beats);

    // The poller fails: the page shows it on its own.
    failPoller.countDown();
    awaitState(poller, TaskState.BACKING_OFF);
    wait.until(d -> "BACKING_OFF".equals(state("poller")));
    assertThat(cell("poller", "failures").getText()).isEqualTo("1");
    assertThat(cell("poller", "error").getText()).contains("IllegalStateException: upstream answered 503");
    assertThat(cell("poller", "history").findElements(By.cssSelector(".run.failure"))).hasSize(1);
    wait.until(d -> cell("poller", "next").getText().matches("in \\d+(\\.\\d)? s"));
    String first = cell("poller", "next").getText();
    wait.until(d -> !cell("poller", "next").getText().equals(first));
    assertThat(driver.getTitle()).contains("1 gave up");
    screenshot("dashboard-1280x800.png");

    // Phone width: the same data, one card per task.
    viewport(390, 844);
    wait.until(d -> !d.findElement(By.cssSelector("#tasks thead")).isDisplayed());
    assertThat(driver.findElement(By.cssSelector("tr[data-task='poller'] .badge")).isDisplayed()).isTrue();
    assertThat(cell("poller", "error").isDisplayed()).isTrue();
    screenshot("dashboard-phone-390.png");
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()",
        driver.findElement(By.cssSelector("tr[data-task='ledger-sync']")));
    screenshot("dashboard-phone-390-scrolled.png");

    // A cancelled task changes state on the page too.
    refresher.cancel().await();
    wait.until(d -> "CANCELLED".equals(state("cache-refresher")));
    assertThat(doomed.status().state()).isEqualTo(TaskState.GAVE_UP);
  }

  @Test
  void theDashboardRunsUnderAPolicyThatForbidsInlineScripts() {
    awaitState(tasks.once("warm-up", ctx -> { }, RunOption.exactName()), TaskState.COMPLETED);

    driver.get("http://127.0.0.1:" + server.actualPort() + "/ops/");
    WebDriverWait wait = new WebDriverWait(driver, UI_WAIT);
    wait.ignoring(StaleElementReferenceException.class);

    // The page's own script (./dashboard.js) runs: it renders the task.
    wait.until(d -> "COMPLETED".equals(state("warm-up")));
    List<String> console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage).collect(Collectors.toList());
    assertThat(console).noneMatch(m -> m.contains("Content Security Policy"));
    // An inline script is refused by the browser under the page's policy.
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript("window.violations = [];"
        + "document.addEventListener('securitypolicyviolation',"
        + "  function (e) { window.violations.push(e.effectiveDirective); });"
        + "var s = document.createElement('script');"
        + "s.textContent = 'window.inlineRan = true;';"
        + "document.body.appendChild(s);");
    wait.until(d -> ((Number) js.executeScript("return window.violations.length")).intValue() > 0);
    assertThat(js.executeScript("return window.inlineRan === true")).isEqualTo(false);
    assertThat(String.valueOf(js.executeScript("return window.violations[0]"))).startsWith("script-src");
  }
}
