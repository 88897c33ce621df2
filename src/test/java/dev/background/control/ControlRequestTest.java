package dev.background.control;

import dev.background.Tasks;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The one request parser: event-bus bodies, cluster bodies with a scope, and requests built from
 * the parts of an HTTP path, with the 400 messages every transport answers.
 */
class ControlRequestTest {

  private static JsonObject body(String action, Object name) {
    JsonObject json = new JsonObject().put("action", action);
    return name == null ? json : json.put("name", name);
  }

  private static ControlException refused(Runnable parse) {
    ControlException e = catchThrowableOfType(ControlException.class, parse::run);
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ControlException.BAD_REQUEST);
    return e;
  }

  // ---------------------------------------------------------------- well formed

  @Test
  void aBodyBecomesATypedRequest() {
    ControlRequest r = ControlRequest.fromBody(body("pause", "poller"));

    assertThat(r).isEqualTo(new ControlRequest(ControlAction.PAUSE, "poller", ControlScope.CLUSTER));
  }

  @Test
  void listNeedsNoName() {
    assertThat(ControlRequest.fromBody(body("list", null)))
        .isEqualTo(new ControlRequest(ControlAction.LIST, null));
  }

  @Test
  void aNameOnListIsCheckedAndKept() {
    assertThat(ControlRequest.fromBody(body("list", "poller")).name()).isEqualTo("poller");
    refused(() -> ControlRequest.fromBody(body("list", 7)));
  }

  @Test
  void aNameOfExactlyTheMaximumLengthIsAccepted() {
    String longest = "n".repeat(Tasks.MAX_NAME_LENGTH);

    assertThat(ControlRequest.fromBody(body("status", longest)).name()).isEqualTo(longest);
  }

  @Test
  void theJsonFormReadsBackToTheSameRequest() {
    for (ControlAction a : ControlAction.values()) {
      ControlRequest r = new ControlRequest(a, "poller");

      assertThat(r.toJson()).isEqualTo(body(a.wireName(), "poller"));
      assertThat(ControlRequest.fromBody(r.toJson())).isEqualTo(r);
    }
    assertThat(new ControlRequest(ControlAction.LIST, null).toJson()).isEqualTo(body("list", null));
  }

  @Test
  void aListBodyCarriesItsPageAndFiltersAndReadsBack() {
    JsonObject json = body("list", null).put("limit", 50).put("after", "a.b")
        .put("state", new JsonArray().add("running").add("PAUSED")).put("kind", new JsonArray().add("Run"));

    ControlRequest r = ControlRequest.fromBody(json);

    assertThat(r.query()).isEqualTo(new ListQuery(50, "a.b",
        java.util.Set.of(dev.background.TaskState.RUNNING, dev.background.TaskState.PAUSED),
        java.util.Set.of(dev.background.TaskKind.RUN)));
    assertThat(ControlRequest.fromBody(r.toJson())).isEqualTo(r);
    assertThat(r.toJson().getJsonArray("state")).containsExactly("RUNNING", "PAUSED");
  }

  @Test
  void onlyAListTakesAQuery() {
    assertThat(refused(() -> new ControlRequest(ControlAction.STATUS, "a", ControlScope.CLUSTER,
        new ListQuery(3, null, null, null))).getMessage())
        .isEqualTo("limit, after, state, kind: only for action \"list\", not \"status\"");
  }

  // ---------------------------------------------------------------- the 400 messages

  @Test
  void aBodyThatIsNotAnObjectIsNamedByItsKind() {
    String prefix = "body: must be a JSON object such as {\"action\": \"list\"}, was ";
    assertThat(refused(() -> ControlRequest.fromBody(null)).getMessage()).isEqualTo(prefix + "null");
    assertThat(refused(() -> ControlRequest.fromBody("x".repeat(1 << 20))).getMessage())
        .isEqualTo(prefix + "a string");
    assertThat(refused(() -> ControlRequest.fromBody(Buffer.buffer("{}"))).getMessage())
        .isEqualTo(prefix + "a buffer of 2 bytes");
    assertThat(refused(() -> ControlRequest.fromBody(new byte[3])).getMessage())
        .isEqualTo(prefix + "a byte array of 3 bytes");
    assertThat(refused(() -> ControlRequest.fromBody(42)).getMessage()).isEqualTo(prefix + "a number (42)");
    assertThat(refused(() -> ControlRequest.fromBody(true)).getMessage()).isEqualTo(prefix + "a boolean (true)");
    assertThat(refused(() -> ControlRequest.fromBody(new JsonArray())).getMessage())
        .isEqualTo(prefix + "a JSON array");
    assertThat(refused(() -> ControlRequest.fromBody('c')).getMessage())
        .isEqualTo(prefix + "a java.lang.Character");
  }

  @Test
  void anUnknownKeyIsNamed() {
    assertThat(refused(() -> ControlRequest.fromBody(body("cancel", "w").put("force", true))).getMessage())
        .isEqualTo("unknown key \"force\"; expected action, name");
  }

  @Test
  void theActionIsCheckedForPresenceTypeAndValue() {
    String expected = "expected one of list, summary, status, cancel, restart, pause, resume, start,"
        + " trigger, detail";
    assertThat(refused(() -> ControlRequest.fromBody(new JsonObject())).getMessage())
        .isEqualTo("action: missing; " + expected);
    assertThat(refused(() -> ControlRequest.fromBody(new JsonObject().put("action", 42))).getMessage())
        .isEqualTo("action: must be a string, was a number (42)");
    assertThat(refused(() -> ControlRequest.fromBody(new JsonObject().put("action", new JsonObject())))
        .getMessage()).isEqualTo("action: must be a string, was a JSON object");
    assertThat(refused(() -> ControlRequest.fromBody(body("LIST", null))).getMessage())
        .isEqualTo("action: unknown action \"LIST\"; " + expected);
  }

  @Test
  void aLongUnknownActionIsCutShort() {
    String message = refused(() -> ControlRequest.fromBody(body("x".repeat(1000), null))).getMessage();

    assertThat(message).startsWith("action: unknown action \"" + "x".repeat(64) + "...\" (1000 characters)")
        .hasSizeLessThan(240); // the value cut at 64 characters, then the list of actions
  }

  @Test
  void theNameIsCheckedForPresenceTypeBlanknessAndLength() {
    assertThat(refused(() -> ControlRequest.fromBody(body("cancel", null))).getMessage())
        .isEqualTo("name: missing; action \"cancel\" needs the task's name");
    assertThat(refused(() -> ControlRequest.fromBody(body("cancel", new JsonArray()))).getMessage())
        .isEqualTo("name: must be a string, was a JSON array");
    assertThat(refused(() -> ControlRequest.fromBody(body("cancel", " "))).getMessage())
        .isEqualTo("name: must not be blank, was \" \"");
    assertThat(refused(() -> ControlRequest.fromBody(body("cancel", "w".repeat(513)))).getMessage())
        .isEqualTo("name: too long, 513 characters (at most 512)");
  }

  // ---------------------------------------------------------------- HTTP parts and scope

  @ParameterizedTest
  @EnumSource(value = ControlAction.class, names = {"LIST", "SUMMARY"}, mode = EnumSource.Mode.EXCLUDE)
  void aRequestBuiltFromPathPartsHasTheSameRules(ControlAction action) {
    assertThat(refused(() -> new ControlRequest(action, "x".repeat(600))).getMessage())
        .isEqualTo("name: too long, 600 characters (at most 512)");
    assertThat(refused(() -> new ControlRequest(action, "")).getMessage())
        .isEqualTo("name: must not be blank, was \"\"");
    assertThat(refused(() -> new ControlRequest(action, null)).getMessage())
        .isEqualTo("name: missing; action \"" + action.wireName() + "\" needs the task's name");
  }

  @Test
  void aNodeBodyRefusesAScope() {
    assertThat(refused(() -> ControlRequest.fromBody(body("status", "p").put("scope", "local"))).getMessage())
        .isEqualTo("unknown key \"scope\"; expected action, name");
    assertThat(refused(() -> ControlRequest.fromBody(body("list", null).put("scope", "local"))).getMessage())
        .isEqualTo("unknown key \"scope\"; expected action, name, limit, after, state, kind");
  }

  @Test
  void aClusterBodyReadsItsScope() {
    assertThat(ControlRequest.fromScopedBody(body("pause", "p").put("scope", "local")).scope())
        .isEqualTo(ControlScope.LOCAL);
    assertThat(ControlRequest.fromScopedBody(body("pause", "p").put("scope", "cluster")).scope())
        .isEqualTo(ControlScope.CLUSTER);
    assertThat(ControlRequest.fromScopedBody(body("pause", "p")).scope()).isEqualTo(ControlScope.CLUSTER);
  }

  @Test
  void theScopeIsNotPartOfTheJsonForm() {
    ControlRequest local = ControlRequest.fromScopedBody(body("pause", "p").put("scope", "local"));

    assertThat(local.toJson()).isEqualTo(body("pause", "p"));
  }

  @Test
  void anUnknownScopeIsNamed() {
    assertThat(refused(() -> ControlRequest.fromScopedBody(body("list", null).put("scope", "everywhere")))
        .getMessage()).isEqualTo("scope: must be \"local\" or \"cluster\", was \"everywhere\"");
    assertThat(refused(() -> ControlScope.fromWire(3)).getMessage())
        .isEqualTo("scope: must be \"local\" or \"cluster\", was a number (3)");
    assertThat(refused(() -> ControlRequest.fromScopedBody(body("pause", "p").put("force", 1))).getMessage())
        .isEqualTo("unknown key \"force\"; expected action, name, scope");
    assertThat(refused(() -> ControlRequest.fromScopedBody(body("list", null).put("force", 1))).getMessage())
        .isEqualTo("unknown key \"force\"; expected action, name, scope, limit, after, state, kind");
  }
}
