package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.adapters.openai.proxy.ProxyOptions;
import ai.interviewinsights.adapters.openai.proxy.ProxyRealtimeGateway;
import ai.interviewinsights.adapters.openai.proxy.Upstream;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The OpenAI adapter's one way in: builds, from an {@link OpenAiConfig}, the domain's {@link RealtimeGateway}
 * (Realtime GA: client secrets, SDP relay, sideband, hang-up) and {@link EvaluationGenerator} (Responses API with a
 * strict JSON schema). Both share one HTTP client; {@link #close()} releases its threads and connections.
 *
 * <pre>{@code
 * OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(System.getenv("OPENAI_API_KEY"))),
 *         Clock.systemUTC());
 * RealtimeGateway realtime = openai.realtime();
 * EvaluationGenerator evaluator = openai.evaluator();
 * }</pre>
 */
public final class OpenAiAdapters implements AutoCloseable {

    private final OkHttpClient client;
    private final OpenAiConfig config;
    private final RealtimeGateway realtime;
    private final EvaluationGenerator evaluator;
    private final Upstream upstream;

    private OpenAiAdapters(OkHttpClient client, OpenAiConfig config, RealtimeGateway realtime,
                           EvaluationGenerator evaluator, Upstream upstream) {
        this.client = client;
        this.config = config;
        this.realtime = realtime;
        this.evaluator = evaluator;
        this.upstream = upstream;
    }

    /**
     * @param clock stamps the receive time of every sideband event and HTTP reply
     */
    public static OpenAiAdapters create(OpenAiConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        ObjectMapper json = new ObjectMapper();
        OkHttpClient client = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .callTimeout(config.callTimeout())
                .build();
        HttpUrl base = HttpUrl.get(config.baseUrl());
        OpenAiErrors errors = new OpenAiErrors(json, new Redaction(config.apiKey()));
        OpenAiHttp http = new OpenAiHttp(client, base, config.apiKey(), config.retry(), config.callTimeout(), errors,
                clock);
        OkHttpClient evaluationClient = client.newBuilder()
                .readTimeout(config.evaluationTimeout())
                .callTimeout(config.evaluationTimeout())
                .build();
        OpenAiHttp evaluationHttp = new OpenAiHttp(evaluationClient, base, config.apiKey(), config.retry(),
                config.evaluationTimeout(), errors, clock);
        // A sideband lives as long as the call: no call timeout; pings find a dead connection.
        OkHttpClient sidebandClient = client.newBuilder()
                .callTimeout(Duration.ZERO)
                .pingInterval(config.sideband().pingInterval())
                .build();
        RealtimeGateway realtime = new OpenAiRealtimeGateway(http, sidebandClient, config, clock, json);
        EvaluationGenerator evaluator = new OpenAiEvaluationGenerator(evaluationHttp, json, config.evaluationModel(),
                config.safetyIdentifierKey());
        // The proxy architecture's bridge: the same session object and event mapping as the relay, over
        // /v1/realtime?model=... (the WebSocket transport) with the server key.
        Redaction redaction = new Redaction(config.apiKey());
        SessionJson sessions = new SessionJson(json);
        Upstream upstream = new Upstream(sidebandClient,
                model -> http.authorised(http.url("realtime").newBuilder().addQueryParameter("model", model).build())
                        .build(),
                sessions::session,
                (event, at) -> ServerEvents.map(event, TranscriptSource.SIDEBAND, at, redaction),
                redaction::scrub, json, clock);
        return new OpenAiAdapters(client, config, realtime, evaluator, upstream);
    }

    public RealtimeGateway realtime() {
        return realtime;
    }

    public EvaluationGenerator evaluator() {
        return evaluator;
    }

    /**
     * The proxy architecture's {@link RealtimeGateway}: answers the browser's offer with the runner's own WebRTC peer
     * and bridges the call to OpenAI's Realtime WebSocket with this adapter's key, session and event mapping.
     * Close it when the runner stops.
     */
    public ProxyRealtimeGateway proxy(ProxyOptions options) {
        return ProxyRealtimeGateway.create(upstream, options);
    }

    /** The version of the evaluation prompt, recorded with every evaluation this adapter writes. */
    public static String evaluationPromptVersion() {
        return EvaluationPrompt.VERSION;
    }

    /** Releases the HTTP client's threads and pooled connections. Open sidebands should be closed first. */
    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "OpenAiAdapters[" + config.baseUrl() + ", evaluation model " + config.evaluationModel() + "]";
    }
}
