package ai.interviewinsights.app.runner;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's rehearsal (ADR 0020): it talks to its own parked server as a browser would - a health check, then a
 * WebSocket the parked server refuses - so that the server's classes and code paths have run once before any claim,
 * and a claim costs milliseconds instead of a JVM's first run through them.
 *
 * <p>With the runner's one HTTP stack, OkHttp (decision 0017): it used the JDK's client, whose selector and worker
 * threads outlived the rehearsal in every standby at rest. This client is closed after it (its calls cancelled, its
 * dispatcher shut down, its connections evicted), so it leaves no thread of its own; OkHttp's shared clean-up (its task
 * runner, Okio's watchdog) ends by itself a minute later.
 * Best effort: a rehearsal that fails leaves a standby that serves all the same, only colder.
 */
public final class StandbyRehearsal {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyRehearsal.class);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private StandbyRehearsal() {
    }

    /** Rehearses against the parked server on this loopback port; returns when done, or after at most ~20 s. */
    public static void run(int port) {
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(PATIENCE).build();
        String base = "127.0.0.1:" + port;
        try {
            try (Response health = client.newCall(new Request.Builder().url("http://" + base + "/health").build())
                    .execute()) {
                health.body().string();
            }
            CompletableFuture<Void> refused = new CompletableFuture<>();
            // A made-up session and token: the parked server serves no browser, and says so before it closes.
            client.newWebSocket(new Request.Builder().url("ws://" + base + "/ws?session=" + UUID.randomUUID()
                    + "&tenant=" + UUID.randomUUID() + "&token=rehearsal").build(), new WebSocketListener() {
                        @Override
                        public void onClosing(WebSocket socket, int code, String reason) {
                            socket.close(1000, null);
                            refused.complete(null);
                        }

                        @Override
                        public void onClosed(WebSocket socket, int code, String reason) {
                            refused.complete(null);
                        }

                        @Override
                        public void onFailure(WebSocket socket, Throwable failure, Response response) {
                            refused.complete(null);
                        }
                    });
            refused.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.info("the standby's rehearsal did not complete ({}); it serves all the same", e.toString());
        } finally {
            client.dispatcher().cancelAll(); // a socket still open after a timeout must not read on for minutes
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
