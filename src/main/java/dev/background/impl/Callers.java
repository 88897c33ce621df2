package dev.background.impl;

import dev.background.Tasks;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the code that called {@link Tasks}, to prefix task names with it as the Go package
 * {@code background} (gostdlib/base) prefixes them with the calling package and function:
 * {@code com.acme.Billing.start.poller}.
 *
 * <p>A stack walk costs about a microsecond and a kilobyte of garbage on JDK 17, more than the
 * rest of a {@code once} submission, so the prefix is resolved once per call site and cached.
 * Java gives no cheap handle on a call site, but the task's class is one for the common case:
 *
 * <ul>
 * <li>A lambda or method reference: the JVM makes one class per lambda expression (per
 *   {@code invokedynamic} site) in the source, so the class stands for where the task was
 *   written. An anonymous or local class likewise stands for one place in one method.</li>
 * <li>Its first submission walks the stack, as before, and keeps the prefix only if the task was
 *   written in the calling code: a lambda's defining class (the part of its class name before
 *   {@code $$Lambda}) must be the calling class; an anonymous or local class's enclosing class and
 *   method must be the calling class and method. Otherwise the class is marked and every
 *   submission of it walks the stack.</li>
 * <li>A named class (a top-level, member or enum class) can be instantiated anywhere, and one
 *   instance submitted from several methods: every submission walks the stack, as before.</li>
 * </ul>
 *
 * <p>So a cached name is the walked name, except in one case the check above cannot see: one
 * lambda or method reference held by a class (in a field, or returned by a factory method) and
 * submitted from two or more methods <em>of that same class</em>. Such a lambda is named after the
 * method that submitted it first. Give those tasks {@link dev.background.RunOption#exactName()}, or
 * write the lambda where it is submitted. Thread-safe: concurrent first submissions both walk and
 * store the same prefix.
 */
final class Callers {

  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final StackWalker CLASS_WALKER =
      StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));
  private static final String IMPL_PACKAGE = Callers.class.getPackageName() + ".";
  private static final String API = Tasks.class.getName();
  private static final String LAMBDA_MARK = "$$Lambda";

  /** Stack walks made so far, for tests that check the cache is used. */
  private static final AtomicLong WALKS = new AtomicLong();

  /** What is known of the call site of each task class. */
  private static final ClassValue<Site> SITES = new ClassValue<>() {
    @Override
    protected Site computeValue(Class<?> type) {
      return new Site(isLambda(type) || type.isAnonymousClass() || type.isLocalClass());
    }
  };

  /** The prefix of one task class's call site, once known, with the last full name made from it. */
  private static final class Site {
    final boolean candidate;
    /** Set when the class was submitted from outside the code that defines it. */
    volatile boolean walkAlways;
    volatile Resolved resolved;

    Site(boolean candidate) {
      this.candidate = candidate;
    }
  }

  /** A prefix and the last short name seen with it: names are usually literals, reused as is. */
  private record Resolved(String prefix, String lastName, String lastFullName) {
  }

  private Callers() {
  }

  /**
   * The full name of {@code name} submitted with {@code task}: the caller prefix, a dot, the name.
   * The prefix comes from the cache when the task's class stands for its call site (see the class
   * comment), else from a stack walk.
   */
  static String fullName(Object task, String name) {
    Site site = task == null ? null : SITES.get(task.getClass());
    if (site == null || !site.candidate || site.walkAlways) {
      return caller() + "." + name;
    }
    Resolved r = site.resolved;
    if (r == null) {
      String prefix = resolve(site, task.getClass());
      if (site.walkAlways) {
        return prefix + "." + name;
      }
      r = new Resolved(prefix, name, prefix + "." + name);
      site.resolved = r;
      return r.lastFullName();
    }
    if (r.lastName().equals(name)) {
      return r.lastFullName();
    }
    Resolved next = new Resolved(r.prefix(), name, r.prefix() + "." + name);
    site.resolved = next;
    return next.lastFullName();
  }

  /**
   * Walks the stack for the first submission of a candidate class, and marks the class
   * {@code walkAlways} when it was not submitted from the code that defines it.
   */
  private static String resolve(Site site, Class<?> taskClass) {
    WALKS.incrementAndGet();
    Optional<StackWalker.StackFrame> frame = CLASS_WALKER.walk(frames -> frames
        .filter(f -> !f.getClassName().startsWith(IMPL_PACKAGE) && !f.getClassName().equals(API))
        .findFirst());
    if (frame.isEmpty()) {
      site.walkAlways = true;
      return "unknown";
    }
    StackWalker.StackFrame f = frame.get();
    String method = methodName(f.getMethodName());
    if (!definedIn(taskClass, f.getDeclaringClass(), method)) {
      site.walkAlways = true;
    }
    return f.getClassName() + "." + method;
  }

  /** Whether {@code taskClass} was written in {@code method} of {@code caller} (see the class comment). */
  static boolean definedIn(Class<?> taskClass, Class<?> caller, String method) {
    if (isLambda(taskClass)) {
      String name = taskClass.getName();
      return name.substring(0, name.indexOf(LAMBDA_MARK)).equals(caller.getName());
    }
    if (taskClass.getEnclosingClass() != caller) {
      return false;
    }
    Method m = taskClass.getEnclosingMethod();
    if (m != null) {
      return methodName(m.getName()).equals(method);
    }
    Constructor<?> c = taskClass.getEnclosingConstructor();
    // Neither: written in an initializer, which runs from a constructor or <clinit> but may be
    // submitted from anywhere.
    return c != null && method.equals("<init>");
  }

  /** A class the JVM made for a lambda expression or method reference. */
  private static boolean isLambda(Class<?> type) {
    return type.isSynthetic() && type.isHidden() && type.getName().contains(LAMBDA_MARK);
  }

  /** "ClassName.method" of the first frame outside this library's tracker (a stack walk). */
  static String caller() {
    WALKS.incrementAndGet();
    Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames
        .filter(f -> !f.getClassName().startsWith(IMPL_PACKAGE) && !f.getClassName().equals(API))
        .findFirst());
    return frame.map(f -> f.getClassName() + "." + methodName(f.getMethodName())).orElse("unknown");
  }

  /** Stack walks made so far in this JVM. */
  static long walks() {
    return WALKS.get();
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
