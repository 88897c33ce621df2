package dev.background.cluster;

import dev.background.control.ControlAction;
import dev.background.control.ControlException;
import dev.background.control.ControlRequest;
import dev.background.control.ControlScope;
import dev.background.control.TasksControl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * ClusterControlHandler answers control requests on a clustered {@link dev.background.verticle.TasksVerticle}'s
 * address by asking every node. Each node also serves its own tasks on a node address with a
 * plain control handler (the event-bus {@code ControlHandler}); this handler reads the request with
 * {@link ControlRequest#fromScopedBody(Object)}, sends it to every registered node's address and
 * combines the answers:
 *
 * <ul>
 * <li>{@code list}: {@code {"tasks": [...], "next": name, "nodes": [ids that answered],
 *   "unreachable": [ids]}}, each status with its {@code node} (and, for a singleton, its
 *   {@code holder}), sorted by name then node. With a {@code limit}, each node answers its own
 *   page and the pages are merged into one of at most {@code limit} statuses, cut so that the next
 *   page ({@code after} = {@code next}) misses and repeats nothing: only names up to the lowest
 *   {@code next} of the nodes are complete, and the statuses of one name on several nodes are kept
 *   on one page (over {@code limit} only when {@code limit} is smaller than one name's
 *   statuses).</li>
 * <li>{@code summary}: every number of the nodes' summaries added up, with {@code nodes} and
 *   {@code unreachable}.</li>
 * <li>any other action: the status from a node where it succeeded (the singleton's holder when
 *   there is one), plus {@code "nodes": [{"node", "code", "error"}]} for every node that answered
 *   and {@code "unreachable"}. When no node succeeded: 409 if a node refused it because of the
 *   task's state, else 404 when no node has the task, else the first node's code.</li>
 * </ul>
 *
 * <p>Every request is answered within the reply timeout plus a small margin (the reply timeout
 * plus the cancel wait for {@code cancel}): the node registry is read within a quarter of it
 * (else the nodes last read are asked), each node is given what is left, at least half of it, and a
 * node that has not answered by then is listed under {@code unreachable}; it never holds the
 * reply up longer; a node whose cluster member has already left is listed there without being
 * asked. {@code "scope": "local"} asks only this node. A request that is
 * not well formed is refused here with 400, in the words every control handler uses. Thread-safe.
 */
public final class ClusterControlHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterControlHandler.class);
  /** How much later than its send timeout a node's answer is given up for good. */
  private static final long DEADLINE_MARGIN_MILLIS = 200;

  private final Vertx vertx;
  private final NodeRegistry registry;
  private final String nodeAddress;
  private final long timeoutMillis;
  private final Predicate<String> isMember;

  ClusterControlHandler(Vertx vertx, NodeRegistry registry, String nodeAddress, Duration replyTimeout) {
    this(vertx, registry, nodeAddress, replyTimeout, member -> true);
  }

  /**
   * @param isMember whether a cluster member id (an entry's {@code member}) is still in the
   *     cluster; a node whose member is not is unreachable without being asked
   */
  ClusterControlHandler(Vertx vertx, NodeRegistry registry, String nodeAddress, Duration replyTimeout,
      Predicate<String> isMember) {
    this.vertx = vertx;
    this.registry = registry;
    this.nodeAddress = nodeAddress;
    this.timeoutMillis = replyTimeout.toMillis();
    this.isMember = isMember;
  }

  @Override
  public void handle(Message<Object> msg) {
    try {
      route(msg);
    } catch (ControlException e) {
      msg.fail(e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("cluster: could not route a control request", e);
      msg.fail(ControlException.INTERNAL_ERROR, "unexpected error: " + e);
    }
  }

  private void route(Message<Object> msg) {
    ControlRequest request = ControlRequest.fromScopedBody(msg.body());
    if (request.scope() == ControlScope.LOCAL) {
      forward(msg, request);
      return;
    }
    long began = System.nanoTime();
    registry.nodes(timeoutMillis / 4).onComplete(ar -> {
      long spent = (System.nanoTime() - began) / 1_000_000;
      fanOut(msg, request, ar.result(), Math.max(timeout(request) - spent, timeout(request) / 2));
    });
  }

  /** How long a node may take to answer {@code request}: a cancel also waits for the run to end. */
  private long timeout(ControlRequest request) {
    return request.action() == ControlAction.CANCEL
        ? timeoutMillis + TasksControl.DEFAULT_CANCEL_WAIT.toMillis() : timeoutMillis;
  }

  /** Hands the request to this node's own handler and passes its answer on. */
  private void forward(Message<Object> msg, ControlRequest request) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout(request));
    vertx.eventBus().request(nodeAddress, request.toJson(), options)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result().body());
          } else if (ar.cause() instanceof ReplyException
              && ((ReplyException) ar.cause()).failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            msg.fail(((ReplyException) ar.cause()).failureCode(), ar.cause().getMessage());
          } else {
            msg.fail(ControlException.INTERNAL_ERROR, "this node did not answer: " + ar.cause().getMessage());
          }
        });
  }

  /** One node's answer. */
  record Answer(String node, JsonObject body, int code, String error, boolean unreachable) {
  }

  /**
   * Asks every node, each within {@code perNodeMillis}. Each request carries that send timeout; a
   * second deadline, a little later, covers a reply that the event bus would deliver late.
   */
  private void fanOut(Message<Object> msg, ControlRequest request, Map<String, JsonObject> nodes,
      long perNodeMillis) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(perNodeMillis);
    JsonObject body = request.toJson();
    List<Future<Answer>> calls = new ArrayList<>();
    for (String node : NodeRegistry.sorted(nodes.keySet())) {
      String address = nodes.get(node).getString("address");
      String member = nodes.get(node).getString("member");
      if (member != null && !isMember.test(member)) {
        calls.add(Future.succeededFuture(new Answer(node, null, -1, "left the cluster", true)));
        continue;
      }
      calls.add(vertx.eventBus().<JsonObject>request(address, body, options)
          .timeout(perNodeMillis + DEADLINE_MARGIN_MILLIS, TimeUnit.MILLISECONDS)
          .transform(ar -> Future.succeededFuture(
              answer(node, ar.succeeded() ? ar.result().body() : null, ar.cause()))));
    }
    Future.all(calls).onComplete(ar -> {
      List<Answer> answers = new ArrayList<>();
      calls.forEach(f -> answers.add(f.result()));
      if (request.action() == ControlAction.LIST) {
        msg.reply(list(answers, request.query().limit()));
      } else if (request.action() == ControlAction.SUMMARY) {
        msg.reply(summary(answers));
      } else {
        reply(msg, request.name(), answers);
      }
    });
  }

  private static Answer answer(String node, JsonObject body, Throwable failure) {
    if (failure == null) {
      return new Answer(node, body, 200, null, false);
    }
    if (failure instanceof ReplyException
        && ((ReplyException) failure).failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return new Answer(node, null, ((ReplyException) failure).failureCode(), failure.getMessage(), false);
    }
    LOG.debug("cluster: node {} did not answer: {}", node, failure.toString());
    return new Answer(node, null, -1, String.valueOf(failure.getMessage()), true);
  }

  /** The nodes' lists (or pages of at most {@code limit}, when not null) merged; see the class comment. */
  static JsonObject list(List<Answer> answers, Integer limit) {
    List<JsonObject> tasks = new ArrayList<>();
    JsonArray answered = new JsonArray();
    JsonArray unreachable = new JsonArray();
    // Names up to the lowest "next" of the nodes are complete: every node sent all it has there.
    String horizon = null;
    for (Answer a : answers) {
      if (a.body() != null) {
        answered.add(a.node());
        JsonArray array = a.body().getJsonArray("tasks", new JsonArray());
        for (int i = 0; i < array.size(); i++) {
          tasks.add(array.getJsonObject(i));
        }
        String next = a.body().getString("next");
        if (next != null && (horizon == null || next.compareTo(horizon) < 0)) {
          horizon = next;
        }
      } else {
        unreachable.add(a.node());
      }
    }
    tasks.sort(Comparator.comparing((JsonObject t) -> t.getString("name"))
        .thenComparing(t -> String.valueOf(t.getString("node"))));
    String next = null;
    if (limit != null) {
      int complete = tasks.size();
      if (horizon != null) {
        complete = 0;
        while (complete < tasks.size() && tasks.get(complete).getString("name").compareTo(horizon) <= 0) {
          complete++;
        }
      }
      int cut = Math.min(limit, complete);
      if (cut < complete) {
        String boundary = tasks.get(cut - 1).getString("name");
        if (tasks.get(cut).getString("name").equals(boundary)) {
          // Keep one name's statuses together: end the page before the name, or after it when
          // the name alone fills the page.
          int start = cut - 1;
          while (start > 0 && tasks.get(start - 1).getString("name").equals(boundary)) {
            start--;
          }
          if (start > 0) {
            cut = start;
          } else {
            while (cut < complete && tasks.get(cut).getString("name").equals(boundary)) {
              cut++;
            }
          }
        }
      }
      if ((cut < tasks.size() || horizon != null) && cut > 0) {
        next = tasks.get(cut - 1).getString("name");
      }
      tasks = tasks.subList(0, cut);
    }
    return new JsonObject().put("tasks", new JsonArray(new ArrayList<>(tasks))).put("next", next)
        .put("nodes", answered).put("unreachable", unreachable);
  }

  /** Every number of the nodes' summaries (one level of nesting) added up. */
  static JsonObject summary(List<Answer> answers) {
    JsonObject sum = new JsonObject();
    JsonArray answered = new JsonArray();
    JsonArray unreachable = new JsonArray();
    for (Answer a : answers) {
      if (a.body() == null) {
        unreachable.add(a.node());
        continue;
      }
      answered.add(a.node());
      add(sum, a.body());
    }
    return sum.put("nodes", answered).put("unreachable", unreachable);
  }

  private static void add(JsonObject sum, JsonObject part) {
    for (String key : part.fieldNames()) {
      Object v = part.getValue(key);
      if (v instanceof Number) {
        Object s = sum.getValue(key);
        sum.put(key, (s instanceof Number ? ((Number) s).longValue() : 0L) + ((Number) v).longValue());
      } else if (v instanceof JsonObject) {
        Object s = sum.getValue(key);
        if (!(s instanceof JsonObject)) {
          s = new JsonObject();
          sum.put(key, s);
        }
        add((JsonObject) s, (JsonObject) v);
      }
    }
  }

  private static void reply(Message<Object> msg, String name, List<Answer> answers) {
    JsonArray perNode = new JsonArray();
    JsonArray unreachable = new JsonArray();
    Answer chosen = null;
    Answer conflict = null;
    Answer other = null;
    for (Answer a : answers) {
      if (a.unreachable()) {
        unreachable.add(a.node());
        continue;
      }
      perNode.add(new JsonObject().put("node", a.node()).put("code", a.code()).put("error", a.error()));
      if (a.body() != null) {
        if (chosen == null || isHolder(a.body()) && !isHolder(chosen.body())) {
          chosen = a;
        }
      } else if (a.code() == ControlException.CONFLICT) {
        conflict = conflict == null ? a : conflict;
      } else if (a.code() != ControlException.NOT_FOUND) {
        other = other == null ? a : other;
      }
    }
    if (chosen != null) {
      msg.reply(chosen.body().copy().put("nodes", perNode).put("unreachable", unreachable));
    } else if (conflict != null) {
      msg.fail(conflict.code(), conflict.node() + ": " + conflict.error());
    } else if (other != null) {
      msg.fail(other.code(), other.node() + ": " + other.error());
    } else if (!perNode.isEmpty()) {
      msg.fail(ControlException.NOT_FOUND, "no task named \"" + name + "\" on any node"
          + (unreachable.isEmpty() ? "" : " that answered (unreachable: " + unreachable.encode() + ")"));
    } else {
      msg.fail(ControlException.INTERNAL_ERROR, "no node answered (unreachable: " + unreachable.encode() + ")");
    }
  }

  private static boolean isHolder(JsonObject status) {
    String holder = status.getString("holder");
    return holder != null && holder.equals(status.getString("node"));
  }
}
