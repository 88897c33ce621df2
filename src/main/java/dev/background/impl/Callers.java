package dev.background.impl;

import dev.background.Tasks;

import java.util.Optional;

/**
 * Finds the code that called {@link Tasks}, to prefix task names with it as the Go package
 * {@code background} (gostdlib/base) prefixes them with the calling package and function:
 * {@code com.acme.Billing.start.poller}.
 */
final class Callers {

  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final String IMPL_PACKAGE = Callers.class.getPackageName() + ".";
  private static final String API = Tasks.class.getName();

  private Callers() {
  }

  /** "ClassName.method" of the first frame outside this library's tracker. */
  static String caller() {
    Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames
        .filter(f -> !f.getClassName().startsWith(IMPL_PACKAGE) && !f.getClassName().equals(API))
        .findFirst());
    return frame.map(f -> f.getClassName() + "." + methodName(f.getMethodName())).orElse("unknown");
  }

  /** "lambda$start$0" (a lambda in start) reads as "start". */
  static String methodName(String method) {
    if (method.startsWith("lambda$")) {
      int end = method.indexOf('$', 7);
      if (end > 7) {
        return method.substring(7, end);
      }
    }
    return method;
  }
}
