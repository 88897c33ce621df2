package dev.background.callsites;

import dev.background.AsyncTask;
import dev.background.TaskContext;
import dev.background.Tasks;
import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * Places that submit {@code once} tasks with the default (caller-prefixed) name, outside the
 * library's packages. Each returns the name the tracker gave and the name a stack walk made at
 * the same call site ({@link #here()}), so a test can compare the two.
 */
public final class CallSites {

  /** The full name the tracker gave, and the walked prefix of the call site plus the short name. */
  public record Named(String given, String walked) {
  }

  /** A named task class: instances may be submitted from anywhere. */
  public static final class Ends implements AsyncTask {
    @Override
    public Future<Void> run(TaskContext ctx) {
      return Future.succeededFuture();
    }
  }

  private static final Ends SHARED = new Ends();

  /** A lambda written in a field initializer of this class. */
  private final AsyncTask held = ctx -> Future.succeededFuture();

  private final Tasks tasks;

  public CallSites(Tasks tasks) {
    this.tasks = tasks;
  }

  /** "this class.the calling method", by a stack walk of its own. */
  private static String here() {
    return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst())
        .map(f -> f.getClassName() + "." + f.getMethodName()).orElseThrow();
  }

  private static Future<Void> ends(TaskContext ctx) {
    return Future.succeededFuture();
  }

  public Named lambda() {
    String name = tasks.onceAsync("lambda", ctx -> Future.succeededFuture()).name();
    return new Named(name, here() + ".lambda");
  }

  public Named capturingLambda(int i) {
    String name = tasks.onceAsync("capturing",
        ctx -> i >= 0 ? Future.succeededFuture() : Future.failedFuture("negative")).name();
    return new Named(name, here() + ".capturing");
  }

  public Named methodReference() {
    String name = tasks.onceAsync("ref", CallSites::ends).name();
    return new Named(name, here() + ".ref");
  }

  public Named anonymousClass() {
    String name = tasks.onceAsync("anonymous", new AsyncTask() {
      @Override
      public Future<Void> run(TaskContext ctx) {
        return Future.succeededFuture();
      }
    }).name();
    return new Named(name, here() + ".anonymous");
  }

  public Named localClass() {
    final class Local implements AsyncTask {
      @Override
      public Future<Void> run(TaskContext ctx) {
        return Future.succeededFuture();
      }
    }
    String name = tasks.onceAsync("local", new Local()).name();
    return new Named(name, here() + ".local");
  }

  /** Submitted from a lambda: the walk names the method the lambda is written in. */
  public Named fromInsideALambda() {
    String walked = here() + ".inner";
    Supplier<String> submit = () -> tasks.onceAsync("inner", ctx -> Future.succeededFuture()).name();
    return new Named(submit.get(), walked);
  }

  public Named namedClassHere() {
    String name = tasks.onceAsync("named", SHARED).name();
    return new Named(name, here() + ".named");
  }

  public Named namedClassThere() {
    String name = tasks.onceAsync("named", SHARED).name();
    return new Named(name, here() + ".named");
  }

  public Named heldLambdaHere() {
    String name = tasks.onceAsync("held", held).name();
    return new Named(name, here() + ".held");
  }

  public Named heldLambdaThere() {
    String name = tasks.onceAsync("held", held).name();
    return new Named(name, here() + ".held");
  }

  /** A lambda written here, to be submitted by another class. */
  public AsyncTask lambdaForElsewhere() {
    return ctx -> Future.succeededFuture();
  }
}
