package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's own code run before the first offer (issue 16, goal 1; decision 25, amended): {@link #EXCHANGES} SDP
 * relays, each followed by a hang-up, through this adapter's relay - the multipart, the end-user header, Failsafe,
 * OkHttp's exchange on the runner's client and connection pool, the call id from {@code Location}, the answer's
 * validation - against a listener in this very process on loopback that answers like OpenAI's calls endpoint with a
 * canned answer.
 *
 * <p>Why: a runner relays few offers in its life, so its first offers ran mostly interpreted (the client compiler
 * compiles a method after a couple of hundred invocations, and the exchange's glue is invoked a few times per offer):
 * OkHttp's round trip took 3.8 ms of the interpreter against 0.5 ms compiled, and with 50 runner JVMs on two cores
 * that CPU, and the compiler's, was what the candidates queued for. Run here, off READY's path, the first real offer
 * finds most of that code compiled.
 *
 * <p>What it never does: send anything off this host (the listener is bound to the loopback address, requests go
 * without a proxy), or carry the key (its requests carry {@link #CREDENTIAL}, a placeholder), or log per exchange.
 * Best effort: it stops at the first failure, or when a real offer comes, and reports how far it got.
 */
final class RelayRehearsal {

    private static final Logger LOG = LoggerFactory.getLogger(RelayRehearsal.class);
    /**
     * Relays (each with its hang-up) rehearsed by default: none. Measured on a quiet machine with 40, the runners'
     * CPU per warm offer at 50 sessions fell 9-17 % (7.0-7.2x of Node's latency instead of 7.9x: the goal of 1.5x
     * out of reach either way), while every start paid ~110 ms more CPU and ~2 MB more resident code, and a first
     * offer sent at READY (the benchmark's) shared the CPU with the rehearsal: 1.2-1.5x of a fresh Node relay
     * instead of 0.7x. A runner relays about one offer in its life, so the rehearsal is an operator's choice
     * ({@value #EXCHANGES_PROPERTY}; {@value #SUGGESTED} is what was measured), not the default.
     */
    static final int EXCHANGES = 0;
    /** What an operator who wants the rehearsal would set: what decision 25's amendment measured. */
    static final int SUGGESTED = 40;
    /**
     * A system property that changes how many (0 to 500; 0: none): a runner gets it through {@code RUNNER_JVM_FLAGS},
     * e.g. {@code -Dinterview.relay.rehearsals=40} where runners relay many offers each (each exchange is a few ms of
     * CPU, after READY; docs/operations.md).
     */
    static final String EXCHANGES_PROPERTY = "interview.relay.rehearsals";
    /** What the rehearsal's requests carry where a relay carries the key: a placeholder, never a credential. */
    static final String CREDENTIAL = "rehearsal-not-a-key";
    static final String CALL_ID = "rtc_rehearsal";
    private static final Duration BUDGET = Duration.ofSeconds(2);

    /** What a rehearsal did: the exchanges that went through, what the listener saw, and the time it took. */
    record Outcome(int exchanges, List<String> requests, long nanos) {
    }

    private RelayRehearsal() {
    }

    /** How many exchanges to rehearse: {@value #EXCHANGES_PROPERTY} if it is a number from 0 to 500, else the default. */
    static int exchanges(String configured) {
        if (configured == null) {
            return EXCHANGES;
        }
        try {
            int value = Integer.parseInt(configured.strip());
            return value >= 0 && value <= 500 ? value : EXCHANGES;
        } catch (NumberFormatException e) {
            return EXCHANGES;
        }
    }

    /**
     * Rehearses up to {@code exchanges} relays with the sender's client and code, toward a loopback listener; stops
     * before the next one as soon as {@code stop} says so (a real offer has come: the rehearsal must not compete
     * with it for the CPU).
     */
    static Outcome run(OpenAiHttp http, OkHttpClient sidebandClient, OpenAiConfig config, Clock clock,
                       ObjectMapper json, int exchanges, BooleanSupplier stop) {
        long started = System.nanoTime();
        int done = 0;
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (Answerer answerer = Answerer.start(resource("rehearsal-answer.sdp"), seen)) {
            HttpUrl base = new HttpUrl.Builder().scheme("http")
                    .host(InetAddress.getLoopbackAddress().getHostAddress()).port(answerer.port()).build();
            OpenAiHttp loopback = http.toward(base, Secret.of(CREDENTIAL));
            // The relay's own method, on an instance of its own: its kept session part is its own, never the real one.
            OpenAiRealtimeGateway twin = new OpenAiRealtimeGateway(loopback, sidebandClient,
                    config.withRelayBudget(BUDGET), clock, json);
            SdpOffer offer = SdpOffer.validate(resource("rehearsal-offer.sdp"));
            RealtimeSessionConfig session = new RealtimeSessionConfig("A rehearsal of the relay; nothing is sent.",
                    "marin", "gpt-realtime", "gpt-4o-transcribe", "en", Duration.ofMinutes(1), "ii_rehearsal");
            Request hangUp = loopback.authorised(loopback.url("realtime", "calls", CALL_ID, "hangup"))
                    .post(RequestBody.create(new byte[0], null)).build();
            // The last hang-up asks for the connection to be closed, so nothing of the rehearsal stays pooled.
            Request lastHangUp = hangUp.newBuilder().header("Connection", "close").build();
            for (int i = 0; i < exchanges && !stop.getAsBoolean(); i++) {
                RelayedCall call = twin.relay(offer, session);
                if (!call.callId().value().equals(CALL_ID)) {
                    break;
                }
                boolean last = i == exchanges - 1 || stop.getAsBoolean();
                // As the gateway's hang-up sends it, without its log line (one per rehearsed call would be noise).
                if (!loopback.send("hang-up", last ? lastHangUp : hangUp).isSuccess()) {
                    break;
                }
                done++;
                if (last) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("relay rehearsal stopped after {} exchanges: {}", done, e.toString());
        }
        long nanos = System.nanoTime() - started;
        LOG.debug("relay rehearsal: {} exchanges in {} ms", done, String.format(Locale.ROOT, "%.1f", nanos / 1e6));
        return new Outcome(done, List.copyOf(seen), nanos);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RelayRehearsal.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * OpenAI's calls endpoint as far as a relay and a hang-up need it, on loopback, one client connection at a time:
     * {@code 201} with the canned answer and {@code Location} for a relay, {@code 200} for a hang-up, keep-alive
     * until a request asks for {@code Connection: close}. Records each request's line and {@code Authorization}.
     */
    private static final class Answerer implements AutoCloseable {

        private final ServerSocket server;
        private final Thread thread;
        private final byte[] answer;
        private final List<String> seen;
        /** The connection being served, closed by {@link #close()} so the thread does not wait for its timeout. */
        private volatile Socket current;

        private Answerer(ServerSocket server, String answer, List<String> seen) {
            this.server = server;
            this.answer = answer.getBytes(StandardCharsets.UTF_8);
            this.seen = seen;
            this.thread = new Thread(this::serve, "openai-relay-rehearsal");
            this.thread.setDaemon(true);
        }

        static Answerer start(String answer, List<String> seen) throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            Answerer answerer = new Answerer(server, answer, seen);
            answerer.thread.start();
            return answerer;
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            try {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        current = socket;
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout((int) BUDGET.toMillis());
                        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                        OutputStream out = socket.getOutputStream();
                        String head;
                        boolean close = false;
                        while (!close && (head = readHead(in)) != null) {
                            skip(in, contentLength(head));
                            int lineEnd = head.indexOf("\r\n");
                            String line = lineEnd < 0 ? head : head.substring(0, lineEnd);
                            seen.add(line + " | " + header(head, "authorization"));
                            close = header(head, "connection").equalsIgnoreCase("close");
                            out.write(reply(line, close));
                            out.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // closed by close(), or the client went away: the rehearsal's loop sees it
            }
        }

        private byte[] reply(String requestLine, boolean last) {
            String connection = last ? "Connection: close\r\n" : "";
            byte[] head;
            byte[] body;
            if (requestLine.startsWith("POST /v1/realtime/calls ")) {
                body = answer;
                head = ("HTTP/1.1 201 Created\r\nContent-Type: application/sdp\r\nLocation: /v1/realtime/calls/"
                        + CALL_ID + "\r\nx-request-id: req_rehearsal\r\n" + connection + "Content-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            } else if (requestLine.startsWith("POST /v1/realtime/calls/" + CALL_ID + "/hangup ")) {
                body = new byte[0];
                head = ("HTTP/1.1 200 OK\r\n" + connection + "Content-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
            } else {
                body = new byte[0];
                head = ("HTTP/1.1 404 Not Found\r\n" + connection + "Content-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
            }
            byte[] whole = new byte[head.length + body.length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(body, 0, whole, head.length, body.length);
            return whole;
        }

        /** The request line and headers up to the blank line, or null at the end of the stream. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            int last4 = 0;
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                last4 = (last4 << 8) | b;
                if (last4 == 0x0D0A0D0A) {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
                if (head.size() > 16_384) {
                    throw new IOException("request head too long");
                }
            }
            return null;
        }

        private static String header(String head, String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }

        private static long contentLength(String head) {
            String value = header(head, "content-length");
            return value.isEmpty() ? 0 : Long.parseLong(value);
        }

        private static void skip(InputStream in, long length) throws IOException {
            long left = length;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() == -1) {
                        throw new IOException("request body cut short");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            Socket socket = current;
            if (socket != null) {
                socket.close();
            }
            try {
                thread.join(BUDGET.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
