package dev.background.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless chromium driven by Selenium through chromedriver, with the dashboard's own
 * lookups (a row, a cell, a state badge). One per test; {@link #close()} quits it.
 */
final class Chromium implements AutoCloseable {

  static final Path BINARY = Paths.get("/usr/bin/chromium");
  static final Path DRIVER = Paths.get("/usr/bin/chromedriver");
  static final Duration UI_WAIT = Duration.ofSeconds(15);

  final ChromeDriverService service;
  final WebDriver driver;
  final WebDriverWait wait;

  private Chromium(ChromeDriverService service, WebDriver driver) {
    this.service = service;
    this.driver = driver;
    this.wait = new WebDriverWait(driver, UI_WAIT);
    // The page re-renders a cell when its content changes: an element found a moment ago may be gone.
    wait.ignoring(StaleElementReferenceException.class);
  }

  /** Starts the browser; skips the test (with the reason) when chromium is not installed. */
  static Chromium start() {
    assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900");
    return new Chromium(service, new ChromeDriver(service, options));
  }

  @Override
  public void close() {
    driver.quit();
    service.stop();
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** The row of {@code task}, found by comparing attributes (a name may hold any character). */
  WebElement row(String task) {
    for (WebElement tr : driver.findElements(By.cssSelector("#rows tr"))) {
      if (task.equals(tr.getAttribute("data-task"))) {
        return tr;
      }
    }
    throw new org.openqa.selenium.NoSuchElementException("no row for task " + task);
  }

  boolean hasRow(String task) {
    return rows().contains(task);
  }

  /** The tasks of the rows, in the page's order (one script call, however many rows). */
  @SuppressWarnings("unchecked")
  List<String> rows() {
    return (List<String>) js("return Array.from(document.querySelectorAll('#rows tr'))"
        + ".map(function (tr) { return tr.getAttribute('data-task'); });");
  }

  WebElement cell(String task, String field) {
    return row(task).findElement(By.cssSelector("td[data-field='" + field + "']"));
  }

  /** The state on the row's badge, or null before the row is drawn. */
  String state(String task) {
    if (!hasRow(task)) {
      return null;
    }
    List<WebElement> badges = cell(task, "state").findElements(By.cssSelector(".badge"));
    return badges.isEmpty() ? null : badges.get(0).getAttribute("data-state");
  }

  /** The row's button for {@code action}, or null when the row has none. */
  WebElement button(String task, String action) {
    List<WebElement> buttons = cell(task, "actions")
        .findElements(By.cssSelector("button[data-action='" + action + "']"));
    return buttons.isEmpty() ? null : buttons.get(0);
  }

  String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  boolean shown(String id) {
    return driver.findElement(By.id(id)).isDisplayed();
  }

  /** Saves what the browser shows to {@code target/<name>}. */
  void screenshot(String name) throws IOException {
    Path target = Paths.get("target", name);
    Files.createDirectories(target.getParent());
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }
}
