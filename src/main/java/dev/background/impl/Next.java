package dev.background.impl;

/**
 * What a supervisor does once it has released its monitor, after a change of state: start a run,
 * try to take a singleton's lease first, or nothing.
 */
sealed interface Next {

  /** Nothing to start. */
  Next NOTHING = new Nothing();

  /** A singleton this node does not hold: take the lease, then run. */
  Next AWAIT_LEASE = new AwaitLease();

  /** Start this run with this runner. */
  record Dispatch(RunContext run, TaskRunner runner) implements Next {
  }

  /** See {@link #AWAIT_LEASE}. */
  record AwaitLease() implements Next {
  }

  /** See {@link #NOTHING}. */
  record Nothing() implements Next {
  }
}
