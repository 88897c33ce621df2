package dev.background.control;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The action set: wire names, what each needs, and the lookup. */
class ControlActionTest {

  @Test
  void wireNamesAreTheProtocolsInTheirDocumentedOrder() {
    assertThat(ControlAction.wireNames())
        .containsExactly("list", "summary", "status", "cancel", "restart", "pause", "resume", "start");
  }

  @Test
  void everyActionButListAndSummaryNeedsAName() {
    assertThat(Arrays.stream(ControlAction.values()).filter(a -> !a.needsName()))
        .containsExactly(ControlAction.LIST, ControlAction.SUMMARY);
  }

  @Test
  void listSummaryAndStatusAreTheOnlyReads() {
    assertThat(Arrays.stream(ControlAction.values()).filter(a -> !a.mutates()))
        .containsExactly(ControlAction.LIST, ControlAction.SUMMARY, ControlAction.STATUS);
  }

  @Test
  void httpServesCancelRestartPauseAndResumeAsPosts() {
    assertThat(Arrays.stream(ControlAction.values()).filter(ControlAction::overHttp))
        .containsExactly(ControlAction.CANCEL, ControlAction.RESTART, ControlAction.PAUSE,
            ControlAction.RESUME);
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
