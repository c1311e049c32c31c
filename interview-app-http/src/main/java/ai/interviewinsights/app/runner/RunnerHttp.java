package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.web.Failures;
import ai.interviewinsights.app.web.JettyProblems;
import ai.interviewinsights.app.web.LimitedBody;
import ai.interviewinsights.app.web.Problem;
import ai.interviewinsights.app.web.RequestIds;
import ai.interviewinsights.app.web.SecurityHeaders;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.MDC;

/**
 * A runner's HTTP server, on Jetty's own API: two HTTP routes and one WebSocket, with the control plane's answers
 * (problem documents with stable codes, the same security headers, a request id) and no servlet layer.
 *
 * <p>Why not Javalin, as the control plane (ADR 0027): a runner serves three routes to one browser, and starts once
 * per interview. Javalin's servlet container (Jetty's ee10 layer, the servlet API, its session handler) and its own
 * router were ~38 ms of every runner's start on this machine (a bare Jetty server with a WebSocket starts in ~113 ms,
 * a bare Javalin one in ~151 ms, same flags and archive) and ~480 of the ~4,700 classes it loaded at rest, for
 * nothing a runner uses. Jetty is the library underneath either way.
 *
 * <ul>
 *   <li>One connector with one selector that also accepts, a pool of at most 16 threads with one idle, and the
 *       runner's own timer as Jetty's scheduler (an idle runner keeps one timer thread, not two).</li>
 *   <li>A request for another Fly machine ({@code ?instance=} naming another) is answered {@code 307} with
 *       {@code fly-replay}, and Fly's proxy replays it there; WebSocket upgrades included.</li>
 *   <li>Jetty's own refusals (an unparseable request, headers too large) are {@link JettyProblems}' documents.</li>
 * </ul>
 */
public final class RunnerHttp {

    /** An HTTP route's answer. */
    public record Answer(int status, String contentType, byte[] body) {
        public static Answer of(int status, String contentType, String body) {
            return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An HTTP route: the request in, its answer out; a failure becomes its problem document ({@link Failures}). */
    @FunctionalInterface
    public interface Route {
        Answer handle(Request request) throws Exception;
    }


    private final ObjectMapper json;
    private final SecurityHeaders headers = new SecurityHeaders(false);
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final String machineId;
    private final Supplier<String> sessionForLogs;
    private String socketPath;
    private Function<Map<String, String>, Session.Listener> socket;
    private long maxTextMessage;
    private java.time.Duration socketIdle;
    private Server server;
    private ServerConnector connector;

    /**
     * @param machineId      this runner's Fly machine id, or null off Fly (no replay then)
     * @param sessionForLogs the session put in the logging context of every request (null: none)
     */
    public RunnerHttp(ObjectMapper json, String machineId, Supplier<String> sessionForLogs) {
        this.json = json;
        this.machineId = machineId;
        this.sessionForLogs = sessionForLogs;
    }

    public RunnerHttp route(String method, String path, Route route) {
        routes.put(method + " " + path, route);
        return this;
    }

    /**
     * The WebSocket at {@code path}: each connection's listener is made from its query parameters.
     *
     * @param maxTextMessage the largest text message taken; Jetty closes the socket (1009) on a larger one
     * @param idle           how long a silent socket stays open
     */
    public RunnerHttp webSocket(String path, long maxTextMessage, java.time.Duration idle,
                                Function<Map<String, String>, Session.Listener> listener) {
        this.socketPath = path;
        this.socket = listener;
        this.maxTextMessage = maxTextMessage;
        this.socketIdle = idle;
        return this;
    }

    /** The routes served, as {@code "METHOD /path"} (the WebSocket as {@code GET}, which is how its upgrade comes). */
    public Set<String> servedRoutes() {
        Set<String> served = new TreeSet<>(routes.keySet());
        if (socketPath != null) {
            served.add("GET " + socketPath);
        }
        return served;
    }

    /** The request threads' name, and how many there may be: one interview, one browser. */
    private static final String THREAD_NAME = "runner-http";
    private static final int MAX_THREADS = 16;
    /** How long a spare request thread waits idle before it ends. */
    static final java.time.Duration SPARE_IDLE = java.time.Duration.ofSeconds(5);

    /**
     * Starts listening.
     *
     * @param timer Jetty's scheduler (the runner's own timer thread), or null for one of Jetty's own
     */
    public RunnerHttp start(String host, int port, ScheduledExecutorService timer) throws Exception {
        // One interview, one browser: a handful of threads serve it (Jetty's default keeps eight idle ones per
        // runner, and a machine holds hundreds of runners; docs/performance.md). A spare idle for 5 s ends (Jetty
        // ends one per idle period: a standby's two spares from its rehearsal and the pool's first requests took a
        // minute at 30 s); making one again when the browser speaks costs a thread's start, well under a millisecond.
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 1, (int) SPARE_IDLE.toMillis());
        threads.setName(THREAD_NAME);
        threads.setReservedThreads(0);
        server = new Server(threads, timer == null ? null : new ScheduledExecutorScheduler(timer), null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // One selector, which also accepts (no acceptor thread of its own).
        connector = new ServerConnector(server, null, null, null, 0, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setErrorHandler(new JettyProblems(json, headers));
        ServerWebSocketContainer container = null;
        if (socketPath != null) {
            container = ServerWebSocketContainer.ensure(server);
            container.setMaxTextMessageSize(maxTextMessage);
            container.setIdleTimeout(socketIdle);
        }
        server.setHandler(new Router(container));
        server.start();
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private final class Router extends Handler.Abstract {

        private final ServerWebSocketContainer container;

        Router(ServerWebSocketContainer container) {
            this.container = container;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String requestId = RequestIds.saneOrNew(request.getHeaders().get(RequestIds.HEADER));
            response.getHeaders().put(RequestIds.HEADER, requestId);
            String sessionId = sessionForLogs.get();
            if (sessionId != null) {
                MDC.put("session_id", sessionId);
            }
            MDC.put("request_id", requestId);
            String method = request.getMethod();
            String path = Request.getPathInContext(request);
            try {
                Fields query;
                try {
                    query = Request.extractQueryParameters(request);
                } catch (RuntimeException malformed) {
                    problem(response, Problem.of(400, "request.malformed", "Bad Request",
                            "the query string could not be parsed", path, requestId), callback);
                    return true;
                }
                String wanted = query.getValue("instance");
                // An instance that names nothing (empty, or nothing left once cleaned) is no other machine.
                if (machineId != null && wanted != null && !wanted.replaceAll("[^A-Za-z0-9_-]", "").isEmpty()
                        && !wanted.equals(machineId)) {
                    response.getHeaders().put("fly-replay", "instance=" + wanted.replaceAll("[^A-Za-z0-9_-]", ""));
                    answer(response, new Answer(307, null, new byte[0]), callback);
                    return true;
                }
                if (path.equals(socketPath) && "GET".equals(method)) {
                    Map<String, String> parameters = new LinkedHashMap<>();
                    query.forEach(field -> parameters.put(field.getName(), field.getValue()));
                    boolean upgraded;
                    try {
                        upgraded = container.upgrade((upgrade, upgradeResponse, upgradeCallback) -> {
                            // No per-message compression (decision 26, amended): browsers offer permessage-deflate,
                            // and for messages of a few hundred bytes it cost the runner zlib state per connection
                            // and ~6% of its CPU in the ingest benchmark.
                            upgradeResponse.setExtensions(List.of());
                            return socket.apply(parameters);
                        }, request, response, callback);
                    } catch (IllegalArgumentException unparseable) {
                        // Jetty takes characters in a query that java.net.URI refuses (|, {, ^ ...), and its
                        // handshake makes a URI of the request's: the browser's request, not a failure of ours. Not
                        // logged with its message, which quotes the URI and so the candidate's token.
                        problem(response, Problem.of(400, "request.malformed", "Bad Request",
                                "the WebSocket URL could not be parsed", path, requestId), callback);
                        return true;
                    }
                    if (!upgraded) {
                        String version = request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_VERSION);
                        if (version != null && !"13".equals(version.trim())) {
                            // RFC 6455, 4.4: a version the server does not speak is a 426 naming the one it does.
                            response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
                            problem(response, Problem.of(426, "request.websocket_version", "Upgrade Required",
                                    "this endpoint speaks WebSocket version 13", path, requestId), callback);
                        } else {
                            problem(response, Problem.of(400, "request.not_websocket", "Bad Request",
                                    "this endpoint takes a WebSocket upgrade", path, requestId), callback);
                        }
                    }
                    return true;
                }
                Route route = routes.get(method + " " + path);
                if (route == null) {
                    boolean pathServed = routes.keySet().stream().anyMatch(key -> key.endsWith(" " + path))
                            || path.equals(socketPath);
                    problem(response, pathServed
                            ? Problem.of(405, "route.method_not_allowed", "Method Not Allowed",
                                    method + " is not supported on " + path, path, requestId)
                            : Problem.of(404, "route.not_found", "Not Found",
                                    "no such endpoint: " + method + " " + path, path, requestId), callback);
                    return true;
                }
                answer(response, route.handle(request), callback);
            } catch (Throwable failure) {
                Failures.problemFor(failure, method, path, requestId).ifPresentOrElse(
                        problem -> problem(response, problem, callback), () -> callback.failed(failure));
            } finally {
                MDC.remove("request_id");
                MDC.remove("session_id");
            }
            return true;
        }
    }

    /** The body of {@code request}, at most {@code limit} bytes ({@link LimitedBody}). */
    public static String text(Request request, int limit, int status, String code, String message) {
        return new String(LimitedBody.read(request.getLength(), Content.Source.asInputStream(request), limit, status,
                code, message), StandardCharsets.UTF_8);
    }

    public Answer json(int status, Object body) throws JsonProcessingException {
        return new Answer(status, "application/json", json.writeValueAsBytes(body));
    }

    private void problem(Response response, Problem problem, Callback callback) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException impossible) {
            body = "{\"code\":\"internal\"}".getBytes(StandardCharsets.UTF_8);
        }
        answer(response, new Answer(problem.status(), Problem.CONTENT_TYPE, body), callback);
    }

    private void answer(Response response, Answer answer, Callback callback) {
        response.setStatus(answer.status());
        if (answer.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        }
        headers.headersFor(answer.contentType(), true).forEach((name, value) -> {
            if (!response.getHeaders().contains(name)) {
                response.getHeaders().put(name, value);
            }
        });
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
