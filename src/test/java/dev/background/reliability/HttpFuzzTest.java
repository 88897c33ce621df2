package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.web.TasksHttpServer;
import dev.background.web.TasksRouter;
import dev.background.web.TasksWebOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fuzzes the HTTP face of a tracker, served on loopback and a free port twice (at {@code /} and,
 * through {@link TasksHttpServer}, under {@code /ops}), with control enabled by a token: 1,500
 * generated requests through an HTTP client (methods, paths with odd segments and encodings,
 * queries, headers including every shape of {@code Authorization}, bodies up to 12 KB) and 300
 * raw ones written to a socket (broken request lines, versions and headers, bytes that are not
 * HTTP). Every request is answered (or, for bytes that are not HTTP, the connection closed)
 * within 10 s, never with a 5xx except the health route's 503 DOWN (a task has given up, on
 * purpose), and router errors keep their JSON shape. Raw bytes may hold more than one request
 * (bytes after the empty line that ends one are the next): each gets its own answer, and every
 * answer is held to the same rule. Afterwards the dashboard, {@code /tasks} and
 * {@code /health} still answer on both servers.
 */
class HttpFuzzTest {

  static final int REQUESTS = 1_500;
  static final int RAW_REQUESTS = 300;
  private static final String TOKEN = "fuzz-token-0123456789";
  private static final long TIMEOUT_MS = 10_000;

  private static Vertx vertx;
  private static Tasks tasks;
  private static HttpServer plain;
  private static HttpServer mounted;
  private static HttpClient client;
  private static NetClient net;
  private static Request previous;
  private static final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();

  @BeforeContainer
  static void serve() {
    vertx = Vertx.vertx();
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5))
        .setMeterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    Backoff hour = Backoff.fixed(Duration.ofHours(1));
    tasks.runAsync("waits", ctx -> ctx.onCancel(), hour, RunOption.exactName());
    tasks.run("blocked", ctx -> ctx.onCancel().toCompletionStage().toCompletableFuture().join(), hour,
        RunOption.exactName());
    tasks.runAsync("backing-off", ctx -> Future.failedFuture("not yet"), hour, RunOption.exactName());
    tasks.runAsync("paused", ctx -> Future.succeededFuture(), hour, RunOption.exactName()).pause();
    tasks.onceAsync("once-done", ctx -> Future.succeededFuture(), RunOption.exactName());
    tasks.runAsync("gave-up", ctx -> Future.failedFuture("broken"), Backoff.fixed(Duration.ofMillis(1))
        .toBuilder().maxAttempts(1).build(), RunOption.exactName());
    tasks.runAsync("caf\u00e9 t\u00e2che/\u00fcber", ctx -> ctx.onCancel(), hour, RunOption.exactName());
    Waiting.quickly().until(() -> state("gave-up") == TaskState.GAVE_UP
        && state("backing-off") == TaskState.BACKING_OFF && state("blocked") == TaskState.RUNNING);

    TasksWebOptions control = new TasksWebOptions().setControlToken(TOKEN);
    plain = vertx.createHttpServer().requestHandler(TasksRouter.create(vertx, tasks, control))
        .listen(0, "127.0.0.1").await();
    mounted = TasksHttpServer.start(vertx, tasks, new TasksWebOptions(control).setHost("127.0.0.1")
        .setPort(0).setRoot("/ops")).await();
    client = vertx.createHttpClient();
    net = vertx.createNetClient();
  }

  @AfterContainer
  static void stillServing() {
    try {
      System.out.printf("HttpFuzzTest: answers by status: %s%n", new TreeMap<>(statuses));
      for (String root : List.of("", "/ops")) {
        int port = root.isEmpty() ? plain.actualPort() : mounted.actualPort();
        Answer dashboard = send(HttpMethod.GET, port, root + "/", MultiMap.caseInsensitiveMultiMap(), null);
        assertThat(dashboard.status).isEqualTo(200);
        assertThat(dashboard.contentType).startsWith("text/html");
        assertThat(dashboard.body.toString()).contains("<html");
        Answer list = send(HttpMethod.GET, port, root + "/tasks", MultiMap.caseInsensitiveMultiMap(), null);
        assertThat(list.status).isEqualTo(200);
        JsonArray all = new JsonArray(list.body);
        assertThat(all).hasSize(tasks.list().size());
        all.forEach(o -> TaskStatus.fromJson((JsonObject) o));
        Answer health = send(HttpMethod.GET, port, root + "/health", MultiMap.caseInsensitiveMultiMap(), null);
        assertThat(health.status).isEqualTo(503);
        assertThat(new JsonObject(health.body).getJsonArray("gaveUp")).contains("gave-up");
      }
      assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum())
          .isGreaterThanOrEqualTo(REQUESTS + RAW_REQUESTS);
    } finally {
      tasks.close().otherwiseEmpty().await();
      vertx.close().await();
    }
  }

  private static TaskState state(String name) {
    return tasks.status(name).map(TaskStatus::state).orElse(null);
  }

  // ---------------------------------------------------------------- through an HTTP client

  record Request(boolean underOps, String method, String uri, Map<String, String> headers, byte[] body) {
    @Override
    public String toString() {
      String u = uri.length() > 200 ? uri.substring(0, 200) + "...(" + uri.length() + ")" : uri;
      return method + " " + (underOps ? "[/ops server] " : "") + u + " " + headers.keySet()
          + (body == null ? "" : " body " + body.length + " bytes");
    }
  }

  /** What came back. */
  static final class Answer {
    int status;
    String contentType;
    Buffer body;
    /** How it is counted, for the summary. */
    String outcome;
  }

  @Property(tries = REQUESTS, shrinking = ShrinkingMode.BOUNDED)
  void everyRequestIsAnsweredWithoutAServerError(@ForAll("requests") Request r) {
    Request previous = HttpFuzzTest.previous;
    HttpFuzzTest.previous = r;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    r.headers().forEach(headers::add);
    int port = r.underOps() ? mounted.actualPort() : plain.actualPort();
    Answer a;
    try {
      a = send(HttpMethod.valueOf(r.method()), port, r.uri(), headers, r.body());
    } catch (IllegalArgumentException clientRefused) {
      // The client itself refuses some generated headers; nothing reached the server.
      count("client refused");
      return;
    } catch (HttpClosedException closed) {
      if (overLimits(r)) {
        // Over the server's limits (request line 4096, headers 8192 bytes): it answers 414/431
        // and closes, sometimes before the client has read the answer.
        count("closed (request over the limits)");
        return;
      }
      // Vert.x answers 431 without "Connection: close", then closes: a keep-alive client may
      // have sent this request on that connection. Sent again, it must be answered.
      assertThat(previous != null && overLimits(previous))
          .as("%s: connection closed without an answer (previous request: %s)", r, previous).isTrue();
      count("closed after the previous request's 431; answered when sent again");
      a = send(HttpMethod.valueOf(r.method()), port, r.uri(), headers, r.body());
    }
    count(String.valueOf(a.status));
    checkAnswer(r.toString(), a);
  }

  /**
   * No 5xx but the health route's 503 DOWN (for a HEAD, which has no body, a JSON 503); router
   * errors are {"status": N, "error": "..."}.
   */
  /** Whether the request line or the headers exceed what the server accepts (414, 431). */
  private static boolean overLimits(Request r) {
    int headerBytes = r.headers().entrySet().stream()
        .mapToInt(e -> e.getKey().length() + e.getValue().length() + 4).sum();
    return r.uri().length() > 4_000 || headerBytes > 8_000;
  }

  private static void checkAnswer(String what, Answer a) {
    assertThat(a.status).as(what).isBetween(100, 599);
    boolean noBody = a.body == null || a.body.length() == 0;
    if (a.status >= 500) {
      assertThat(a.status).as("%s answered %d: %s", what, a.status, a.body).isEqualTo(503);
      assertThat(a.contentType).as(what).startsWith("application/json");
      if (!noBody) {
        JsonObject health = new JsonObject(a.body);
        assertThat(health.getString("status")).as(what).isEqualTo("DOWN");
        assertThat(health.getJsonArray("reasons")).as(what).isNotEmpty();
      }
    }
    if (a.status >= 400 && !noBody && a.contentType != null && a.contentType.startsWith("application/json")) {
      JsonObject error = new JsonObject(a.body);
      if (a.status != 503) {
        assertThat(error.getInteger("status")).as(what).isEqualTo(a.status);
        assertThat(error.getString("error")).as(what).isNotBlank();
      }
    }
  }

  private static void count(String key) {
    statuses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static Answer send(HttpMethod method, int port, String uri, MultiMap headers, byte[] body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
        .setURI(uri).setHeaders(headers).setIdleTimeout(TIMEOUT_MS);
    Answer a = new Answer();
    Future<Buffer> done = client.request(options).compose(req -> (body == null ? req.send()
        : req.send(Buffer.buffer(body))).compose((HttpClientResponse resp) -> {
          a.status = resp.statusCode();
          a.contentType = resp.getHeader("Content-Type");
          return resp.body();
        }));
    try {
      a.body = done.await(TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + (TIMEOUT_MS + 5_000) + " ms: " + method + " " + uri, e);
    }
    return a;
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<String> methods = Arbitraries.frequencyOf(
        Tuple.of(14, Arbitraries.of("GET", "HEAD", "POST", "POST")),
        Tuple.of(4, Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")),
        Tuple.of(1, Arbitraries.of("FOO", "get", "PROPFIND", "M-SEARCH", "BREW")));
    Arbitrary<String> segment = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("tasks", "health", "metrics", "", "waits", "blocked", "backing-off",
            "paused", "once-done", "gave-up", "caf%C3%A9%20t%C3%A2che%2F%C3%BCber", "cancel", "restart",
            "pause", "resume")),
        Tuple.of(3, Arbitraries.of("..", ".", "%2e%2e", "%2F", "%2f..%2f", "%00", "%", "%zz", "%C3%28",
            "%E2%82", "index.html", "TASKS", "tasks;x=1", "*", "~", "%20", "+", "a%0d%0aSet-Cookie:x=y",
            "%252e%252e")),
        Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '.', '~')
            .ofMaxLength(30)),
        Tuple.of(1, Arbitraries.of(513, 600, 3_000, 5_000).map("n"::repeat)));
    Arbitrary<String> query = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just("")),
        Tuple.of(4, Arbitraries.of("?state=RUNNING", "?state=running,gave_up", "?state=", "?state=NOPE",
            "?kind=ONCE", "?kind=run&state=PAUSED", "?state=RUNNING&state=FAILED", "?kind=%00", "?",
            "?&&=", "?state=%", "?x=" + "y".repeat(2_000), "?state=PAUSED#frag")),
        Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40).map(s -> "?" + s
            .replace("#", "%23").replace("%", "%25"))));
    Arbitrary<String> randomPaths = Combinators.combine(
        Arbitraries.of("/", "/ops/", "//", "/ops//", "/ops", ""),
        segment.list().ofMaxSize(4), query)
        .as((prefix, segments, q) -> {
          String p = prefix + String.join("/", segments) + q;
          return p.startsWith("/") ? p : "/" + p;
        });
    Arbitrary<String> taskNames = Arbitraries.of("waits", "blocked", "backing-off", "paused", "once-done",
        "gave-up", "caf%C3%A9%20t%C3%A2che%2F%C3%BCber", "nope", "WAITS");
    Arbitrary<String> routes = Combinators.combine(Arbitraries.of("", "/ops"),
        Arbitraries.oneOf(Arbitraries.of("/", "/tasks", "/health", "/metrics", ""),
            taskNames.map(n -> "/tasks/" + n),
            Combinators.combine(taskNames, Arbitraries.of("cancel", "restart", "pause", "resume", "stop"))
                .as((n, a) -> "/tasks/" + n + "/" + a)),
        query)
        .as((root, route, q) -> root + route + q);
    Arbitrary<String> paths = Arbitraries.frequencyOf(Tuple.of(1, randomPaths), Tuple.of(1, routes));
    Arbitrary<String> authorization = Arbitraries.of("Bearer " + TOKEN, "Bearer " + TOKEN,
        "Bearer wrong", "bearer " + TOKEN, "Bearer  " + TOKEN, "Bearer", "Bearer ", "Basic Zm9vOmJhcg==",
        TOKEN, "Bearer " + TOKEN + "x", "Bearer " + "t".repeat(5_000), "Bearer \u00e9");
    Arbitrary<String> names = Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.of("Accept", "Content-Type", "X-Forwarded-For", "Origin", "Cookie", "Range",
            "If-None-Match", "Expect", "Connection", "Accept-Encoding", "X-Http-Method-Override")),
        Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').withChars('-').ofMinLength(1).ofMaxLength(20)));
    Arbitrary<String> values = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("*/*", "application/json", "text/html", "bytes=0-10", "gzip", "DELETE",
            "keep-alive", "close", "", "http://evil.example", "100-continue")),
        Tuple.of(2, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(100)),
        Tuple.of(1, Arbitraries.of(2_000, 7_000).map("v"::repeat)));
    Arbitrary<Map<String, String>> headers = Combinators.combine(
        Arbitraries.maps(names, values).ofMaxSize(4),
        authorization.optional(0.5))
        .as((h, auth) -> {
          Map<String, String> all = new TreeMap<>(h);
          all.remove("Expect");
          all.remove("Connection");
          auth.ifPresent(v -> all.put("Authorization", v));
          return all;
        });
    Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just((byte[]) null)),
        Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(512)),
        Tuple.of(1, Arbitraries.of("{\"action\":\"cancel\"}", "{}", "[", "\u0000")
            .map(s -> s.getBytes(StandardCharsets.UTF_8))),
        Tuple.of(1, Arbitraries.of(4_096, 4_097, 12_000).map(n -> new byte[n])));
    return Combinators.combine(Arbitraries.of(true, false), methods, paths, headers, bodies)
        .as((ops, method, path, h, body) -> new Request(ops || path.startsWith("/ops"), method,
            ops && !path.startsWith("/ops") ? "/ops" + (path.isEmpty() ? "/" : path) : path.isEmpty() ? "/" : path, h,
            method.equals("HEAD") || method.equals("TRACE") ? null : body));
  }

  // ---------------------------------------------------------------- raw bytes on a socket

  @Property(tries = RAW_REQUESTS, shrinking = ShrinkingMode.BOUNDED)
  void rawRequestsAreAnsweredOrClosedWithoutAServerError(@ForAll("rawRequests") String raw,
      @ForAll boolean underOps) {
    String text = sendRaw(raw, underOps ? mounted.actualPort() : plain.actualPort());
    if (text.isEmpty()) {
      count("raw: closed");
      return;
    }
    checkRawAnswer(raw, text).forEach(a -> count(a.outcome));
  }

  /**
   * The request the baseline run once failed on: an empty header line ends it early, so the server
   * answers it (400: no Host) and then reads the bytes after that empty line as a second request,
   * which Vert.x answers with a 400 of its own before closing.
   */
  @Example
  void bytesAfterARequestAreAnsweredAsASecondRequest() {
    String raw = "HEAD / HTTP/1.1\r\n\r\nConnection: close\r\n\r\n";
    for (int port : List.of(plain.actualPort(), mounted.actualPort())) {
      String text = sendRaw(raw, port);

      List<Answer> answers = checkRawAnswer(raw, text);
      assertThat(answers).as(printable(text)).extracting(a -> a.status).containsExactly(400, 400);
    }
  }

  /** The raw-request check still fails on a 500, first or pipelined. */
  @Example
  void theRawRequestCheckFailsOnAServerError() {
    String raw = "HEAD / HTTP/1.1\r\n\r\nConnection: close\r\n\r\n";
    String json400 = "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\n"
        + "content-length: 31\r\n\r\n";
    String vertx400 = "HTTP/1.0 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
    String vertx500 = "HTTP/1.0 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n";
    String body500 = "{\"status\":500,\"error\":\"internal error\"}";
    String json500 = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n"
        + "content-length: " + body500.length() + "\r\n\r\n";

    assertThat(checkRawAnswer(raw, json400 + vertx400)).hasSize(2);
    assertThatThrownBy(() -> checkRawAnswer(raw, json400 + vertx500)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("answered 500");
    assertThatThrownBy(() -> checkRawAnswer("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", json500 + body500))
        .isInstanceOf(AssertionError.class).hasMessageContaining("answered 500");
    assertThatThrownBy(() -> checkRawAnswer(raw, json400 + "garbage")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("not an HTTP response");
  }

  /** Writes {@code raw} on a new connection; what came back once the server closed it. */
  private static String sendRaw(String raw, int port) {
    NetSocket socket = net.connect(port, "127.0.0.1").await();
    Buffer received = Buffer.buffer();
    Promise<Buffer> closed = Promise.promise();
    socket.handler(received::appendBuffer);
    socket.closeHandler(v -> closed.tryComplete(received));
    socket.write(Buffer.buffer(raw.getBytes(StandardCharsets.ISO_8859_1)));
    try {
      return closed.future().await(TIMEOUT_MS, TimeUnit.MILLISECONDS).toString(StandardCharsets.ISO_8859_1);
    } catch (java.util.concurrent.TimeoutException e) {
      socket.close();
      throw new AssertionError("neither answered nor closed within " + TIMEOUT_MS + " ms; received "
          + received.length() + " bytes for " + printable(raw), e);
    }
  }

  /**
   * What the server sent back for {@code raw} is one or more HTTP responses, none a server error.
   * Several come back when the bytes hold several requests: pipelined, or bytes after the empty
   * line that ends the first request, which the server reads as the next one (and Vert.x answers
   * with a 4xx of its own when they are not a request). Each response counts: no 5xx but the
   * health route's 503 DOWN, and the 501 or 505 with which Vert.x refuses a protocol it does not
   * speak (for the first response: only when its request line has such a version). The first
   * response's JSON error keeps its shape; a HEAD's has no body.
   *
   * @return the responses, first to last
   */
  private static List<Answer> checkRawAnswer(String raw, String text) {
    List<Answer> answers;
    try {
      answers = responses(text, raw.startsWith("HEAD "));
    } catch (IllegalArgumentException e) {
      throw new AssertionError(printable(raw) + " answered " + printable(text) + ": " + e.getMessage(), e);
    }
    String requestLine = raw.contains("\r\n") ? raw.substring(0, raw.indexOf("\r\n")) : raw;
    boolean http1 = requestLine.endsWith(" HTTP/1.1") || requestLine.endsWith(" HTTP/1.0");
    for (int i = 0; i < answers.size(); i++) {
      Answer a = answers.get(i);
      String what = printable(raw) + (i == 0 ? "" : " (response " + (i + 1) + ")");
      if ((a.status == 501 || a.status == 505) && (i > 0 || !http1)) {
        // Vert.x itself refuses a protocol version it does not speak, before any router runs.
        a.outcome = "raw: " + a.status + " (version refused by Vert.x)";
        continue;
      }
      a.outcome = "raw: " + a.status + (i == 0 ? "" : " (pipelined)");
      try {
        checkAnswer(what, a);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(what + " answered " + a.status + ": " + printable(text), e);
      }
    }
    return answers;
  }

  private static final Pattern STATUS_LINE = Pattern.compile("[A-Za-z]+/\\d+\\.\\d+ (\\d{3})(?: [^\\r\\n]*)?\\r\\n");

  /**
   * Splits {@code text} into its responses, framed by Content-Length. A response has no body when
   * it is 1xx, 204 or 304, when it answers the HEAD request that came first, or when it holds a
   * Content-Length although the next response starts right after its head (the answer to a HEAD
   * among pipelined requests). Netty echoes the request's protocol name and version
   * ("HTTPS/1.1 501 Not Implemented").
   *
   * @throws IllegalArgumentException when some part of {@code text} is not an HTTP response
   */
  static List<Answer> responses(String text, boolean firstIsHead) {
    List<Answer> answers = new ArrayList<>();
    boolean head = firstIsHead;
    int pos = 0;
    while (pos < text.length()) {
      Matcher m = STATUS_LINE.matcher(text).region(pos, text.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException("not an HTTP response at byte " + pos);
      }
      int headEnd = text.indexOf("\r\n\r\n", pos);
      String headers = headEnd < 0 ? text.substring(pos) : text.substring(pos, headEnd);
      int bodyStart = headEnd < 0 ? text.length() : headEnd + 4;
      Answer a = new Answer();
      a.status = Integer.parseInt(m.group(1));
      a.contentType = header(headers, "content-type");
      String length = header(headers, "content-length");
      int bodyLength = length == null ? text.length() - bodyStart
          : Math.min(text.length() - bodyStart, Integer.parseInt(length));
      if (a.status < 200 || a.status == 204 || a.status == 304 || head
          || startsAResponse(text, bodyStart) && !startsAResponse(text, bodyStart + bodyLength)) {
        bodyLength = 0;
      }
      a.body = Buffer.buffer(text.substring(bodyStart, bodyStart + bodyLength));
      answers.add(a);
      head = head && a.status < 200;
      pos = bodyStart + bodyLength;
    }
    return answers;
  }

  private static boolean startsAResponse(String text, int pos) {
    return pos >= text.length() || STATUS_LINE.matcher(text).region(pos, text.length()).lookingAt();
  }

  private static String header(String head, String name) {
    return head.lines().filter(l -> l.toLowerCase().startsWith(name + ":"))
        .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse(null);
  }

  private static String printable(String raw) {
    String s = raw.length() > 300 ? raw.substring(0, 300) + "...(" + raw.length() + ")" : raw;
    return s.chars().mapToObj(c -> c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c))
        .collect(Collectors.joining());
  }

  /**
   * A request that always ends with an empty line and asks the server to close the connection,
   * so that every well-framed one is answered and then closed; the rest is mangled.
   */
  @Provide
  Arbitrary<String> rawRequests() {
    Arbitrary<String> methods = Arbitraries.oneOf(Arbitraries.of("GET", "HEAD", "POST", "DELETE", "CONNECT",
        "OPTIONS", "get", "G@T", "", "GET GET", "\u00ff\u00fe", "X".repeat(300)));
    Arbitrary<String> targets = Arbitraries.oneOf(
        Arbitraries.of("/", "/tasks", "/health", "/ops/", "/ops/tasks", "/ops/health", "/tasks/waits",
            "/tasks/waits/cancel", "/metrics", "*", "http://127.0.0.1/tasks", "tasks", "/tasks?state=RUNNING",
            "/t\u00e2ches", "/tasks/caf\u00c3\u00a9", "/ta sks", "/tasks#x", "/tasks\\..\\health", "/%",
            "/" + "a".repeat(5_000), ""),
        Arbitraries.strings().withCharRange('!', '~').ofMaxLength(50).map(s -> "/" + s));
    Arbitrary<String> versions = Arbitraries.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9",
        "HTTP/1.10", "HTTPS/1.1", "http/1.1", "", "HTTP/1.1 extra");
    Arbitrary<String> headerLines = Arbitraries.oneOf(
        Arbitraries.of("Host: 127.0.0.1", "Host: 127.0.0.1", "Host:", "Host: a\tb", "Host: localhost:8080",
            "Host: [::1]", "Host: evil.example", "Host: [::1", "Host: 127.0.0.1:x", "Accept: */*",
            "Authorization: Bearer " + TOKEN, "Authorization: Bearer nope", "NoColonHere",
            " leading: space", "X-Null: a\u0000b", "Content-Length: 0", "Content-Length: -1",
            "Content-Length: abc", "Content-Length: 0\r\nContent-Length: 5", "Transfer-Encoding: gzip",
            "Expect: 100-continue", "X-Long: " + "z".repeat(9_000), ": empty-name", "X-Fold: a\r\n b",
            "\u00e9t\u00e9: \u00e9"),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60));
    Arbitrary<String> wellFormedish = Combinators.combine(methods, targets, versions,
        headerLines.list().ofMaxSize(5))
        .as((m, t, v, hs) -> m + " " + t + (v.isEmpty() ? "" : " " + v) + "\r\n"
            + hs.stream().map(h -> h + "\r\n").collect(Collectors.joining())
            + "Connection: close\r\n\r\n");
    Arbitrary<String> chunked = Arbitraries.of(
        "POST /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST /tasks/waits/pause HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        "POST /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
        "GET /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd");
    // (Bytes that are all control characters and blanks are skipped by the server while it waits
    // for a request line, as RFC 9112 allows: they would wait forever without an idle timeout.)
    Arbitrary<String> junk = Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMinLength(1).ofMaxLength(300)
        .filter(s -> s.chars().anyMatch(c -> !Character.isISOControl(c) && !Character.isWhitespace(c)))
        .map(s -> s + "\r\n\r\n");
    return Arbitraries.frequencyOf(Tuple.of(7, wellFormedish), Tuple.of(1, chunked), Tuple.of(2, junk));
  }
}
