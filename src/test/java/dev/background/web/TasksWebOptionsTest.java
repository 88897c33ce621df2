package dev.background.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authorization.RoleBasedAuthorization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defaults, JSON, copies, the checks of each field, and the network exposure rule. */
class TasksWebOptionsTest {

  @Test
  void defaults() {
    TasksWebOptions o = new TasksWebOptions();
    assertThat(o.isEnabled()).isFalse();
    assertThat(o.getHost()).isEqualTo("127.0.0.1");
    assertThat(o.getPort()).isZero();
    assertThat(o.getRoot()).isEqualTo("/");
    assertThat(o.getControlToken()).isNull();
    assertThat(o.isControlEnabled()).isFalse();
    assertThat(o.isReadOnly()).isFalse();
    assertThat(o.getAllowedHosts()).isEmpty();
    assertThat(o.validate()).isSameAs(o);
  }

  @Test
  void jsonRoundTrip() {
    JsonObject json = new JsonObject().put("enabled", true).put("host", "localhost").put("port", 8080)
        .put("root", "/ops").put("controlToken", "t0ken").put("readOnly", false)
        .put("allowedHosts", new JsonArray().add("ops.example.com").add("[fd00::1]"));

    TasksWebOptions o = new TasksWebOptions(json);

    assertThat(o.isEnabled()).isTrue();
    assertThat(o.getHost()).isEqualTo("localhost");
    assertThat(o.getPort()).isEqualTo(8080);
    assertThat(o.getRoot()).isEqualTo("/ops");
    assertThat(o.getControlToken()).isEqualTo("t0ken");
    assertThat(o.getAllowedHosts()).containsExactly("ops.example.com", "[fd00::1]");
    assertThat(o.toJson()).isEqualTo(json);
    assertThat(new TasksWebOptions(o.toJson()).toJson()).isEqualTo(json);
  }

  @Test
  void absentJsonKeysKeepTheirDefaults() {
    TasksWebOptions o = new TasksWebOptions(new JsonObject().put("enabled", true));
    assertThat(o.toJson()).isEqualTo(new TasksWebOptions().setEnabled(true).toJson());
    assertThat(new TasksWebOptions(new JsonObject().putNull("controlToken")).getControlToken()).isNull();
    assertThat(new TasksWebOptions(new JsonObject().putNull("allowedHosts")).getAllowedHosts()).isEmpty();
  }

  @Test
  void copyIsIndependent() {
    List<String> hosts = new ArrayList<>(List.of("a.example"));
    TasksWebOptions o = new TasksWebOptions().setPort(9000).setControlToken("a").setAllowedHosts(hosts);
    hosts.add("b.example");
    TasksWebOptions copy = new TasksWebOptions(o);
    o.setPort(9001).setControlToken(null).setAllowedHosts(List.of());
    assertThat(copy.getPort()).isEqualTo(9000);
    assertThat(copy.getControlToken()).isEqualTo("a");
    assertThat(copy.getAllowedHosts()).containsExactly("a.example");
    assertThatThrownBy(() -> copy.getAllowedHosts().add("c.example"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void allowedHostsAreNamesAddressesOrAnAsterisk() {
    List<String> hosts = List.of("ops.example.com", "OPS.example.COM", "host_1.internal", "192.0.2.7",
        "[2001:db8::7]", "[::FFFF:192.0.2.7]", "*", "xn--bcher-kva.example");

    assertThat(new TasksWebOptions().setAllowedHosts(hosts).getAllowedHosts()).isEqualTo(hosts);
    assertThat(new TasksWebOptions().setAllowedHosts(null).getAllowedHosts()).isEmpty();
  }

  @Test
  void toStringShowsTheAllowedHosts() {
    assertThat(new TasksWebOptions().setAllowedHosts(List.of("ops.example.com")).toString())
        .contains("allowedHosts=[ops.example.com]");
  }

  @Test
  void toStringHidesTheToken() {
    assertThat(new TasksWebOptions().setControlToken("secret-value").toString())
        .doesNotContain("secret-value").contains("controlToken=(set)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"port\": 70000}                | port: must be between 0 and 65535, was 70000",
      "{\"port\": -1}                   | port: must be between 0 and 65535, was -1",
      "{\"port\": \"8080\"}             | port: must be a whole number, was \"8080\"",
      "{\"port\": 80.5}                 | port: must be a whole number",
      "{\"enabled\": \"yes\"}           | enabled: must be true or false, was \"yes\"",
      "{\"readOnly\": 1}                | readOnly: must be true or false, was 1",
      "{\"host\": 127}                  | host: must be a string, was 127",
      "{\"host\": \"\"}                 | host: must be an address or host name",
      "{\"host\": \" 127.0.0.1\"}       | host: must be an address or host name",
      "{\"root\": \"ops\"}              | root: must be \"/\" or a path like \"/ops\"",
      "{\"root\": \"/ops/*\"}           | root: must be",
      "{\"root\": \"/ops/:name\"}       | root: must be",
      "{\"root\": \"/ops?x=1\"}         | root: must be",
      "{\"root\": \"/a/../b\"}          | root: must be",
      "{\"root\": \"//\"}               | root: must be",
      "{\"controlToken\": \"\"}         | controlToken: must be null or 1 to 4096 characters, was 0",
      "{\"controlToken\": \"a b\"}      | controlToken: must be visible ASCII without spaces; character 1",
      "{\"controlToken\": 42}           | controlToken: must be a string, was 42",
      "{\"prot\": 8080}                 | prot: unknown key",
      "{\"allowedHosts\": \"a.example\"} | allowedHosts: must be a JSON array, was \"a.example\"",
      "{\"allowedHosts\": [1]}          | allowedHosts[0]: must be a string, was 1",
      "{\"allowedHosts\": [\"a\", null]} | allowedHosts[1]: must be a string, was null",
      "{\"allowedHosts\": [\"\"]}       | allowedHosts[0]: must be a host name",
      "{\"allowedHosts\": [\"a b\"]}    | allowedHosts[0]: must be a host name",
      "{\"allowedHosts\": [\"a.example:8080\"]} | allowedHosts[0]: must be a host name",
      "{\"allowedHosts\": [\"http://a.example\"]} | allowedHosts[0]: must be a host name",
      "{\"allowedHosts\": [\"::1\"]}    | allowedHosts[0]: must be a host name",
      "{\"allowedHosts\": [\"*.example\"]} | allowedHosts[0]: must be a host name",
  })
  void badJsonValuesAreRefusedNamingTheKey(String json, String message) {
    assertThatThrownBy(() -> new TasksWebOptions(new JsonObject(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void settersCheckTheirArgument() {
    TasksWebOptions o = new TasksWebOptions();
    assertThatThrownBy(() -> o.setPort(65536)).hasMessageStartingWith("port:");
    assertThatThrownBy(() -> o.setHost(null)).hasMessageStartingWith("host:");
    assertThatThrownBy(() -> o.setRoot(null)).hasMessageStartingWith("root:");
    assertThatThrownBy(() -> o.setControlToken("x".repeat(4097))).hasMessageStartingWith("controlToken:");
    assertThatThrownBy(() -> o.setControlToken("tab\there")).hasMessageStartingWith("controlToken:")
        .hasMessageNotContaining("tab");
    assertThatThrownBy(() -> o.setAllowedHosts(List.of("ok.example", "not ok")))
        .hasMessage("allowedHosts[1]: must be a host name or address without port (\"ops.example.com\","
            + " \"192.0.2.7\", \"[2001:db8::7]\") or \"*\" for any, was \"not ok\"");
    assertThat(o.toJson()).isEqualTo(new TasksWebOptions().toJson());
  }

  @ParameterizedTest(name = "root {0} is {1}")
  @CsvSource({"/, /", "/ops, /ops", "/ops/, /ops", "/admin/tasks, /admin/tasks", "/a-b_c.d~e, /a-b_c.d~e"})
  void rootIsNormalised(String given, String kept) {
    assertThat(new TasksWebOptions().setRoot(given).getRoot()).isEqualTo(kept);
  }

  // ---------------------------------------------------------------- validate()

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
  void aLoopbackHostNeedsNoToken(String host) {
    new TasksWebOptions().setHost(host).validate();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "128.0.0.1",
      "327.0.0.1", "::2"})
  void aNonLoopbackHostWithoutATokenIsRefused(String host) {
    TasksWebOptions o = new TasksWebOptions().setHost(host);
    assertThatThrownBy(o::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("host: " + host)
        .hasMessageContaining("controlToken")
        .hasMessageContaining("readOnly");
  }

  @Test
  void aNonLoopbackHostWithATokenIsAccepted() {
    new TasksWebOptions().setHost("0.0.0.0").setControlToken("s3cret").validate();
  }

  @Test
  void aNonLoopbackHostDeclaredReadOnlyIsAccepted() {
    new TasksWebOptions().setHost("0.0.0.0").setReadOnly(true).validate();
  }

  @Test
  void readOnlyWithATokenIsContradictory() {
    TasksWebOptions o = new TasksWebOptions().setReadOnly(true).setControlToken("s3cret");
    assertThatThrownBy(o::validate).hasMessageStartingWith("readOnly:").hasMessageNotContaining("s3cret");
  }

  // ---------------------------------------------------------------- control behind the application's user

  @Test
  void userModeKeysRoundTripInJson() {
    JsonObject json = new TasksWebOptions().toJson().put("controlUser", true)
        .put("controlPermission", "tasks:control");

    TasksWebOptions o = new TasksWebOptions(json);

    assertThat(o.isControlUser()).isTrue();
    assertThat(o.isControlEnabled()).isTrue();
    assertThat(o.getControlPermission()).isEqualTo("tasks:control");
    assertThat(o.toJson()).isEqualTo(json);
    assertThat(new TasksWebOptions(o).toJson()).isEqualTo(json);
  }

  @Test
  void userModeIsOffByDefaultAndLeftOutOfTheJson() {
    TasksWebOptions o = new TasksWebOptions();

    assertThat(o.isControlUser()).isFalse();
    assertThat(o.getControlPermission()).isNull();
    assertThat(o.getControlAuthorization()).isNull();
    assertThat(o.getControlAuthorizationProviders()).isEmpty();
    assertThat(o.toJson().containsKey("controlUser")).isFalse();
    assertThat(o.toJson().containsKey("controlPermission")).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " ", " tasks:control", "tasks:control "})
  void aBlankOrPaddedPermissionIsRefused(String permission) {
    assertThatThrownBy(() -> new TasksWebOptions().setControlPermission(permission))
        .hasMessageStartingWith("controlPermission: must be null or a permission");
  }

  @Test
  void aPermissionOfTheWrongTypeIsRefusedAtItsKey() {
    assertThatThrownBy(() -> new TasksWebOptions(new JsonObject().put("controlPermission", 42)))
        .hasMessageStartingWith("controlPermission:");
    assertThatThrownBy(() -> new TasksWebOptions(new JsonObject().put("controlUser", "yes")))
        .hasMessageStartingWith("controlUser:");
  }

  @Test
  void anAuthorizationReplacesThePermissionAndTheOtherWayRound() {
    TasksWebOptions o = new TasksWebOptions().setControlPermission("tasks:control")
        .setControlAuthorization(RoleBasedAuthorization.create("ops"));
    assertThat(o.getControlPermission()).isNull();

    o.setControlPermission("tasks:control");
    assertThat(o.getControlAuthorization()).isNull();
  }

  @Test
  void aTokenAndTheUserModeExcludeEachOther() {
    TasksWebOptions o = new TasksWebOptions().setControlUser(true).setControlToken("s3cret");

    assertThatThrownBy(o::validate).hasMessageStartingWith("controlUser:").hasMessageNotContaining("s3cret");
  }

  @Test
  void readOnlyWithTheUserModeIsContradictory() {
    assertThatThrownBy(new TasksWebOptions().setReadOnly(true).setControlUser(true)::validate)
        .hasMessageStartingWith("readOnly:");
  }

  @Test
  void aPermissionWithoutTheUserModeIsRefused() {
    assertThatThrownBy(new TasksWebOptions().setControlPermission("tasks:control")::validate)
        .hasMessage("controlPermission: is set but controlUser is false; set controlUser to true to"
            + " guard control with the application's user");
  }

  @Test
  void aNonLoopbackHostGuardedByTheApplicationsUserIsAccepted() {
    new TasksWebOptions().setHost("0.0.0.0").setControlUser(true).validate();
  }

  @Test
  void aNullProviderIsRefusedAtItsIndex() {
    assertThatThrownBy(() -> new TasksWebOptions().setControlAuthorizationProviders(
        Arrays.asList(null, null))).hasMessage("controlAuthorizationProviders[0]: must not be null");
  }
}
