package dev.background.control;

import org.junit.jupiter.api.Test;

import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors become reply codes by their type, never by their message. */
class ControlExceptionTest {

  @Test
  void theCodesAreTheProtocols() {
    assertThat(ControlException.BAD_REQUEST).isEqualTo(400);
    assertThat(ControlException.NOT_FOUND).isEqualTo(404);
    assertThat(ControlException.CONFLICT).isEqualTo(409);
    assertThat(ControlException.INTERNAL_ERROR).isEqualTo(500);
  }

  @Test
  void aRefusalStaysItself() {
    ControlException e = new ControlException(ControlException.CONFLICT, "busy");

    assertThat(ControlException.of(e)).isSameAs(e);
  }

  @Test
  void anIllegalStateIsAConflictWhateverItsMessage() {
    ControlException e = ControlException.of(new IllegalStateException("no task named \"x\""));

    assertThat(e.code()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("no task named \"x\"");
  }

  @Test
  void aMissingElementIsNotFoundWhateverItsMessage() {
    ControlException e = ControlException.of(new NoSuchElementException("is running"));

    assertThat(e.code()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("is running");
  }

  @Test
  void aMessagelessErrorIsNamedByItsType() {
    assertThat(ControlException.of(new IllegalStateException()).getMessage())
        .isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void anythingElseIsAnInternalErrorCarryingItsCause() {
    IllegalArgumentException cause = new IllegalArgumentException("conflict");

    ControlException e = ControlException.of(cause);

    assertThat(e.code()).isEqualTo(500);
    assertThat(e.getMessage()).isEqualTo("unexpected error: java.lang.IllegalArgumentException: conflict");
    assertThat(e.getCause()).isSameAs(cause);
  }

  @Test
  void aRefusalHasNoStackTrace() {
    assertThat(ControlException.badRequest("bad").getStackTrace()).isEmpty();
  }
}
