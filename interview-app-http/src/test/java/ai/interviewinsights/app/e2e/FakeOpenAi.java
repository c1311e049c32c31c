package ai.interviewinsights.app.e2e;

import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.testing.SdpAnswers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * OpenAI's Realtime GA API as the e2e tests need it, speaking the real wire format: multipart SDP exchange answered
 * with an OpenAI-shaped answer and a {@code Location}, the sideband WebSocket ({@code /v1/realtime?call_id=}) that
 * streams each call's scripted server events, hang-up (which closes the sideband; a reconnect then gets 404, the
 * sign that the call is over), client secrets, and the Responses API for evaluations.
 */
public final class FakeOpenAi extends Dispatcher {

    final MockWebServer server = new MockWebServer();
    private final AtomicInteger calls = new AtomicInteger();
    private final ConcurrentLinkedQueue<List<String>> scripts = new ConcurrentLinkedQueue<>();
    private final Map<String, List<String>> scriptByCall = new ConcurrentHashMap<>();
    private final Map<String, WebSocket> sidebands = new ConcurrentHashMap<>();
    // Appended to on every request and read now and then: synchronized lists, not copy-on-write ones (a copy per
    // append made a benchmark's tens of thousands of offers quadratic, and the fake stopped answering in time).
    final List<String> hungUp = Collections.synchronizedList(new ArrayList<>());
    /** Every call id handed out, in order. */
    final List<String> created = Collections.synchronizedList(new ArrayList<>());
    /** How many sideband connections each call has had. */
    final Map<String, AtomicInteger> sidebandConnections = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<List<String>> secondHalves = new ConcurrentLinkedQueue<>();
    private final Map<String, List<String>> secondHalfByCall = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** The bodies of every Responses API request (the evaluations asked for), as sent. */
    final List<String> evaluationRequests = new CopyOnWriteArrayList<>();
    private final List<String> offers = Collections.synchronizedList(new ArrayList<>());
    private volatile String evaluation = "{}";

    FakeOpenAi() throws Exception {
        server.setDispatcher(this);
        // Replies go out at once (TCP_NODELAY, as OpenAI's servers and Node do): without it a reply written in two
        // pieces waits for the client's delayed ACK, about 40 ms, and every relay measured against this fake would
        // measure that stall instead (PerformanceBenchmark).
        server.setServerSocketFactory(new NoDelayServerSockets()); // shared with the fake api.video
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** The sideband of the next call will stream these server events (JSON text) as soon as it opens. */
    public void scriptNextCall(List<String> events) {
        scripts.add(List.copyOf(events));
    }

    /**
     * The sideband of the next call streams {@code before}, then drops (no close frame, as a network failure would);
     * the runner's reconnect then receives {@code after}.
     */
    public void scriptNextCallWithDrop(List<String> before, List<String> after) {
        scripts.add(List.copyOf(before));
        secondHalves.add(List.copyOf(after));
    }

    /** The sideband of the next call streams nothing, and this call's sideband is left to the test. */
    List<String> createdCalls() {
        return List.copyOf(created);
    }

    /**
     * The call created last, from one snapshot: {@code createdCalls().get(createdCalls().size() - 1)} takes two, and a
     * call created between them (a runner's re-offer) puts the second's last index past the end of the first.
     */
    String lastCreatedCall() {
        List<String> calls = createdCalls();
        return calls.get(calls.size() - 1);
    }

    /** The evaluation JSON (the structured output) the Responses API will return. */
    public void evaluationReply(String json) {
        this.evaluation = json;
    }

    /** Every offer relayed to us, as received. */
    public List<String> relayedOffers() {
        return List.copyOf(offers);
    }

    /**
     * Forgets what was recorded so far (the requests, offers, calls created and hung up, and the server's own queue
     * of recorded requests), for a benchmark's tens of thousands of offers in a JVM of bounded heap. A call hung up
     * before still gets no sideband ({@code scriptByCall} no longer has it).
     */
    void forgetRecorded() throws InterruptedException {
        requests.clear();
        offers.clear();
        created.clear();
        hungUp.clear();
        while (server.takeRequest(0, TimeUnit.SECONDS) != null) {
            // drained
        }
    }

    /** Sends one more server event on an open sideband. */
    void push(String callId, String event) {
        sidebands.get(callId).send(event);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        requests.add(request.getMethod() + " " + path);
        if (request.getHeaders().get("OpenAI-Beta") != null) {
            return error(400, "beta_api_shape_disabled");
        }
        if (!("Bearer " + E2eApp.OPENAI_KEY).equals(request.getHeaders().get("Authorization"))) {
            return error(401, "invalid_api_key");
        }
        if (path.equals("/v1/realtime/calls") && request.getMethod().equals("POST")) {
            String body = request.getBody() == null ? "" : request.getBody().utf8();
            SdpOffer offer = SdpOffer.validate(sdpPart(body));
            offers.add(offer.text());
            String callId = "rtc_e2e_" + calls.incrementAndGet();
            created.add(callId);
            List<String> script;
            List<String> after;
            synchronized (this) {
                script = scripts.poll();
                after = script == null ? null : secondHalves.poll();
            }
            scriptByCall.put(callId, script == null ? List.of() : script);
            if (after != null) {
                secondHalfByCall.put(callId, after);
            }
            return new MockResponse.Builder().code(201).addHeader("Content-Type", "application/sdp")
                    .addHeader("Location", "/v1/realtime/calls/" + callId).body(SdpAnswers.answerFor(offer)).build();
        }
        if (path.equals("/v1/realtime") && request.getMethod().equals("GET")) {
            String callId = request.getUrl().queryParameter("call_id");
            // A call hung up has no script any more: its sideband is refused, as OpenAI refuses an ended call's.
            if (callId == null || !scriptByCall.containsKey(callId)) {
                return error(404, "call_not_found");
            }
            return new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
                @Override
                public void onOpen(WebSocket socket, Response response) {
                    int connection = sidebandConnections.computeIfAbsent(callId, c -> new AtomicInteger())
                            .incrementAndGet();
                    sidebands.put(callId, socket);
                    List<String> after = secondHalfByCall.get(callId);
                    if (connection == 1) {
                        scriptByCall.getOrDefault(callId, List.of()).forEach(socket::send);
                        if (after != null) {
                            // The connection drops mid-interview (after what was queued is written).
                            socket.close(1011, "upstream went away");
                        }
                    } else if (after != null && secondHalfByCall.remove(callId, after)) {
                        after.forEach(socket::send);
                    }
                }
            }).build();
        }
        if (path.startsWith("/v1/realtime/calls/") && path.endsWith("/hangup")) {
            String callId = path.substring("/v1/realtime/calls/".length(), path.length() - "/hangup".length());
            hungUp.add(callId);
            scriptByCall.remove(callId); // (sidebandConnections stays: tests read it after the call's end)
            secondHalfByCall.remove(callId);
            WebSocket socket = sidebands.remove(callId);
            if (socket != null) {
                socket.close(1000, "call ended");
            }
            return new MockResponse.Builder().code(200).body("{}").build();
        }
        if (path.equals("/v1/realtime/client_secrets")) {
            return json(200, "{\"value\":\"ek_e2e_" + calls.incrementAndGet() + "\",\"expires_at\":"
                    + (System.currentTimeMillis() / 1000 + 120) + ",\"session\":{\"type\":\"realtime\"}}");
        }
        if (path.equals("/v1/responses")) {
            evaluationRequests.add(request.getBody() == null ? "" : request.getBody().utf8());
            String text = evaluation.replace("\\", "\\\\").replace("\"", "\\\"");
            return json(200, "{\"id\":\"resp_e2e\",\"object\":\"response\",\"status\":\"completed\","
                    + "\"model\":\"gpt-5-mini\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"role\":\"assistant\","
                    + "\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + text
                    + "\",\"annotations\":[]}]}],\"usage\":{\"input_tokens\":10,\"output_tokens\":10,"
                    + "\"total_tokens\":20}}");
        }
        return error(404, "not_found");
    }

    /** The {@code sdp} part of a multipart/form-data body. */
    private static String sdpPart(String body) {
        int name = body.indexOf("name=\"sdp\"");
        int start = body.indexOf("\r\n\r\n", name) + 4;
        String boundaryLine = body.substring(0, body.indexOf("\r\n"));
        int end = body.indexOf("\r\n" + boundaryLine, start);
        return body.substring(start, end);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse error(int code, String errorCode) {
        return json(code, "{\"error\":{\"message\":\"" + errorCode + "\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"" + errorCode + "\"}}");
    }

    // ---- GA server events, as OpenAI sends them ----------------------------------------------------------------

    private static final AtomicInteger EVENTS = new AtomicInteger();

    public static String added(String item, String previous, String role) {
        return "{\"type\":\"conversation.item.added\",\"event_id\":\"evt_" + EVENTS.incrementAndGet()
                + "\",\"previous_item_id\":" + (previous == null ? "null" : "\"" + previous + "\"")
                + ",\"item\":{\"id\":\"" + item + "\",\"object\":\"realtime.item\",\"type\":\"message\","
                + "\"status\":\"in_progress\",\"role\":\"" + role + "\",\"content\":[]}}";
    }

    public static String aiDelta(String item, String delta) {
        return "{\"type\":\"response.output_audio_transcript.delta\",\"event_id\":\"evt_" + EVENTS.incrementAndGet()
                + "\",\"response_id\":\"resp_1\",\"item_id\":\"" + item + "\",\"output_index\":0,"
                + "\"content_index\":0,\"delta\":\"" + delta + "\"}";
    }

    public static String aiDone(String item, String transcript) {
        return "{\"type\":\"response.output_audio_transcript.done\",\"event_id\":\"evt_" + EVENTS.incrementAndGet()
                + "\",\"response_id\":\"resp_1\",\"item_id\":\"" + item + "\",\"output_index\":0,"
                + "\"content_index\":0,\"transcript\":\"" + transcript + "\"}";
    }

    public static String userDelta(String item, String delta) {
        return "{\"type\":\"conversation.item.input_audio_transcription.delta\",\"event_id\":\"evt_"
                + EVENTS.incrementAndGet() + "\",\"item_id\":\"" + item + "\",\"content_index\":0,\"delta\":\""
                + delta + "\"}";
    }

    public static String userCompleted(String item, String transcript) {
        return "{\"type\":\"conversation.item.input_audio_transcription.completed\",\"event_id\":\"evt_"
                + EVENTS.incrementAndGet() + "\",\"item_id\":\"" + item + "\",\"content_index\":0,\"transcript\":\""
                + transcript + "\",\"usage\":{\"type\":\"duration\",\"seconds\":3}}";
    }

    public static String userFailed(String item, String message) {
        return "{\"type\":\"conversation.item.input_audio_transcription.failed\",\"event_id\":\"evt_"
                + EVENTS.incrementAndGet() + "\",\"item_id\":\"" + item + "\",\"content_index\":0,"
                + "\"error\":{\"type\":\"transcription_error\",\"code\":\"audio_unintelligible\","
                + "\"message\":\"" + message + "\",\"param\":null}}";
    }

    public static String truncated(String item, long audioEndMs) {
        return "{\"type\":\"conversation.item.truncated\",\"event_id\":\"evt_" + EVENTS.incrementAndGet()
                + "\",\"item_id\":\"" + item + "\",\"content_index\":0,\"audio_end_ms\":" + audioEndMs + "}";
    }

    static List<String> list(String... events) {
        return new ArrayList<>(List.of(events));
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
