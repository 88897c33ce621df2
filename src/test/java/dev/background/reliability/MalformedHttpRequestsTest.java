package dev.background.reliability;

import dev.background.Tasks;
import dev.background.web.TasksHttpServer;
import dev.background.web.TasksRouter;
import dev.background.web.TasksWebOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Requests that vertx-web itself refuses before any route runs (400 without Host or with an empty
 * path, 404 for a target that is not a path) are client mistakes: the router answers them with
 * that status in its JSON shape, with Vert.x's reason, not a 500 "internal error" with a logged
 * stack trace. Found by HttpFuzzTest.
 */
@ExtendWith(VertxExtension.class)
class MalformedHttpRequestsTest {

  static Stream<Arguments> refusedByVertx() {
    return Stream.of(
        arguments("an HTTP/1.1 request without Host", "GET /tasks HTTP/1.1\r\nConnection: close\r\n\r\n",
            400, "'Host' header is required"),
        arguments("a target that is only a query", "GET ?state=RUNNING HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Connection: close\r\n\r\n", 400, "must start with '/'"),
        arguments("a target that is not a path", "GET tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            404, "not found"),
        arguments("an asterisk target", "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            404, "not found"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByVertx")
  void aRequestThatVertxRefusesIsA4xxFromTheRouter(String what, String raw, int status, String reason,
      Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    HttpServer server = vertx.createHttpServer()
        .requestHandler(TasksRouter.create(vertx, tasks, new TasksWebOptions()))
        .listen(0, "127.0.0.1").await();

    String answer = exchange(vertx, server.actualPort(), raw);

    assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
    JsonObject body = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("error")).contains(reason);
    tasks.close().await();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByVertx")
  void theServerUnderARootRefusesThemTheSameWayWithoutLoggingAnError(String what, String raw, int status, String reason,
      Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    HttpServer server = TasksHttpServer.start(vertx, tasks, new TasksWebOptions().setRoot("/ops")).await();

    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String answer;
    try {
      answer = exchange(vertx, server.actualPort(), raw);
    } finally {
      System.setErr(err);
    }

    assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
    JsonObject body = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR");
    tasks.close().await();
  }

  /** Writes {@code raw} and reads until the server closes the connection. */
  private static String exchange(Vertx vertx, int port, String raw) throws Exception {
    NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").await();
    Buffer received = Buffer.buffer();
    Promise<Void> closed = Promise.promise();
    socket.handler(received::appendBuffer);
    socket.closeHandler(v -> closed.tryComplete());
    socket.write(raw);
    try {
      closed.future().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      socket.close();
      throw new AssertionError("not closed within 10 s; received: "
          + received.toString(StandardCharsets.ISO_8859_1), e);
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }
}
