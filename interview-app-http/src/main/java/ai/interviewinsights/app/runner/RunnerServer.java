package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.web.BearerToken;
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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
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
    /** The browser's connection: the latest one (a reconnect replaces the previous), or none. */
    private final AtomicReference<Session> current = new AtomicReference<>();
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
    /** A standby's binding, served by this server while parked (null otherwise). */
    private String bindPath;
    private RunnerHttp.Route bind;
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
    private RunnerHttp http;
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
     * Starts this runner parked, as {@link #parked()}, with the standby's binding served by this same server: {@code
     * POST bindPath} goes to {@code bind} (which checks the standby's key and binds once), and {@code GET /health}
     * says {@code standby} until the binding. One server, so a standby at rest keeps a runner's threads and no more
     * (issue 16, goal 3; ADR 0020, amended).
     */
    public RunnerServer parked(String bindPath, RunnerHttp.Route bind) {
        this.bindPath = java.util.Objects.requireNonNull(bindPath, "bindPath");
        this.bind = java.util.Objects.requireNonNull(bind, "bind");
        return parked();
    }

    /**
     * Runs {@code task} every {@code period} on this runner's one timer thread until cancelled: a check that must not
     * hold a thread of its own (a standby watching the control plane that started it).
     */
    public java.util.concurrent.Future<?> every(java.time.Duration period, Runnable task) {
        return timer.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
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
        LOG.info("runner bound to session {} on port {}", session, http.port());
    }

    /** Sets how long this runner waits for a call (see {@link #DEFAULT_IDLE_LIMIT}). */
    public RunnerServer idleLimit(java.time.Duration limit) {
        this.idleLimit = java.util.Objects.requireNonNull(limit, "limit");
        return this;
    }

    public RunnerServer start(String host, int port) {
        startedAt = clock.instant();
        compressedReferences();
        http = new RunnerHttp(json, machineId, () -> parked ? null : session.toString())
                .route("GET", "/health", request -> parked ? http.json(200, Map.of("status", "standby"))
                        : http.json(200, Map.of("status", "up", "session_id", session.toString(),
                                "ended", runner.isEnded())))
                .route("POST", "/api/sdp", this::sdpOverHttp)
                // Jetty closes the socket (1009) on a frame above its limit; up to twice the message limit the
                // browser gets a clear error instead and keeps its connection (RunnerProtocol.decode).
                .webSocket("/ws", 2L * MAX_MESSAGE_CHARS, java.time.Duration.ofMinutes(5), BrowserConnection::new);
        if (bind != null) {
            http.route("POST", bindPath, bind);
        }
        try {
            http.start(host, port, timer);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("the runner's server could not start on " + host + ":" + port, e);
        }
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        // Pings keep the browser's connection alive through proxies that close silent ones (Fly's among them).
        timer.scheduleAtFixedRate(this::ping, pingEvery.toMillis(), pingEvery.toMillis(), TimeUnit.MILLISECONDS);
        if (parked) {
            LOG.info("parked runner listening on port {}", http.port()); // its made-up session is nobody's
        } else {
            LOG.info("runner for session {} listening on port {}", session, http.port());
        }
        return this;
    }

    /** How often the connected browser is pinged. */
    static final java.time.Duration PING_EVERY = java.time.Duration.ofSeconds(15);
    private volatile java.time.Duration pingEvery = PING_EVERY;

    /** Sets how often the connected browser is pinged, before {@link #start} (tests: not to wait 15 s). */
    RunnerServer pingEvery(java.time.Duration every) {
        this.pingEvery = java.util.Objects.requireNonNull(every, "every");
        return this;
    }

    public int port() {
        return http.port();
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

    /** The routes this runner serves, read from its router ({@code "METHOD /path"}). */
    public java.util.Set<String> servedRoutes() {
        return http.servedRoutes();
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
        Session ctx = current.get();
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
    private void sayGoodbye(Session ctx, ServerMessage.Status status, int code, String reason) {
        if (ctx == null) {
            goodbye.countDown();
            return;
        }
        send(ctx, status);
        try {
            synchronized (ctx) {
                ctx.close(code, reason, Callback.from(goodbye::countDown, failed -> goodbye.countDown()));
            }
        } catch (RuntimeException e) {
            LOG.debug("could not close the browser's socket: {}", e.toString());
            goodbye.countDown();
        }
    }

    public void stop() {
        budgetOver = true;
        if (http != null) {
            try {
                http.stop();
            } catch (Exception e) {
                LOG.warn("stopping the runner's server failed: {}", e.toString());
            }
        }
        timer.shutdownNow(); // after Jetty, which schedules on it while it stops
    }

    // ---- WebSocket ---------------------------------------------------------------------------------------------

    /**
     * One browser connection's events, passed on to the runner's handlers. Public only because Jetty binds a
     * listener's methods through a public lookup; nothing outside makes one.
     */
    public final class BrowserConnection extends Session.Listener.AbstractAutoDemanding {

        private final Map<String, String> query;

        BrowserConnection(Map<String, String> query) {
            this.query = query;
        }

        @Override
        public void onWebSocketOpen(Session socket) {
            super.onWebSocketOpen(socket);
            MDC.put("session_id", session.toString());
            try {
                connected(socket, query);
            } catch (RuntimeException e) {
                // A failure of ours (a refusal is a DomainException, handled in connected): said, logged, closed
                // 1011 - Jetty says nothing of it once a listener handles its own errors.
                LOG.error("a browser's connection failed", e);
                send(socket, ServerMessage.Error.of("internal", "the runner could not take this connection"));
                close(socket, 1011, "internal error");
            } finally {
                MDC.remove("session_id");
            }
        }

        @Override
        public void onWebSocketText(String text) {
            MDC.put("session_id", session.toString());
            try {
                message(getSession(), text);
            } finally {
                MDC.remove("session_id");
            }
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            Session closed = getSession();
            current.updateAndGet(c -> c == closed ? null : c);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            if (browserWentAway(cause)) {
                LOG.debug("websocket error: {}", String.valueOf(cause));
            } else {
                LOG.warn("websocket error: {}", String.valueOf(cause));
            }
        }
    }

    private void connected(Session ctx, Map<String, String> query) {
        try {
            if (parked) {
                throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.wrong_session",
                        "this runner serves no session yet");
            }
            String token = query.get("token");
            if (!session.toString().equals(query.get("session")) || !tenant.toString().equals(query.get("tenant"))) {
                throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.wrong_session",
                        "this runner serves another session");
            }
            if (token == null) {
                throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.missing", "the URL carries no token");
            }
            SessionTokens.verifyClientToken(token, clientKey, session, tenant, clock);
        } catch (DomainException e) {
            send(ctx, ServerMessage.Error.of(e.code(), e.getMessage()));
            close(ctx, 1008, e.code());
            return;
        }
        if (runner.isEnded()) {
            // Too late (a reload after the end): told so and closed as at the end (1000: do not reconnect), and the
            // connection that hears the end's own goodbye is not replaced.
            send(ctx, status(ServerMessage.Status.State.ENDED));
            close(ctx, 1000, "interview ended");
            return;
        }
        Session previous = current.getAndSet(ctx);
        if (previous != null && previous != ctx) {
            send(previous, status(ServerMessage.Status.State.REPLACED));
            close(previous, REPLACED, "replaced by a new connection");
        }
        send(ctx, status(ServerMessage.Status.State.CONNECTED));
    }

    private void message(Session ctx, String text) {
        if (current.get() != ctx) {
            send(ctx, ServerMessage.Error.of("protocol.replaced", "this connection was replaced by a newer one"));
            return;
        }
        ClientMessage message;
        try {
            message = protocol.decode(text);
        } catch (RunnerProtocol.UnreadableMessage e) {
            send(ctx, e.reply());
            return;
        }
        dispatcher.dispatch(message, reply -> send(ctx, reply));
    }

    /** Whether a WebSocket error is the browser's side going (a drop, a timeout), not a failure of ours. */
    static boolean browserWentAway(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException
                    || t instanceof org.eclipse.jetty.websocket.api.exceptions.CloseException) {
                return true;
            }
        }
        return false;
    }

    /** Closes a browser's socket, after anything sent before (frames leave in order). */
    private static void close(Session ctx, int code, String reason) {
        try {
            synchronized (ctx) {
                ctx.close(code, reason, Callback.NOOP);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not close the browser's socket: {}", e.toString());
        }
    }

    /** A ping to the connected browser, if any (on the timer thread; sent without waiting). */
    private void ping() {
        Session ctx = current.get();
        if (ctx != null && ctx.isOpen()) {
            try {
                synchronized (ctx) {
                    ctx.sendPing(java.nio.ByteBuffer.allocate(0), Callback.NOOP);
                }
            } catch (RuntimeException e) {
                LOG.debug("could not ping the browser: {}", e.toString());
            }
        }
    }

    // ---- HTTP form of the SDP exchange (like OpenAI's own /v1/realtime/calls) ----------------------------------

    private RunnerHttp.Answer sdpOverHttp(Request request) {
        if (parked) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.wrong_session", "this runner serves no session yet");
        }
        String token = BearerToken.from(request.getHeaders().get("Authorization"));
        SessionTokens.verifyClientToken(token, clientKey, session, tenant, clock);
        String given = request.getHeaders().get("Content-Type");
        String contentType = given == null ? "" : given;
        if (!contentType.startsWith("application/sdp")) {
            throw new ai.interviewinsights.app.web.BadRequest(415, "request.unsupported_media_type",
                    "send the offer as application/sdp");
        }
        // An oversized offer is refused like any other broken offer (400, the rule named), before it is read.
        String offer = RunnerHttp.text(request, ai.interviewinsights.domain.model.sdp.SdpLimits.DEFAULT_MAX_BYTES, 400, "sdp.size_limit",
                "an SDP offer is at most 64 KiB");
        RelayedCall call = runner.negotiate(new NegotiateSdp(offer));
        return RunnerHttp.Answer.of(201, "application/sdp", call.answer().text());
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

    /**
     * Whether the budget's next step ends the interview, or reports an end again: its deadline, or (without a call)
     * its idle limit, passed; or an end (the candidate's, the call's) closed the call and its report failed.
     */
    private boolean endIsDue() {
        if (runner.hasUnreportedEnd()) {
            return true;
        }
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

    private void send(Session ctx, ServerMessage message) {
        if (ctx == null) {
            return;
        }
        try {
            String frame = protocol.encode(message);
            synchronized (ctx) {
                ctx.sendText(frame, Callback.NOOP);
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
