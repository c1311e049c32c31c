package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.recording.VideoId;
import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static ai.interviewinsights.domain.testing.Fixtures.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.erasure.ErasureReceipt;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ai.interviewinsights.domain.runner.InterviewRunner;

/** A candidate's right to erasure, retention and offboarding, over the in-memory platform. */
class ErasureTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal admin = Fixtures.admin(ACME);
    private Position position;

    @BeforeEach
    void setUp() {
        platform.registerTenant(ACME);
        platform.registerTenant(GLOBEX);
        position = platform.services.positions().create(admin, "Engineer", "", List.of(new Competency("Design", "",
                1)));
    }

    private Candidate candidate(String name) {
        return platform.services.candidates().create(admin, name, "");
    }

    private StartedInterview start(Candidate candidate) {
        return platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null));
    }

    @Test
    void an_admin_erases_a_candidate_live_interview_recordings_rows_and_all_and_a_receipt_stays() {
        Candidate ada = candidate("Ada Lovelace");
        Candidate bob = candidate("Bob Other");
        StartedInterview finished = start(ada);
        platform.services.cancelInterview().cancel(admin, finished.session().id());
        StartedInterview live = start(ada);
        RelayedCall call = platform.runnerFor(ACME, live.session().id(), new InterviewRunner.Observer() { })
                .negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        StartedInterview bobs = start(bob);
        VideoId liveVideo = live.recording().orElseThrow().videoId();
        assertTrue(platform.recording.exists(liveVideo));

        assertEquals("access.admin_only", assertThrows(DomainException.class, () -> platform.services
                .eraseCandidate().erase(Fixtures.interviewer(ACME), ada.id())).code());
        assertEquals("candidate.not_found", assertThrows(DomainException.class, () -> platform.services
                .eraseCandidate().erase(Fixtures.admin(GLOBEX), ada.id())).code(), "another tenant's admin");
        assertTrue(platform.services.candidates().candidate(admin, ada.id()) != null, "refusals erased nothing");

        platform.clock.advance(Duration.ofSeconds(5));
        ErasureReceipt receipt = platform.services.eraseCandidate().erase(admin, ada.id());

        assertEquals(1, receipt.records().candidates());
        assertEquals(2, receipt.records().sessions());
        assertEquals(1, receipt.records().keysDestroyed());
        assertEquals(1, receipt.runnersStopped());
        assertEquals("request", receipt.trigger());
        assertFalse(platform.recording.exists(liveVideo), "the live interview's recording is deleted");
        assertTrue(platform.openai.hungUpCalls().contains(call.callId()), "the call is hung up");
        assertTrue(platform.runners.runnerFor(live.session().id()).isEmpty(), "the runner is destroyed");
        for (SessionId gone : List.of(finished.session().id(), live.session().id())) {
            assertEquals("session.not_found", assertThrows(DomainException.class,
                    () -> platform.services.sessions().get(admin, gone)).code());
            assertEquals("session.not_found", assertThrows(DomainException.class,
                    () -> platform.services.interviewReport().report(admin, gone)).code());
        }
        assertEquals("candidate.not_found", assertThrows(DomainException.class,
                () -> platform.services.candidates().candidate(admin, ada.id())).code());
        assertEquals(bob, platform.services.candidates().candidate(admin, bob.id()), "others are untouched");
        assertEquals(bobs.session().id(), platform.services.sessions().get(admin, bobs.session().id()).id());

        AuditEvent event = platform.repositories.allAuditEvents().stream()
                .filter(e -> e.action().equals("candidate.erased")).findFirst().orElseThrow();
        assertEquals("candidate:" + ada.id(), event.subject());
        assertEquals("admin:" + admin.user(), event.actor());
        assertEquals(receipt.auditDetails(), event.details());
        assertEquals("2", event.details().get("sessions"));
        assertFalse(event.toString().contains("Lovelace"), "no personal data in the receipt");
        assertFalse(event.details().toString().contains("Ada"), "no personal data in the receipt");
    }

    @Test
    void retention_erases_exactly_the_candidates_whose_last_interview_ended_longer_ago_than_the_setting() {
        Candidate early = candidate("Early Ender");
        Candidate late = candidate("Late Ender");
        Candidate running = candidate("Still Running");
        platform.services.cancelInterview().cancel(admin, start(early).session().id());
        platform.clock.advance(Duration.ofDays(2));
        platform.services.cancelInterview().cancel(admin, start(late).session().id());
        start(running);
        platform.services.retention().setRetentionDays(ACME, Optional.of(180), "ops@example");
        assertTrue(platform.services.retention().applyRetention().isEmpty(), "nothing is older than 180 days yet");

        platform.clock.advance(Duration.ofDays(178).plusMinutes(1)); // early ended 180 days + 1 minute ago
        List<ErasureReceipt> first = platform.services.retention().applyRetention();
        assertEquals(List.of(early.id()), first.stream().map(ErasureReceipt::candidate).toList());
        assertEquals("retention", first.get(0).trigger());
        assertEquals("system:retention", first.get(0).actor());

        platform.clock.advance(Duration.ofDays(2).minusMinutes(2)); // late ended 179 days 23:59 ago
        assertTrue(platform.services.retention().applyRetention().isEmpty());
        platform.clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(late.id()), platform.services.retention().applyRetention().stream()
                .map(ErasureReceipt::candidate).toList());
        assertEquals(running, platform.services.candidates().candidate(admin, running.id()),
                "a candidate whose interview still runs is kept");
        assertEquals("invalid.retention_days", assertThrows(DomainException.class,
                () -> platform.services.retention().setRetentionDays(ACME, Optional.of(0), "ops")).code());
    }

    @Test
    void the_operator_erases_and_offboards_with_receipts_naming_the_operator() {
        Candidate one = candidate("One");
        Candidate two = candidate("Two");
        ErasureReceipt receipt = platform.services.eraseCandidate().eraseAsOperator(ACME, one.id(), "dpo@acme");
        assertEquals("system:operator:dpo@acme", receipt.actor());
        assertEquals("candidate.not_found", assertThrows(DomainException.class, () -> platform.services
                .eraseCandidate().eraseAsOperator(GLOBEX, two.id(), "dpo@acme")).code(), "wrong tenant");

        List<ErasureReceipt> offboarded = platform.services.offboardTenant().offboard(ACME, "ops");
        assertEquals(List.of(two.id()), offboarded.stream().map(ErasureReceipt::candidate).toList());
        assertTrue(platform.services.candidates().candidates(admin).isEmpty());
        assertTrue(platform.repositories.allAuditEvents().stream().anyMatch(e -> e.action().equals("tenant.offboarded")
                && e.details().get("tenant_keys_destroyed").equals("1")));
    }
}
