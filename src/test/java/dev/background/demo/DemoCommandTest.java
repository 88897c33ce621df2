package dev.background.demo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo commands of the README, as configured in {@code pom.xml}: {@code mvn -q compile
 * exec:exec} forks a JVM on the runtime class path, where the logger is the project's
 * slf4j-simple (so the library's WARN and ERROR lines show; inside Maven's JVM, exec:java, Maven's
 * own binding wins and hides them), and {@code java -jar} on the -fat jar opens the JDK packages
 * Hazelcast asks for. Running the commands themselves needs a packaged build and a terminal: the
 * report of the change records that check; this test keeps the configuration from drifting.
 */
class DemoCommandTest {

  private static String pom;

  @BeforeAll
  static void readPom() throws Exception {
    pom = Files.readString(Paths.get("pom.xml"), StandardCharsets.UTF_8);
  }

  /** The {@code <plugin>} element of {@code artifactId}. */
  private static String plugin(String artifactId) {
    Matcher m = Pattern.compile("<plugin>\\s*<groupId>[^<]*</groupId>\\s*<artifactId>"
        + Pattern.quote(artifactId) + "</artifactId>.*?</plugin>", Pattern.DOTALL)
        .matcher(pom);
    assertThat(m.find()).as(artifactId + " in pom.xml").isTrue();
    return m.group();
  }

  /** The {@code <dependency>} element of {@code groupId:artifactId}. */
  private static String dependency(String groupId, String artifactId) {
    Matcher m = Pattern.compile("<dependency>\\s*<groupId>" + Pattern.quote(groupId)
        + "</groupId>\\s*<artifactId>" + Pattern.quote(artifactId)
        + "</artifactId>.*?</dependency>", Pattern.DOTALL).matcher(pom);
    assertThat(m.find()).as(groupId + ":" + artifactId + " in pom.xml").isTrue();
    return m.group();
  }

  @Test
  void execExecForksTheDemoOnTheRuntimeClassPathWithTheTerminal() {
    String exec = plugin("exec-maven-plugin");

    // 3.7.0 fails on Maven 3.8.
    assertThat(exec).contains("<version>3.6.3</version>");
    assertThat(exec).contains("<executable>${java.home}/bin/java</executable>")
        .contains("<classpathScope>runtime</classpathScope>")
        .contains("<inheritIo>true</inheritIo>");
    assertThat(exec).containsPattern(
        "<commandlineArgs>\\$\\{hazelcast\\.jvm\\.args} -classpath %classpath \\$\\{main\\.class}"
            + " \\$\\{exec\\.args}</commandlineArgs>");
    assertThat(pom).contains("<main.class>dev.background.demo.DemoMain</main.class>")
        .contains("<exec.args></exec.args>");
  }

  @Test
  void slf4jSimpleIsOnTheRuntimeClassPathNotOnlyTheTests() {
    // vertx-stack-depchain manages slf4j-simple with scope test: without an explicit scope the
    // demo's runtime class path would have no binding, and SLF4J would drop every line.
    assertThat(dependency("org.slf4j", "slf4j-simple")).contains("<scope>runtime</scope>");
  }

  @Test
  void theForkedDemoAndTheFatJarOpenWhatHazelcastAsksFor() {
    String flags = "--add-exports java.base/jdk.internal.ref=ALL-UNNAMED"
        + " --add-opens java.base/java.lang=ALL-UNNAMED"
        + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
        + " --add-opens java.management/sun.management=ALL-UNNAMED"
        + " --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED";
    assertThat(pom).contains("<hazelcast.jvm.args>" + flags + "</hazelcast.jvm.args>");

    String shade = plugin("maven-shade-plugin");
    assertThat(shade).contains("<Add-Opens>java.base/java.lang java.base/sun.nio.ch "
        + "java.management/sun.management jdk.management/com.sun.management.internal</Add-Opens>")
        .contains("<Add-Exports>java.base/jdk.internal.ref</Add-Exports>")
        .contains("<mainClass>${main.class}</mainClass>");
  }
}
