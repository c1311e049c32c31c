package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.adapters.openai.local.speech.OfflineVoice;
import ai.interviewinsights.adapters.openai.webrtc.WebRtcEngine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for OpenAI's Realtime GA API that holds a real voice interview on this machine, with no cloud key:
 * WebRTC calls answered by a webrtc-java peer, the {@code oai-events} data channel, the sideband, client secrets,
 * hang-up and the WebSocket transport, all on OpenAI's wire format (see {@code docs/local-realtime.md}).
 *
 * <pre>{@code
 * try (LocalRealtime local = LocalRealtime.start()) {
 *     URI base = local.baseUrl();       // http://127.0.0.1:<port>, use as OPENAI_BASE_URL
 *     String key = local.apiKey();      // the server key it accepts
 *     ...
 * }
 * }</pre>
 *
 * <p>The interviewer follows the session's instructions ({@code ScriptedInterviewer}); it speaks through Festival and
 * listens through PocketSphinx when they are installed ({@link OfflineVoice#detect()}), and otherwise runs in text mode
 * (the candidate types {@code conversation.item.create}), which {@link #description()} says.
 */
public final class LocalRealtime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRealtime.class);

    /**
     * How to start the endpoint.
     *
     * @param host       interface to listen on (the endpoint's HTTP side; WebRTC media uses the host's interfaces)
     * @param port       0 picks a free port
     * @param apiKey     the server key callers must present; empty generates a random {@code sk-local-...}
     * @param voice      the speech engines; {@link OfflineVoice#detect()} by default
     * @param answerTimeout how long an SDP answer may take (ICE gathering included)
     */
    public record Options(String host, int port, Optional<String> apiKey, Supplier<OfflineVoice> voice,
                          Duration answerTimeout) {
        public Options {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(voice, "voice");
            Objects.requireNonNull(answerTimeout, "answerTimeout");
            apiKey.ifPresent(k -> {
                if (k.isBlank()) {
                    throw new IllegalArgumentException("apiKey must not be blank");
                }
            });
        }

        /** Loopback, a free port, a random key, the engines found on this machine. */
        public static Options defaults() {
            return new Options("127.0.0.1", 0, Optional.empty(), OfflineVoice::detect, Duration.ofSeconds(5));
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, apiKey, voice, answerTimeout);
        }

        public Options withHost(String newHost) {
            return new Options(newHost, port, apiKey, voice, answerTimeout);
        }

        public Options withApiKey(String key) {
            return new Options(host, port, Optional.of(key), voice, answerTimeout);
        }

        public Options withVoice(OfflineVoice fixed) {
            return new Options(host, port, apiKey, () -> fixed, answerTimeout);
        }

        @Override
        public String toString() {
            return "Options[host=" + host + ", port=" + port + ", apiKey=" + (apiKey.isPresent() ? "***" : "random")
                    + "]";
        }
    }

    private final String apiKey;
    private final OfflineVoice voice;
    private final Options options;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, LocalCall> calls = new ConcurrentHashMap<>();
    private final ClientSecrets secrets;
    private final ScheduledExecutorService timers;
    private final Javalin http;
    private final RealtimeRoutes routes;

    private LocalRealtime(Options options) {
        this.options = options;
        this.apiKey = options.apiKey().orElseGet(() -> Wire.id("sk-local-"));
        this.voice = options.voice().get();
        this.secrets = new ClientSecrets(clock);
        this.timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "local-realtime-timer");
            t.setDaemon(true);
            return t;
        });
        WebRtcEngine.shared(); // loads the native library and starts the process's one factory now, not on a call
        this.routes = new RealtimeRoutes(this);
        this.http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.http.maxRequestSize = 1_000_000;
            config.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setMaxTextMessageSize(4_000_000);
                factory.setIdleTimeout(Duration.ofMinutes(61));
            });
            routes.install(config);
        });
        http.start();
        timers.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
        LOG.info("local realtime endpoint on {} ({})", baseUrl(), description());
    }

    /** Starts on loopback with a free port, a random key and the speech engines found on this machine. */
    public static LocalRealtime start() {
        return start(Options.defaults());
    }

    public static LocalRealtime start(Options options) {
        return new LocalRealtime(options);
    }

    /** Where to point an OpenAI client ({@code OPENAI_BASE_URL}); requests go to {@code <baseUrl>/v1/...}. */
    public URI baseUrl() {
        String host = "0.0.0.0".equals(options.host()) ? "127.0.0.1" : options.host();
        return URI.create("http://" + host + ":" + http.port());
    }

    /** The server key this endpoint accepts ({@code OPENAI_API_KEY}). */
    public String apiKey() {
        return apiKey;
    }

    public int port() {
        return http.port();
    }

    /** True when both speech engines are present: a voice interview; false: text mode. */
    public boolean offlineVoice() {
        return voice.speaks() && voice.hears();
    }

    /** One line for consoles and health checks: {@code local endpoint, offline voice (...)} or the text mode. */
    public String description() {
        return "local endpoint, " + voice.description();
    }

    /**
     * A fault for tests of clients that must survive OpenAI's socket dropping (the proxy's reconnect, ADR 0023): cuts
     * every open connection of the WebSocket transport ({@code /v1/realtime?model=...}) at the TCP level, without a
     * close frame, as a network failure does; its conversation is gone with it, as on OpenAI. The endpoint itself
     * stays up and accepts new connections. Not part of OpenAI's API.
     *
     * @return how many connections were cut
     */
    public int dropWebSockets() {
        int dropped = routes.dropTransports();
        LOG.info("local realtime endpoint: dropped {} WebSocket transport connection(s) (test fault)", dropped);
        return dropped;
    }

    /** Open connections of the WebSocket transport (for tests). */
    public int openWebSockets() {
        return routes.transportCount();
    }

    /** Calls not yet hung up (for tests and benchmarks). */
    public int liveCalls() {
        return calls.size();
    }

    @Override
    public void close() {
        calls.values().forEach(LocalCall::close);
        calls.clear();
        http.stop();
        timers.shutdownNow();
        LOG.info("local realtime endpoint on port {} stopped", http.port());
    }

    @Override
    public String toString() {
        return "LocalRealtime[" + baseUrl() + ", " + (offlineVoice() ? "offline voice" : "text mode") + "]";
    }

    // ---- for the routes ------------------------------------------------------------------------------------

    /** Constant-time comparison of a presented key with the server key. */
    boolean isServerKey(String presented) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                apiKey.getBytes(StandardCharsets.UTF_8));
    }

    ClientSecrets secrets() {
        return secrets;
    }

    Clock clock() {
        return clock;
    }

    Duration answerTimeout() {
        return options.answerTimeout();
    }

    OfflineVoice voice() {
        return voice;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    LocalCall newCall(SessionConfig session) {
        LocalCall call = new LocalCall(Wire.id("rtc_"), session, voice, WebRtcEngine.shared(), timers, clock);
        calls.put(call.id(), call);
        return call;
    }

    Optional<LocalCall> call(String id) {
        return Optional.ofNullable(id == null ? null : calls.get(id));
    }

    boolean hangUp(String id) {
        LocalCall call = id == null ? null : calls.remove(id);
        if (call == null) {
            return false;
        }
        call.close();
        return true;
    }

    /** Ends calls whose browser left (30 s without a connection), never connected (60 s) or ran 60 minutes. */
    private void sweep() {
        Instant now = clock.instant();
        for (LocalCall call : calls.values()) {
            Instant gone = call.disconnectedAt();
            boolean left = gone != null && Duration.between(gone, now).getSeconds() >= 30;
            boolean neverJoined = !call.connected() && Duration.between(call.createdAt(), now).getSeconds() >= 60;
            boolean tooLong = Duration.between(call.createdAt(), now).toMinutes() >= 60;
            if (left || neverJoined || tooLong) {
                LOG.info("ending call {} ({})", call.id(), left ? "peer left" : neverJoined ? "never connected"
                        : "60 minute limit");
                hangUp(call.id());
            }
        }
        secrets.sweep();
    }

    static void send(WsContext ctx, ObjectNode event) {
        try {
            ctx.send(event.toString());
        } catch (RuntimeException e) {
            LOG.debug("websocket send failed: {}", e.toString());
        }
    }
}
