package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerLease;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Runner leases (ADR 0018): one per session, found by any instance, renewed by their holder only, taken over only
 * from the runner they name (of concurrent takeovers exactly one wins), released only for the runner they name.
 */
public abstract class RunnerLeasesContract extends RepositoryContractSupport {

    protected abstract RunnerLeases leases();

    private static final Duration TTL = Duration.ofSeconds(30);
    private final LeaseHolder hostA = new LeaseHolder("host-a:" + UUID.randomUUID());
    private final LeaseHolder hostB = new LeaseHolder("host-b:" + UUID.randomUUID());

    private static RunnerRef runner(String id, int port) {
        return new RunnerRef(new RunnerId(id), new RunnerName("interview-hybrid-" + id),
                URI.create("ws://127.0.0.1:" + port + "/ws"));
    }

    private RunnerLease lease(InterviewSession session, RunnerRef runner, LeaseHolder holder) {
        return RunnerLease.grant(session.id(), session.tenant(), runner, holder, clock.instant(), TTL);
    }

    private static LiveRunner live(InterviewSession session, RunnerRef runner, Instant created) {
        return new LiveRunner(runner.runnerId(), session.tenant(), session.id(), created);
    }

    @Test
    void a_granted_lease_is_found_whole_and_a_session_has_one_lease() {
        InterviewSession session = newSession(newTenant());
        RunnerRef first = runner("101", 40001);
        assertTrue(leases().grant(lease(session, first, hostA), null));
        RunnerLease found = leases().find(session.id()).orElseThrow();
        assertEquals(lease(session, first, hostA), found);
        assertTrue(found.isLiveAt(clock.instant()));
        assertFalse(found.isLiveAt(clock.instant().plus(TTL)), "expired at its end");

        assertFalse(leases().grant(lease(session, runner("102", 40002), hostB), null),
                "a second first runner is refused");
        assertFalse(leases().grant(lease(session, runner("103", 40003), hostB), new RunnerId("999")),
                "a takeover from a runner the lease does not name is refused");
        assertTrue(leases().grant(lease(session, runner("104", 40004), hostB), first.runnerId()),
                "a takeover from the named runner wins");
        assertEquals(new RunnerId("104"), leases().find(session.id()).orElseThrow().runner().runnerId());
        assertEquals(hostB, leases().find(session.id()).orElseThrow().holder());
        assertTrue(leases().find(newSession(newTenant()).id()).isEmpty());
    }

    @Test
    void the_holder_renews_its_runners_and_hears_which_lost_their_lease() {
        TenantId tenant = newTenant();
        InterviewSession kept = newSession(tenant);
        InterviewSession released = newSession(tenant);
        InterviewSession takenOver = newSession(tenant);
        RunnerRef k = runner("201", 41001);
        RunnerRef r = runner("202", 41002);
        RunnerRef t = runner("203", 41003);
        Instant created = clock.instant();
        assertTrue(leases().grant(lease(kept, k, hostA), null));
        assertTrue(leases().grant(lease(released, r, hostA), null));
        assertTrue(leases().grant(lease(takenOver, t, hostA), null));
        leases().release(released.id(), r.runnerId());
        assertTrue(leases().grant(lease(takenOver, runner("204", 41004), hostB), t.runnerId()));

        clock.advance(Duration.ofSeconds(40)); // past the first expiry: a renewal still re-lives its own lease
        Instant now = clock.instant();
        List<LiveRunner> lost = leases().renew(hostA, List.of(live(kept, k, created), live(released, r, created),
                live(takenOver, t, created)), now, now.plus(TTL));
        assertEquals(List.of(r.runnerId(), t.runnerId()), lost.stream().map(LiveRunner::runnerId).toList());
        RunnerLease renewed = leases().find(kept.id()).orElseThrow();
        assertEquals(now, renewed.renewedAt());
        assertEquals(now.plus(TTL), renewed.expiresAt());
        assertTrue(renewed.isLiveAt(now));

        assertEquals(List.of(k.runnerId()), leases().renew(hostB, List.of(live(kept, k, created)), now,
                now.plus(TTL)).stream().map(LiveRunner::runnerId).toList(), "only the holder renews");
    }

    @Test
    void a_release_ends_only_the_named_runners_lease_and_release_all_only_the_holders() {
        TenantId tenant = newTenant();
        InterviewSession one = newSession(tenant);
        InterviewSession two = newSession(tenant);
        InterviewSession other = newSession(tenant);
        RunnerRef first = runner("301", 42001);
        assertTrue(leases().grant(lease(one, first, hostA), null));
        leases().release(one.id(), new RunnerId("399"));
        assertTrue(leases().find(one.id()).isPresent(), "another runner's release leaves it");
        leases().release(one.id(), first.runnerId());
        assertTrue(leases().find(one.id()).isEmpty());
        assertTrue(leases().grant(lease(one, runner("302", 42002), hostA), first.runnerId()),
                "a released session is taken over by anyone");

        assertTrue(leases().grant(lease(two, runner("303", 42003), hostA), null));
        assertTrue(leases().grant(lease(other, runner("304", 42004), hostB), null));
        assertEquals(2, leases().releaseAll(hostA));
        assertTrue(leases().find(one.id()).isEmpty());
        assertTrue(leases().find(two.id()).isEmpty());
        assertTrue(leases().find(other.id()).isPresent(), "another holder's lease stays");
    }

    @Test
    void of_concurrent_takeovers_of_one_lost_runner_exactly_one_wins() throws Exception {
        InterviewSession session = newSession(newTenant());
        RunnerRef lost = runner("401", 43001);
        assertTrue(leases().grant(lease(session, lost, hostA), null));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> takeovers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RunnerRef fresh = runner("41" + i, 43100 + i);
            LeaseHolder holder = new LeaseHolder("instance-" + i);
            takeovers.add(pool.submit(() -> {
                go.await();
                return leases().grant(lease(session, fresh, holder), lost.runnerId());
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> takeover : takeovers) {
            won += takeover.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, won);
    }
}
