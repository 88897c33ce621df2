package dev.background.control;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The action set: wire names, what each needs, and the lookup. */
class ControlActionTest {

  @Test
  void wireNamesAreTheProtocolsInTheirDocumentedOrder() {
    assertThat(ControlAction.wireNames())
        .containsExactly("list", "summary", "status", "cancel", "restart", "pause", "resume",
            "start", "trigger", "detail");
  }

  @Test
  void everyActionButListAndSummaryNeedsAName() {
    assertThat(Arrays.stream(ControlAction.values()).filter(a -> !a.needsName()))
        .containsExactly(ControlAction.LIST, ControlAction.SUMMARY);
  }

  @Test
  void listSummaryStatusAndDetailAreTheOnlyReads() {
    assertThat(Arrays.stream(ControlAction.values()).filter(a -> !a.mutates()))
        .containsExactly(ControlAction.LIST, ControlAction.SUMMARY, ControlAction.STATUS,
            ControlAction.DETAIL);
  }

  @Test
  void httpServesEveryChangeAsAPost() {
    assertThat(Arrays.stream(ControlAction.values()).filter(ControlAction::overHttp))
        .containsExactly(ControlAction.CANCEL, ControlAction.RESTART, ControlAction.PAUSE,
            ControlAction.RESUME, ControlAction.START, ControlAction.TRIGGER);
  }

  @Test
  void lookupByWireNameFindsEachAction() {
    for (ControlAction a : ControlAction.values()) {
      assertThat(ControlAction.fromWire(a.wireName())).contains(a);
    }
  }

  @Test
  void lookupIsCaseSensitiveAndExact() {
    assertThat(ControlAction.fromWire("LIST")).isEmpty();
    assertThat(ControlAction.fromWire(" list")).isEmpty();
    assertThat(ControlAction.fromWire("CANCEL")).isEmpty();
    assertThat(ControlAction.fromWire("")).isEmpty();
    assertThat(ControlAction.fromWire(null)).isEmpty();
  }
}
