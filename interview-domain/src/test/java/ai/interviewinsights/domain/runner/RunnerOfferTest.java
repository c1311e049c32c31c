package ai.interviewinsights.domain.runner;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.ForwardingRealtimeGateway;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import ai.interviewinsights.domain.service.InterviewServices;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;

/**
 * The runner's offers (issue 16, goals 5 and 6): concurrent offers on one runner are taken one at a time, every call
 * created is hung up or kept, exactly one sideband per live call; and what an offer costs does not depend on how
 * long the transcript is (the stored transcript is never read to place the next entry).
 */
class RunnerOfferTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();

    private InterviewSession startedSession() {
        return platform.startedSession();
    }

    /** OpenAI taking its time to answer, so concurrent offers really overlap. */
    private static final class SlowRealtime extends ForwardingRealtimeGateway {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        SlowRealtime(FakeRealtimeGateway fake) {
            super(fake);
        }

        @Override
        public RelayedCall relay(SdpOffer offer, RealtimeSessionConfig config) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
                return real.relay(offer, config);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void concurrent_offers_are_serialised_and_leave_exactly_one_live_call_with_one_sideband() throws Exception {
        concurrentOffers(null);
    }

    @Test
    void with_the_work_after_each_answer_on_the_background_thread_concurrent_offers_still_leave_one_call()
            throws Exception {
        java.util.concurrent.ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
        try {
            concurrentOffers(background);
        } finally {
            background.shutdownNow();
        }
    }

    private void concurrentOffers(java.util.concurrent.ScheduledExecutorService background) throws Exception {
        InterviewSession session = startedSession();
        SlowRealtime realtime = new SlowRealtime(platform.openai);
        InterviewRunner runner = new InterviewRunner(session.id(), new InProcessControlPlane(
                Fixtures.runnerPrincipal(ACME, session.id()), platform.services), realtime, platform.clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() { }, InterviewRunner.DrainPolicy.NONE,
                background, InterviewRunner.IngestPolicy.IMMEDIATE);
        String offer = Fixtures.resource("sdp/chrome-offer.sdp");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<RealtimeCallId> answered = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RelayedCall>> offers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                offers.add(pool.submit(() -> {
                    go.await();
                    return runner.negotiate(new NegotiateSdp(offer));
                }));
            }
            go.countDown();
            for (Future<RelayedCall> f : offers) {
                answered.add(f.get(30, TimeUnit.SECONDS).callId());
            }
        } finally {
            pool.shutdownNow();
        }
        if (background != null) {
            background.submit(() -> { }).get(20, TimeUnit.SECONDS); // the work after every answer is done
        }
        assertEquals(1, realtime.maxInFlight.get(), "offers are relayed one at a time");
        Set<RealtimeCallId> open = platform.openai.openSidebands();
        assertEquals(1, open.size(), "exactly one sideband: " + open);
        Set<RealtimeCallId> hungUp = platform.openai.hungUpCalls();
        Set<RealtimeCallId> accountedFor = new HashSet<>(hungUp);
        accountedFor.addAll(open);
        assertEquals(new HashSet<>(answered), accountedFor, "every call created is hung up or kept");
        assertTrue(!hungUp.containsAll(open), "the live call is the one kept");
        assertEquals(7, hungUp.size());
    }

    @Test
    void the_runners_assignment_never_reads_the_stored_transcript() {
        AtomicInteger reads = new AtomicInteger();
        InMemoryRepositories repositories = platform.repositories;
        TranscriptRepository counting = new TranscriptRepository() {
            @Override
            public AppendResult append(AccessScope scope, TenantId tenant, SessionId session,
                                       List<TranscriptEntry> entries) {
                return repositories.transcripts().append(scope, tenant, session, entries);
            }

            @Override
            public List<TranscriptEntry> read(AccessScope scope, TenantId tenant, SessionId session) {
                reads.incrementAndGet();
                return repositories.transcripts().read(scope, tenant, session);
            }

            @Override
            public long nextPosition(AccessScope scope, TenantId tenant, SessionId session) {
                return repositories.transcripts().nextPosition(scope, tenant, session);
            }
        };
        InterviewPorts ports = new InterviewPorts(repositories.tenants(), repositories.positions(),
                repositories.candidates(), repositories.sessions(), counting, repositories.invites(),
                repositories.evaluations(), repositories.audit(), platform.consents, platform.openai, platform.runners,
                Optional.of(platform.recording), platform.evaluator, platform.tokens, platform.ids, platform.clock);
        InterviewServices services = InterviewServices.create(ports, InterviewPolicies.defaults());
        InterviewSession session = startedSession();
        Principal runner = Fixtures.runnerPrincipal(ACME, session.id());
        List<TranscriptEntry> stored = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stored.add(Fixtures.entry(session.id(), "item_" + i, i, i % 2 == 0
                    ? ai.interviewinsights.domain.model.transcript.Speaker.AI
                    : ai.interviewinsights.domain.model.transcript.Speaker.CANDIDATE, "turn " + i));
        }
        new InProcessControlPlane(runner, services).recordTranscript(stored);
        assertEquals(50, services.runnerAssignment().assignment(runner, session.id()).storedEntries());
        assertEquals(0, reads.get(), "the transcript is not read to learn where it ends");
    }
}
