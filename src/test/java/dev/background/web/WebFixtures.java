package dev.background.web;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Tasks in known states, and a server for a router, shared by the web tests. */
final class WebFixtures {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final Backoff LONG = Backoff.fixed(Duration.ofMinutes(10));
  static final Backoff GIVE_UP_AT_ONCE = Backoff.fixed(Duration.ofMillis(1)).toBuilder().maxAttempts(1).build();

  /** A blocking task that runs until it is cancelled. */
  static final Task UNTIL_CANCELLED = ctx -> ctx.onCancel().toCompletionStage().toCompletableFuture().join();

  private WebFixtures() {
  }

  /** Serves {@code router} on 127.0.0.1 and a free port. */
  static HttpServer serve(Vertx vertx, Router router) {
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  /** A RUNNING task: it runs until cancelled. */
  static TaskHandle running(Tasks tasks, String name) {
    TaskHandle h = tasks.run(name, UNTIL_CANCELLED, LONG, RunOption.exactName());
    return awaitState(h, TaskState.RUNNING);
  }

  /** A BACKING_OFF task: it failed once and waits ten minutes before its restart. */
  static TaskHandle backingOff(Tasks tasks, String name, String message) {
    TaskHandle h = tasks.run(name, ctx -> {
      throw new IllegalStateException(message);
    }, LONG, RunOption.exactName());
    return awaitState(h, TaskState.BACKING_OFF);
  }

  /** A GAVE_UP task: its first failure exhausted maxAttempts. */
  static TaskHandle gaveUp(Tasks tasks, String name, String message) {
    TaskHandle h = tasks.run(name, ctx -> {
      throw new IllegalStateException(message);
    }, GIVE_UP_AT_ONCE, RunOption.exactName());
    return awaitState(h, TaskState.GAVE_UP);
  }

  /** A COMPLETED once task. */
  static TaskHandle completedOnce(Tasks tasks, String name) {
    TaskHandle h = tasks.once(name, ctx -> { }, RunOption.exactName());
    return awaitState(h, TaskState.COMPLETED);
  }

  static TaskHandle awaitState(TaskHandle h, TaskState state) {
    await().atMost(WAIT).until(() -> h.status().state() == state);
    return h;
  }

  /** An answer read off the wire: its status line's code, its head and its body. */
  record RawAnswer(int status, String head, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /**
   * Writes {@code request} (a whole HTTP/1.1 request, which should ask for
   * {@code Connection: close}) to {@code address}:{@code port} and reads until the server closes
   * the connection: the headers are exactly those written, Host included.
   */
  static RawAnswer raw(String address, int port, String request) {
    // A plain socket, not a Vert.x NetClient of the server's own Vert.x: nothing of the client
    // shares the event loops under test.
    Buffer received = Buffer.buffer();
    try (Socket socket = new Socket(address, port)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      received.appendBytes(socket.getInputStream().readAllBytes());
    } catch (SocketTimeoutException e) {
      throw new AssertionError("not closed within " + WAIT + "; received: "
          + received.toString(StandardCharsets.ISO_8859_1), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String text = received.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0) {
      throw new AssertionError("not an HTTP/1.x answer: " + text);
    }
    return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end),
        text.substring(end + 4));
  }
}
