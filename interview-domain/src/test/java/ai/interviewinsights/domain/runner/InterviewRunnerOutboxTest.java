package ai.interviewinsights.domain.runner;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.out.ControlPlane;
import ai.interviewinsights.domain.testing.ForwardingControlPlane;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The runner's outbox never has a poison head: a batch the control plane refuses for good is split until the one
 * bad entry stands alone, that entry is dropped (and the drop audited), and everything else is stored.
 */
class InterviewRunnerOutboxTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();

    /** The real control plane in-process, behind a gate that refuses what a strict HTTP edge would. */
    private static class Refusing extends ForwardingControlPlane {
        final List<Integer> batchSizes = new ArrayList<>();
        final AtomicInteger refusals = new AtomicInteger();

        Refusing(ControlPlane real) {
            super(real);
        }

        @Override
        public AppendResult recordTranscript(List<TranscriptEntry> entries) {
            batchSizes.add(entries.size());
            if (entries.size() > 8) {
                refusals.incrementAndGet();
                throw DomainException.invalid("request.too_large", "a JSON body is at most 1 MiB");
            }
            if (entries.stream().anyMatch(e -> e.text().contains("POISON"))) {
                refusals.incrementAndGet();
                throw DomainException.invalid("invalid.text", "this entry can never be stored");
            }
            return real.recordTranscript(entries);
        }

    }

    @Test
    void a_refused_batch_is_split_and_a_permanently_bad_entry_is_dropped_with_an_audit_event() {
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        InterviewSession session = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null)).session();
        Refusing gate = new Refusing(new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session.id()),
                platform.services));
        InterviewRunner runner = new InterviewRunner(session.id(), gate, platform.openai, platform.clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() { }, InterviewRunner.DrainPolicy.NONE);
        runner.negotiate(new ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp(
                Fixtures.resource("sdp/chrome-offer.sdp")));

        List<ClientEntry> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(new ClientEntry(IdempotencyKey.of("note-" + i), null, null, Speaker.CANDIDATE,
                    i == 17 ? "POISON" : "note " + i, platform.clock.instant().plusSeconds(i), false));
        }
        runner.acceptClientEntries(batch);
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of());

        List<TranscriptEntry> stored = platform.services.interviewReport().report(admin, session.id()).transcript();
        assertEquals(39, stored.size(), "every entry but the bad one is stored");
        assertTrue(stored.stream().noneMatch(e -> e.key().value().equals("note-17")));
        assertTrue(gate.batchSizes.stream().allMatch(n -> n <= 40));
        assertTrue(gate.refusals.get() >= 2, "batches were refused and split: " + gate.batchSizes);
        assertEquals(1, platform.repositories.allAuditEvents().stream()
                .filter(e -> e.action().equals("transcript.entry_dropped")).count(), "the drop is audited");
        assertEquals(0, runner.unacknowledgedEntries());
    }

    @Test
    void a_batch_of_long_entries_is_sent_in_parts_bounded_by_size() {
        TranscriptEntry big = TranscriptEntry.complete(new ai.interviewinsights.domain.model.identity.SessionId(java.util.UUID.randomUUID()), IdempotencyKey.of("k"),
                Speaker.CANDIDATE, "é".repeat(TranscriptEntry.MAX_TEXT_LENGTH), platform.clock.instant(), 0,
                ai.interviewinsights.domain.model.transcript.TranscriptSource.CLIENT);
        long weight = InterviewRunner.jsonWeight(big);
        assertTrue(weight >= 2L * TranscriptEntry.MAX_TEXT_LENGTH, "UTF-8 bytes are counted, not characters");
        assertTrue(InterviewRunner.MAX_BATCH_BYTES / weight >= 1, "one entry always fits a batch");
    }

    @Test
    void a_browser_batch_never_waits_behind_another_send_and_is_acknowledged_once() throws Exception {
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        InterviewSession session = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null)).session();
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stall = new java.util.concurrent.atomic.AtomicBoolean();
        Refusing slow = new Refusing(new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session.id()),
                platform.services)) {
            @Override
            public AppendResult recordTranscript(List<TranscriptEntry> entries) {
                if (stall.getAndSet(false)) {
                    inside.countDown(); // the control plane is down: this send retries for a long time
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return real.recordTranscript(entries);
            }
        };
        AtomicInteger notified = new AtomicInteger();
        InterviewRunner runner = new InterviewRunner(session.id(), slow, platform.openai, platform.clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() {
                    @Override
                    public void transcriptRecorded(AppendResult result) {
                        notified.incrementAndGet();
                    }
                }, InterviewRunner.DrainPolicy.NONE);
        var call = runner.negotiate(new ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp(
                Fixtures.resource("sdp/chrome-offer.sdp"))).callId();
        Thread sideband = new Thread(() -> {
            stall.set(true);
            var t = platform.clock.instant();
            var sb = ai.interviewinsights.domain.model.transcript.TranscriptSource.SIDEBAND;
            platform.openai.emit(call, new ai.interviewinsights.domain.model.transcript.RealtimeEvent.ItemAdded(
                    "item_a1", null, Speaker.AI, null, sb, t));
            platform.openai.emit(call, new ai.interviewinsights.domain.model.transcript.RealtimeEvent
                    .OutputTranscriptDone("item_a1", "Hello.", sb, t));
        });
        sideband.start();
        inside.await();
        // The browser's batch while the sideband's send is stuck: answered at once, as pending.
        InterviewRunner.ClientBatchOutcome outcome = runner.acceptClientEntries(List.of(new ClientEntry(
                IdempotencyKey.of("note-1"), null, null, Speaker.CANDIDATE, "typed", platform.clock.instant(),
                false)));
        assertEquals(List.of(IdempotencyKey.of("note-1")), outcome.pending());
        release.countDown();
        sideband.join();
        int beforeBrowser = notified.get();
        // With nothing else sending, a browser batch is acknowledged by its reply alone, not a second time.
        runner.acceptClientEntries(List.of(new ClientEntry(IdempotencyKey.of("note-2"), null, null,
                Speaker.CANDIDATE, "typed again", platform.clock.instant(), false)));
        assertEquals(beforeBrowser, notified.get(), "the observer is not told what the reply acknowledges");
    }
}
