package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.web.BearerToken;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.web.ErrorResponses;
import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.app.runner.protocol.ClientMessage;
import ai.interviewinsights.app.runner.protocol.RunnerProtocol;
import ai.interviewinsights.app.runner.protocol.ServerMessage;
import ai.interviewinsights.app.tokens.SessionTokens;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.runner.InterviewRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One session's runner: serves that session's WebSocket (and an HTTP form of the SDP exchange), drives an
 * {@link InterviewRunner}, and exits when the interview is over. Only the browser holding the session's candidate
 * token may connect; a reconnect replaces the previous connection and the interview continues.
 */
public final class RunnerServer {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerServer.class);
    private static final int REPLACED = 4001;
    private static final int MAX_MESSAGE_CHARS = RunnerProtocol.MAX_MESSAGE_CHARS;

    // Not final for one reason: a standby runner (ADR 0020) is started parked, for no session, and bound once.
    private volatile SessionId session;
    private volatile TenantId tenant;
    private volatile ai.interviewinsights.domain.model.Secret clientKey;
    private final Clock clock;
    private final ObjectMapper json = Json.shared();
    private final RunnerProtocol protocol = new RunnerProtocol();
    private final AtomicReference<WsContext> current = new AtomicReference<>();
    /**
     * Counted down once the browser has been told the interview is over (or that this runner stops) and the close
     * frame is on the wire: the server is not stopped before that ({@link #shutDown}).
     */
    private final java.util.concurrent.CountDownLatch goodbye = new java.util.concurrent.CountDownLatch(1);
    /**
     * How long a stopping runner waits, in all, for the goodbye of an end being reported: with the suspension's drain
     * (1.5 s) and a last goodbye (1 s), well inside the local provisioner's grace before it kills (5 s).
     */
    static final java.time.Duration GOODBYE_WAIT = java.time.Duration.ofSeconds(2);
    private volatile InterviewRunner runner;
    private volatile MessageDispatcher dispatcher;
    private volatile boolean parked;
    /**
     * The runner's one timer thread: its time budget ticks here, and Jetty schedules its own timeouts here too (the
     * server is given this executor as its scheduler), so an idle runner keeps one timer thread, not two.
     */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runner-scheduler");
        t.setDaemon(true);
        return t;
    });
    /** Set while an end at the budget runs off the timer thread (it may wait for the control plane). */
    private final java.util.concurrent.atomic.AtomicBoolean budgetEnding = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set once the budget has nothing more to do (the runner exits or stops). */
    private volatile boolean budgetOver;
    private final Runnable onEnded;
    private final String machineId;
    private Javalin app;
    private volatile java.time.Duration idleLimit = DEFAULT_IDLE_LIMIT;
    private volatile java.time.Instant startedAt;

    /**
     * How long a runner waits for its call before it gives up: every runner has a deadline, so one nobody joins (its
     * control plane gone, its session expired unseen) never lives on listening.
     */
    public static final java.time.Duration DEFAULT_IDLE_LIMIT = java.time.Duration.ofMinutes(30);
    /** How long past its deadline a runner that cannot report its end waits before it exits anyway. */
    static final java.time.Duration GRACE = java.time.Duration.ofMinutes(2);

    /** Builds the runner around its ports; {@code onEnded} runs once the end has been reported (e.g. exit). */
    public RunnerServer(SessionId session, TenantId tenant, ai.interviewinsights.domain.model.Secret clientKey,
                        java.util.function.Function<InterviewRunner.Observer, InterviewRunner> runnerFactory,
                        Clock clock, Runnable onEnded) {
        this(session, tenant, clientKey, runnerFactory, clock, onEnded, null);
    }

    /**
     * @param machineId this runner's Fly machine id ({@code FLY_MACHINE_ID}), or null off Fly. All machines of a
     *                  tenant app share one host; a request carrying another machine's id in {@code instance} is
     *                  answered with {@code fly-replay}, and Fly's proxy replays it to that machine.
     */
    public RunnerServer(SessionId session, TenantId tenant, ai.interviewinsights.domain.model.Secret clientKey,
                        java.util.function.Function<InterviewRunner.Observer, InterviewRunner> runnerFactory,
                        Clock clock, Runnable onEnded, String machineId) {
        this.machineId = machineId;
        this.session = session;
        this.tenant = tenant;
        this.clientKey = clientKey;
        this.clock = clock;
        this.onEnded = onEnded;
        this.runner = runnerFactory.apply(new Observer());
        this.dispatcher = new MessageDispatcher(runner, runner, runner, clock,
                () -> status(ServerMessage.Status.State.ACTIVE));
    }

    /**
     * Starts this runner parked (before {@link #start}): it serves no session yet, refuses every browser, and its time
     * budget does not run, until {@link #bindTo} gives it its session. How a standby runner waits with its HTTP server
     * already up (ADR 0020).
     */
    public RunnerServer parked() {
        this.parked = true;
        return this;
    }

    /**
     * Binds a parked runner to its session, once: from here on it is that session's runner, exactly as if it had
     * been built for it, and its time budget starts now.
     */
    public synchronized void bindTo(SessionId session, TenantId tenant,
                                    ai.interviewinsights.domain.model.Secret clientKey,
                                    java.util.function.Function<InterviewRunner.Observer, InterviewRunner> runnerFactory) {
        if (!parked) {
            throw new IllegalStateException("only a parked runner is bound, and only once");
        }
        this.session = java.util.Objects.requireNonNull(session, "session");
        this.tenant = java.util.Objects.requireNonNull(tenant, "tenant");
        this.clientKey = java.util.Objects.requireNonNull(clientKey, "clientKey");
        this.runner = runnerFactory.apply(new Observer());
        this.dispatcher = new MessageDispatcher(runner, runner, runner, clock,
                () -> status(ServerMessage.Status.State.ACTIVE));
        this.startedAt = clock.instant();
        this.parked = false;
        LOG.info("runner bound to session {} on port {}", session, app.port());
    }

    /** Sets how long this runner waits for a call (see {@link #DEFAULT_IDLE_LIMIT}). */
    public RunnerServer idleLimit(java.time.Duration limit) {
        this.idleLimit = java.util.Objects.requireNonNull(limit, "limit");
        return this;
    }

    public RunnerServer start(String host, int port) {
        startedAt = clock.instant();
        ErrorResponses errors = new ErrorResponses(json);
        Bodies bodies = new Bodies(json);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // No thread that only checks, five seconds later, that start() was called.
            config.startup.startupWatcherEnabled = false;
            config.jetty.host = host;
            config.jetty.port = port;
            // One interview, one browser: a handful of threads serve it (Jetty's default keeps eight idle ones per
            // runner, and a machine holds hundreds of runners; docs/performance.md).
            // Before the pool: its queue is the first to ask Jetty's MemoryUtils, whose answer is made once.
            compressedReferences();
            org.eclipse.jetty.util.thread.QueuedThreadPool threads =
                    new org.eclipse.jetty.util.thread.QueuedThreadPool(16, 1, 30_000);
            threads.setName("runner-http");
            threads.setReservedThreads(0);
            config.jetty.threadPool = threads;
            config.unsafe.jettyInternal.server = leanServer(threads);
            config.jetty.addConnector((server, http) -> lean(server, http, host, port));
            config.http.maxRequestSize = Bodies.JSON_LIMIT;
            config.jetty.modifyWebSocketServletFactory(factory -> {
                // Jetty closes the socket (1009) on a frame above its limit; up to twice the message limit the
                // browser gets a clear error instead and keeps its connection (RunnerProtocol.decode).
                factory.setMaxTextMessageSize(2 * MAX_MESSAGE_CHARS);
                factory.setIdleTimeout(java.time.Duration.ofMinutes(5));
                // No per-message compression (decision 26, amended): browsers offer permessage-deflate and Jetty
                // accepted it, so the runner inflated every browser message and deflated every reply (zlib state of
                // its own per connection), for messages of a few hundred bytes: deflating the replies alone was ~6%
                // of the runner's samples in the ingest benchmark once its client offered the extension.
                factory.getAvailableExtensionNames().remove("permessage-deflate");
            });
            // No cookie for the candidate's browser: Javalin's WebSocket upgrade asks the servlet request for its HTTP
            // session (which it then makes), and Jetty answered the upgrade with a JSESSIONID cookie the runner never
            // reads. The session stays (Javalin may ask for it); the cookie goes.
            config.jetty.modifyServletContextHandler(handler -> {
                if (handler.getSessionHandler() != null) {
                    handler.getSessionHandler().setUsingCookies(false);
                }
            });
            errors.install(config);
            // The same security headers and problem-document answers from Jetty as the control plane's.
            ai.interviewinsights.app.web.SecurityHeaders headers = new ai.interviewinsights.app.web.SecurityHeaders(false);
            config.jetty.modifyServer(new ai.interviewinsights.app.web.JettyProblems(json, headers)::install);
            headers.install(config);
            config.routes.before(ctx -> MDC.put("session_id", session.toString()));
            config.routes.before(this::replayToTheRightMachine);
            config.routes.wsBeforeUpgrade(this::replayToTheRightMachine);
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "up", "session_id", session.toString(),
                    "ended", runner.isEnded())));
            config.routes.post("/api/sdp", ctx -> sdpOverHttp(ctx, bodies));
            config.routes.ws("/ws", ws -> {
                ws.onConnect(this::connected);
                ws.onMessage(this::message);
                ws.onClose(ctx -> current.updateAndGet(c -> c != null && c.sessionId().equals(ctx.sessionId())
                        ? null : c));
                ws.onError(ctx -> LOG.debug("websocket error: {}", String.valueOf(ctx.error())));
            });
        }).start();
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        LOG.info("runner for session {} listening on port {}", session, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    /**
     * The runner's Jetty server: Javalin's default one adds a low-resources monitor (a task every second) and a
     * statistics handler that nothing in a runner reads, and has Jetty start a scheduler thread of its own; this one
     * schedules on the runner's timer thread. (Jetty's question about compressed references is answered before
     * the thread pool is made: {@link #compressedReferences()}.)
     */
    private org.eclipse.jetty.server.Server leanServer(org.eclipse.jetty.util.thread.QueuedThreadPool threads) {
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server(threads,
                new org.eclipse.jetty.util.thread.ScheduledExecutorScheduler(timer), null);
        server.setAttribute("is-default-server", true); // Javalin stops it if the start fails
        server.getMimeTypes().addInferred("text/plain", "utf-8"); // as Javalin's default server does
        return server;
    }

    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    /**
     * Tells Jetty that references are compressed (they are: the heap is far below 32 GB), so that it does not ask
     * the JVM through JMX. Jetty's {@code MemoryUtils} reads this once, when it is first used, which is when the
     * first {@code BlockingArrayQueue} is made (the HTTP thread pool's): setting it later, with the server, was too
     * late, and every runner still started the platform MBean server (~200 classes before READY).
     */
    static void compressedReferences() {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16"); // 64-byte lines / 4-byte compressed references
        }
    }

    /** The runner's one connector: one selector, which also accepts (no acceptor thread of its own). */
    private org.eclipse.jetty.server.ServerConnector lean(org.eclipse.jetty.server.Server server,
                                                          org.eclipse.jetty.server.HttpConfiguration http,
                                                          String host, int port) {
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                null, null, null, 0, 1, new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** The routes this runner serves, read from its router ({@code "METHOD /path"}). */
    public java.util.Set<String> servedRoutes() {
        return ai.interviewinsights.app.web.ServedRoutes.of(app);
    }

    public InterviewRunner runner() {
        return runner;
    }

    /**
     * The process is being terminated (SIGTERM: the control plane destroys it, or is itself shutting down): take what
     * the sideband delivered, flush the transcript, hang up the call, then tell the browser - {@code status: ended}
     * and 1000 when the session is over, else {@code status: interrupted} and 1012 (it may come back and be given a
     * fresh runner for the same session) - and stop. An end being reported when the signal comes is given a moment
     * (up to {@link #GOODBYE_WAIT}) to finish: the browser then hears {@code status: ended} with the end's reason,
     * and the server stops only once that goodbye's close is written.
     */
    public void shutDown() {
        // Bounded: whoever terminates us kills us after a grace period anyway (the local provisioner after 5 s);
        // an unreachable control plane must not keep a terminated runner alive for its whole retry budget.
        Thread work = new Thread(this::flushAndTell, "runner-shutdown-work");
        work.setDaemon(true);
        work.start();
        try {
            work.join(8_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    private void flushAndTell() {
        // The control plane may stop this runner as soon as it has the end (its evaluation done: quick with a fast
        // model), and under load that can come before this runner's own goodbye. So an end being reported, or
        // reported, is let say its goodbye (the end's status, with its reason) before the server stops. The wait is
        // short and shared, well inside the provisioner's grace; the end it waits for stores the transcript itself,
        // and without one the suspension below stores it before anything else is awaited.
        long deadline = System.nanoTime() + GOODBYE_WAIT.toNanos();
        if (awaitTheEndsGoodbye(deadline)) {
            return;
        }
        // No end reported yet: what the sideband delivered is taken (an end still draining is cut short), the
        // transcript flushed and stored, the call hung up.
        try {
            runner.suspend(java.time.Duration.ofMillis(1500));
        } catch (RuntimeException e) {
            LOG.warn("flushing at shutdown failed: {}", e.toString());
        }
        if (awaitTheEndsGoodbye(deadline)) {
            return; // an end that was draining went on to report, and said its goodbye
        }
        WsContext ctx = current.get();
        if (ctx != null && goodbye.getCount() > 0) {
            boolean over = runner.sessionIsOver();
            sayGoodbye(ctx, status(over ? ServerMessage.Status.State.ENDED : ServerMessage.Status.State.INTERRUPTED),
                    over ? 1000 : 1012, over ? "interview ended" : "runner stopped");
            try {
                goodbye.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits, until {@code deadline} at most, while an end is being reported and its goodbye is not said yet; true when
     * the interview has ended (its goodbye said, or the wait over: nothing else is to be said then).
     */
    private boolean awaitTheEndsGoodbye(long deadline) {
        while ((runner.isEnded() || runner.isEnding()) && goodbye.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                goodbye.await(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return runner.isEnded();
            }
        }
        return runner.isEnded();
    }

    /**
     * The last thing the browser hears: {@code status}, then the close, in that order on the wire. The goodbye counts
     * as said once the close frame is written (or cannot be), so whoever stops the server after it loses neither.
     */
    private void sayGoodbye(WsContext ctx, ServerMessage.Status status, int code, String reason) {
        if (ctx == null) {
            goodbye.countDown();
            return;
        }
        send(ctx, status);
        try {
            synchronized (ctx) {
                ctx.session.close(code, reason, org.eclipse.jetty.websocket.api.Callback.from(goodbye::countDown,
                        failed -> goodbye.countDown()));
            }
        } catch (RuntimeException e) {
            LOG.debug("could not close the browser's socket: {}", e.toString());
            goodbye.countDown();
        }
    }

    public void stop() {
        budgetOver = true;
        if (app != null) {
            app.stop();
        }
        timer.shutdownNow(); // after Jetty, which schedules on it while it stops
    }

    private void replayToTheRightMachine(Context ctx) {
        String wanted = ctx.queryParam("instance");
        if (machineId != null && wanted != null && !wanted.equals(machineId)) {
            ctx.header("fly-replay", "instance=" + wanted.replaceAll("[^A-Za-z0-9_-]", ""));
            ctx.status(307).result("");
            ctx.skipRemainingHandlers();
        }
    }

    // ---- WebSocket ---------------------------------------------------------------------------------------------

    private void connected(WsContext ctx) {
        try {
            if (parked) {
                throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.wrong_session",
                        "this runner serves no session yet");
            }
            String token = ctx.queryParam("token");
            if (!session.toString().equals(ctx.queryParam("session")) || !tenant.toString().equals(
                    ctx.queryParam("tenant"))) {
                throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.wrong_session",
                        "this runner serves another session");
            }
            if (token == null) {
                throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.missing", "the URL carries no token");
            }
            SessionTokens.verifyClientToken(token, clientKey, session, tenant, clock);
        } catch (DomainException e) {
            send(ctx, ServerMessage.Error.of(e.code(), e.getMessage()));
            ctx.closeSession(1008, e.code());
            return;
        }
        if (runner.isEnded()) {
            // Too late (a reload after the end): told so and closed as at the end (1000: do not reconnect), and the
            // connection that hears the end's own goodbye is not replaced.
            send(ctx, status(ServerMessage.Status.State.ENDED));
            synchronized (ctx) {
                ctx.closeSession(1000, "interview ended");
            }
            return;
        }
        WsContext previous = current.getAndSet(ctx);
        if (previous != null && !previous.sessionId().equals(ctx.sessionId())) {
            send(previous, status(ServerMessage.Status.State.REPLACED));
            previous.closeSession(REPLACED, "replaced by a new connection");
        }
        ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
        send(ctx, status(ServerMessage.Status.State.CONNECTED));
    }

    private void message(WsMessageContext ctx) {
        WsContext now = current.get();
        if (now == null || !now.sessionId().equals(ctx.sessionId())) {
            send(ctx, ServerMessage.Error.of("protocol.replaced", "this connection was replaced by a newer one"));
            return;
        }
        ClientMessage message;
        try {
            message = protocol.decode(ctx.message());
        } catch (RunnerProtocol.UnreadableMessage e) {
            send(ctx, e.reply());
            return;
        }
        dispatcher.dispatch(message, reply -> send(ctx, reply));
    }

    // ---- HTTP form of the SDP exchange (like OpenAI's own /v1/realtime/calls) ----------------------------------

    private void sdpOverHttp(Context ctx, Bodies bodies) {
        if (parked) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.wrong_session", "this runner serves no session yet");
        }
        String token = BearerToken.from(ctx.header("Authorization"));
        SessionTokens.verifyClientToken(token, clientKey, session, tenant, clock);
        String contentType = ctx.contentType() == null ? "" : ctx.contentType();
        if (!contentType.startsWith("application/sdp")) {
            throw new ai.interviewinsights.app.web.BadRequest(415, "request.unsupported_media_type",
                    "send the offer as application/sdp");
        }
        // An oversized offer is refused like any other broken offer (400, the rule named), before it is read.
        String offer = bodies.text(ctx, Bodies.SDP_LIMIT, 400, "sdp.size_limit", "an SDP offer is at most 64 KiB");
        RelayedCall call = runner.negotiate(new NegotiateSdp(offer));
        ctx.status(201).contentType("application/sdp").result(call.answer().text());
    }

    /**
     * The budget's tick, on the timer thread Jetty shares: the tick itself only hands work over, but reporting an end
     * may wait for the control plane (retries, up to half a minute), so an end that is due runs on a thread of its
     * own and Jetty's timeouts keep firing meanwhile.
     */
    private void tick() {
        if (parked || budgetOver || budgetEnding.get()) {
            return;
        }
        if (!endIsDue()) {
            enforceBudget();
            return;
        }
        if (budgetEnding.compareAndSet(false, true)) {
            Thread end = new Thread(() -> {
                try {
                    enforceBudget();
                } finally {
                    budgetEnding.set(false);
                }
            }, "runner-budget-end");
            end.setDaemon(true);
            end.start();
        }
    }

    /** Whether the budget's next step ends the interview: its deadline, or (without a call) its idle limit, passed. */
    private boolean endIsDue() {
        if (runner.isEnded()) {
            return false;
        }
        java.time.Instant now = clock.instant();
        java.util.Optional<java.time.Instant> deadline = runner.deadline();
        if (deadline.isPresent()) {
            return !now.isBefore(deadline.get());
        }
        return startedAt != null && !now.isBefore(startedAt.plus(idleLimit));
    }

    private void enforceBudget() {
        if (parked) {
            return; // no session yet: no budget
        }
        try {
            runner.enforceTimeBudget();
        } catch (RuntimeException e) {
            LOG.warn("ending the interview at its time budget failed, will retry: {}", e.toString());
        }
        if (runner.isEnded() || startedAt == null) {
            return;
        }
        java.time.Instant now = clock.instant();
        java.time.Instant due = runner.deadline().orElse(startedAt.plus(idleLimit));
        if (now.isBefore(due)) {
            return;
        }
        if (runner.deadline().isEmpty()) {
            try {
                LOG.info("no call within {} min: the runner gives up", idleLimit.toMinutes());
                runner.end(EndReason.CALL_ENDED, null, List.of());
                return;
            } catch (RuntimeException e) {
                LOG.warn("reporting the idle end failed: {}", e.toString());
            }
        }
        if (!now.isBefore(due.plus(GRACE))) {
            // Its end cannot be reported (the control plane is gone): exit anyway; the reconciler settles the session.
            LOG.warn("past its deadline and unable to report its end: the runner exits");
            budgetOver = true; // no more ticks; the timer itself stays for Jetty until the server stops
            onEnded.run();
        }
    }

    private ServerMessage.Status status(ServerMessage.Status.State state) {
        return new ServerMessage.Status(state, session.toString(), runner.deadline().orElse(null), null);
    }

    private void send(WsContext ctx, ServerMessage message) {
        if (ctx == null) {
            return;
        }
        try {
            String frame = protocol.encode(message);
            synchronized (ctx) {
                ctx.send(frame);
            }
        } catch (Exception e) {
            LOG.debug("could not send to the browser: {}", e.toString());
        }
    }

    /** Passes what the runner learns on to the connected browser. */
    private final class Observer implements InterviewRunner.Observer {
        @Override
        public void transcriptRecorded(AppendResult result) {
            send(current.get(), ServerMessage.TranscriptAck.of(result.stored(), result.duplicates(), List.of()));
        }

        @Override
        public void ended(EndReason reason) {
            sayGoodbye(current.get(), status(ServerMessage.Status.State.ENDED)
                    .withReason(reason.name().toLowerCase(java.util.Locale.ROOT)), 1000, "interview ended");
            onEnded.run();
        }

        @Override
        public void callRefused(String code, String message) {
            send(current.get(), new ServerMessage.Error(code, message, null, null, false));
        }

        @Override
        public void serverError(RealtimeEvent.ServerError error) {
            send(current.get(), ServerMessage.Error.of("realtime." + (error.code() == null ? "error" : error.code()),
                    error.message() == null ? "OpenAI reported an error" : error.message()));
        }
    }
}
