package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/** OpenAI's side of one sideband connection, and a listener recording what the adapter delivers. */
final class ScriptedSideband {

    /** A script line {@code "#pause <ms>"} makes OpenAI's side fall silent for that long. */
    static final String PAUSE = "#pause ";

    private ScriptedSideband() {
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How a scripted connection ends once its events are sent. */
    enum Ending {
        /** OpenAI closes the socket cleanly (code 1000), as when the call ends. */
        CLOSE,
        /** The socket stays open until the client closes it. */
        STAY_OPEN
    }

    /** Server side of the closing handshake, for tests that check the client closed properly. */
    static final class ServerSide {
        final CountDownLatch clientClosed = new CountDownLatch(1);
        volatile int closeCode;
    }

    static MockResponse stream(List<String> messages, Ending ending) {
        return stream(messages, ending, new ServerSide());
    }

    static MockResponse stream(List<String> messages, Ending ending, ServerSide side) {
        return new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                Thread script = new Thread(() -> {
                    for (String message : messages) {
                        if (message.startsWith(PAUSE)) {
                            pause(Long.parseLong(message.substring(PAUSE.length())));
                        } else {
                            webSocket.send(message);
                        }
                    }
                    switch (ending) {
                        case CLOSE -> webSocket.close(1000, "call ended");
                        case STAY_OPEN -> { }
                    }
                }, "openai-script");
                script.setDaemon(true);
                script.start();
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                side.closeCode = code;
                webSocket.close(1000, null);
                side.clientClosed.countDown();
            }
        }).build();
    }

    /**
     * Records every delivered event and the thread it came on, and counts deliveries that overlapped another: each
     * delivery lingers a moment, so two at once would be seen.
     */
    static final class Recorder implements RealtimeGateway.SidebandListener {
        final List<RealtimeEvent> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        /** The delivering threads themselves: several threads of one name would be one name in {@link #threads}. */
        final List<Thread> threadObjects = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        private final AtomicInteger inDelivery = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();

        @Override
        public void onEvent(RealtimeEvent event) {
            if (inDelivery.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                events.add(event);
                threads.add(Thread.currentThread().getName());
                threadObjects.add(Thread.currentThread());
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inDelivery.decrementAndGet();
            }
            if (event instanceof RealtimeEvent.CallEnded) {
                ended.countDown();
            }
        }

        /** Waits until at least {@code n} events arrived. */
        void awaitCount(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (events.size() < n) {
                throw new AssertionError("only " + events.size() + " of " + n + " events arrived");
            }
        }

        boolean awaitEnd() throws InterruptedException {
            return ended.await(10, TimeUnit.SECONDS);
        }

        int count() {
            return events.size();
        }

        List<RealtimeEvent> transcriptEvents() {
            return events.stream().filter(e -> !(e instanceof RealtimeEvent.CallEnded)).toList();
        }

        List<RealtimeEvent.CallEnded> ends() {
            return events.stream().filter(e -> e instanceof RealtimeEvent.CallEnded)
                    .map(e -> (RealtimeEvent.CallEnded) e).toList();
        }
    }
}
