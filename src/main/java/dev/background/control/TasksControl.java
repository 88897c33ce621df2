package dev.background.control;

import dev.background.TaskHandle;
import dev.background.TaskPage;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * TasksControl carries out control requests on one tracker, for every transport: the event-bus
 * handler, the HTTP routes and each node of a cluster. It looks the task up, applies the action,
 * waits a bounded time for a cancel, and answers with the reply body:
 *
 * <table>
 * <caption>Actions</caption>
 * <tr><th>action</th><th>reply</th><th>refused with</th></tr>
 * <tr><td>list</td><td>{@code {"tasks": [status, ...], "next": name}}, sorted by name: every task,
 *     or the page and filters of its {@link ListQuery}; {@code next} is the {@code after} of the
 *     next page, {@code null} when no task follows</td><td></td></tr>
 * <tr><td>summary</td><td>counts by state and kind, and totals:
 *     {@link dev.background.TasksSummary#toJson()}</td><td></td></tr>
 * <tr><td>status</td><td>the task's status</td><td>404</td></tr>
 * <tr><td>cancel</td><td>the status once the current run has ended (or after the cancel wait);
 *     for a task that has ended, its final status at once</td>
 *     <td>404 only: never for the task's state, nor when the tracker is closed</td></tr>
 * <tr><td>restart</td><td>the status after starting a run now</td>
 *     <td>404; 409 while it runs, when it has ended, for a once task, or when closed</td></tr>
 * <tr><td>pause</td><td>the status</td><td>404; 409 when it has ended, for a once task, or when
 *     closed</td></tr>
 * <tr><td>resume</td><td>the status</td><td>404; 409 likewise</td></tr>
 * <tr><td>start</td><td>the status of the started task</td>
 *     <td>404 unknown; 409 running, not declared, or closed</td></tr>
 * <tr><td>trigger</td><td>the status once the schedule accepted the fire</td>
 *     <td>404; 409 for a task that is not a schedule, a finished one, a singleton standing by,
 *     a fire its overlap policy refuses, or when closed</td></tr>
 * <tr><td>detail</td><td>the status plus {@code backoff}, {@code options} and
 *     {@code stackTrace} (the last failure's, or null)</td><td>404</td></tr>
 * </table>
 *
 * <p><b>Cancel is idempotent</b>, on every transport as on {@link TaskHandle#cancel()}: cancelling a
 * task that has ended (completed, failed, gave up or cancelled) changes nothing and answers its
 * final status; cancelling one that is being cancelled waits for its run like the first cancel
 * did. A closed tracker has already cancelled every task, so it answers a cancel the same way;
 * every other change is refused there (409).
 *
 * <p>A status is {@link TaskStatus#toJson()}. A name is a full name or a short name that only one
 * task has. Thread-safe; it never blocks.
 */
public final class TasksControl {

  /** How long a {@code cancel} waits for the current run to end before it answers anyway: 5 s. */
  public static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Tasks tasks;
  private final TaskStarter starter;
  private final long cancelWaitMillis;

  /** Control of {@code tasks} without a {@code start} action (it answers 404). */
  public TasksControl(Vertx vertx, Tasks tasks) {
    this(vertx, tasks, TaskStarter.NONE);
  }

  /** Control of {@code tasks} whose {@code start} action uses {@code starter}. */
  public TasksControl(Vertx vertx, Tasks tasks, TaskStarter starter) {
    this(vertx, tasks, starter, DEFAULT_CANCEL_WAIT);
  }

  /**
   * @param cancelWait how long a {@code cancel} waits for the current run to end; > 0
   */
  public TasksControl(Vertx vertx, Tasks tasks, TaskStarter starter, Duration cancelWait) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.starter = Objects.requireNonNull(starter, "starter");
    if (cancelWait == null || cancelWait.isNegative() || cancelWait.isZero()) {
      throw new IllegalArgumentException("cancelWait: must be > 0, was " + cancelWait);
    }
    this.cancelWaitMillis = cancelWait.toMillis();
  }

  /**
   * Carries out {@code request} on this tracker (its scope is the transport's business). Never
   * throws: the future fails with a {@link ControlException} only, a 500 carrying the unexpected
   * error as its cause.
   */
  public Future<JsonObject> execute(ControlRequest request) {
    Future<JsonObject> reply;
    try {
      reply = dispatch(request);
    } catch (Throwable t) {
      reply = Future.failedFuture(t);
    }
    return reply.recover(t -> Future.failedFuture(ControlException.of(t)));
  }

  /**
   * Whether {@code reply}, the answer to {@code action}, shows the action done: {@code false} only
   * for a cancel whose task is still {@code RUNNING}, because its run did not end within the
   * cancel wait (HTTP answers 202 then).
   */
  public static boolean isSettled(ControlAction action, JsonObject reply) {
    return action != ControlAction.CANCEL
        || !TaskState.RUNNING.name().equals(reply.getValue("state"));
  }

  private Future<JsonObject> dispatch(ControlRequest request) {
    ControlAction action = request.action();
    String name = request.name();
    // Cancel is idempotent (see the class comment): close has cancelled every task already, so a
    // cancel asks nothing new of a closed tracker and is answered like any other.
    if (action.mutates() && action != ControlAction.CANCEL && tasks.isClosed()) {
      throw new IllegalStateException("the tracker is closed; " + action.wireName() + " is refused");
    }
    // A switch expression: a new action does not compile until it is handled here.
    return switch (action) {
      case LIST -> Future.succeededFuture(page(request.query()).toJson());
      case SUMMARY -> Future.succeededFuture(tasks.summary().toJson());
      case STATUS -> Future.succeededFuture(
          tasks.status(name).orElseThrow(() -> notFound(name)).toJson());
      case CANCEL -> cancel(handle(name));
      case RESTART -> then(handle(name), TaskHandle::restartNow);
      case PAUSE -> then(handle(name), TaskHandle::pause);
      case RESUME -> then(handle(name), TaskHandle::resume);
      case START -> Future.succeededFuture(starter.start(name).status().toJson());
      case TRIGGER -> then(handle(name), TaskHandle::trigger);
      case DETAIL -> detail(handle(name));
    };
  }

  /**
   * The detail of {@code h}; its stack trace is printed on a worker thread, since printing runs
   * the exception's own code.
   */
  private Future<JsonObject> detail(TaskHandle h) {
    JsonObject json = TaskDetail.of(h);
    Throwable failure = h.lastFailure().orElse(null);
    if (failure == null) {
      return Future.succeededFuture(json.put("stackTrace", null));
    }
    return vertx.executeBlocking(() -> TaskDetail.stackTrace(failure), false)
        .map(stack -> json.put("stackTrace", stack));
  }

  private Future<JsonObject> cancel(TaskHandle h) {
    return atMost(h.cancel(), cancelWaitMillis).map(v -> h.status().toJson());
  }

  private static Future<JsonObject> then(TaskHandle h, Function<TaskHandle, Future<Void>> action) {
    return action.apply(h).map(v -> h.status().toJson());
  }

  /** How many statuses a filtered list reads from the tracker at a time. */
  private static final int CHUNK = 512;

  /**
   * What the {@code list} action answers for {@code query}: every task, one page
   * ({@link Tasks#list(int, String)}), or, with filters, the matching tasks read chunk by chunk
   * until the page is full and one more match shows that {@code next} leads somewhere. A
   * transport that writes bytes itself uses {@link TaskPage#toBuffer()} (the HTTP routes do).
   *
   * @param query the page and filters
   * @return the statuses and the cursor of the next page
   */
  public TaskPage page(ListQuery query) {
    List<TaskStatus> page;
    String next = null;
    if (query.isAll()) {
      page = tasks.list();
    } else if (!query.isFiltered()) {
      TaskPage p = tasks.list(query.limit() == null ? Integer.MAX_VALUE : query.limit(), query.after());
      page = p.tasks();
      next = p.next();
    } else {
      int limit = query.limit() == null ? Integer.MAX_VALUE : query.limit();
      page = new ArrayList<>();
      String cursor = query.after();
      scan:
      for (;;) {
        TaskPage chunk = tasks.list(CHUNK, cursor);
        for (TaskStatus s : chunk.tasks()) {
          if (query.matches(s)) {
            if (page.size() == limit) {
              next = page.get(limit - 1).name();
              break scan;
            }
            page.add(s);
          }
        }
        if (chunk.next() == null) {
          break;
        }
        cursor = chunk.next();
      }
    }
    return new TaskPage(page, next);
  }

  private TaskHandle handle(String name) {
    return tasks.handle(name).orElseThrow(() -> notFound(name));
  }

  private RuntimeException notFound(String name) {
    List<String> matches = tasks.list().stream()
        .filter(s -> name.equals(s.shortName()))
        .map(TaskStatus::name)
        .collect(Collectors.toList());
    if (matches.size() > 1) {
      return new NoSuchElementException("no task named \"" + name + "\"; the short name matches "
          + String.join(", ", matches) + ": use the full name");
    }
    if (starter.isDeclared(name)) {
      return new NoSuchElementException("task \"" + name + "\" is declared but has not been "
          + "started; send {\"action\": \"start\", \"name\": \"" + name + "\"}");
    }
    return new NoSuchElementException("no task named \"" + name + "\"");
  }

  /** Completes when {@code f} does, or after {@code millis}, whichever comes first; never fails. */
  private Future<Void> atMost(Future<Void> f, long millis) {
    if (f.isComplete()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(millis, id -> done.tryComplete());
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }
}
