package ai.interviewinsights.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner's gateway, built on first use (ADR 0024): once for all callers, not before, again after a failure. */
class LazyRealtimeGatewayTest {

    @Test
    void nothing_is_built_until_first_use_and_concurrent_first_uses_share_one_build() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LazyRealtimeGateway lazy = new LazyRealtimeGateway(() -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                release.await(10, TimeUnit.SECONDS); // a slow build: the trust store, the HTTP client
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new UnconfiguredRealtime();
        });
        assertFalse(lazy.isBuilt());
        assertEquals(0, builds.get());

        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<RealtimeGateway>> got = new ArrayList<>();
            got.add(callers.submit(lazy::get)); // the warm-up
            assertTrue(building.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                got.add(callers.submit(lazy::get)); // offers arriving meanwhile
            }
            release.countDown();
            RealtimeGateway first = got.get(0).get(10, TimeUnit.SECONDS);
            for (Future<RealtimeGateway> each : got) {
                assertTrue(each.get(10, TimeUnit.SECONDS) == first, "one gateway for every caller");
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(1, builds.get());
        assertTrue(lazy.isBuilt());
        // Calls go to the gateway built: an unconfigured one refuses with its own error.
        DomainException refused = assertThrows(DomainException.class, () -> lazy.mintClientSecret(
                new RealtimeSessionConfig("Be brief.", "marin", "gpt-realtime", "gpt-4o-transcribe", "en",
                        Duration.ofMinutes(30), "lazy-test"), Duration.ofMinutes(1)));
        assertEquals("realtime.not_configured", refused.code());
    }

    @Test
    void a_failed_build_is_tried_again_by_the_next_use() {
        AtomicInteger builds = new AtomicInteger();
        LazyRealtimeGateway lazy = new LazyRealtimeGateway(() -> {
            if (builds.incrementAndGet() == 1) {
                throw new IllegalStateException("trust store unreadable");
            }
            return new UnconfiguredRealtime();
        });
        assertThrows(IllegalStateException.class, lazy::get);
        assertFalse(lazy.isBuilt());
        lazy.warmUp(); // the default warm-up of the built gateway: nothing, never throws
        assertTrue(lazy.isBuilt());
        assertEquals(2, builds.get());
    }
}
