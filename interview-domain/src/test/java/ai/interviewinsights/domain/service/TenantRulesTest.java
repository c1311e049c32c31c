package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static ai.interviewinsights.domain.testing.Fixtures.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase.EndInterview;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase.InviteCandidate;
import ai.interviewinsights.domain.port.in.IssueRealtimeSecretUseCase.IssueRealtimeSecret;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase.RecordTranscript;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hostile callers against the use cases. A principal of tenant B can never read or change anything of tenant A, and
 * never learns that it exists (NOT_FOUND, never FORBIDDEN); a candidate acts on its own session only, and only while
 * it is live.
 */
class TenantRulesTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal acmeAdmin = Fixtures.admin(ACME);
    private final Principal globexAdmin = Fixtures.admin(GLOBEX);
    private Position position;
    private Candidate candidate;
    private StartedInterview started;

    @BeforeEach
    void two_companies_and_an_interview_at_acme() {
        platform.registerTenant(ACME);
        platform.registerTenant(GLOBEX);
        position = platform.services.positions().create(acmeAdmin, "Engineer", "",
                List.of(new Competency("Design", "", 1)));
        candidate = platform.services.candidates().create(acmeAdmin, "Ada Lovelace", "");
        started = platform.services.startInterview().start(new StartInterview(acmeAdmin, candidate.id(),
                position.id(), null));
    }

    private static void assertKind(ErrorKind kind, String code, Executable call) {
        DomainException e = assertThrows(DomainException.class, call);
        assertEquals(kind, e.kind(), e.code() + ": " + e.getMessage());
        assertEquals(code, e.code());
    }

    @Test
    void another_tenant_cannot_see_acme_records_and_is_told_they_do_not_exist() {
        var id = started.session().id();
        assertKind(ErrorKind.NOT_FOUND, "session.not_found",
                () -> platform.services.interviewReport().report(globexAdmin, id));
        assertKind(ErrorKind.NOT_FOUND, "session.not_found", () -> platform.services.sessions().get(globexAdmin, id));
        assertKind(ErrorKind.NOT_FOUND, "position.not_found",
                () -> platform.services.positions().get(globexAdmin, position.id()));
        assertKind(ErrorKind.NOT_FOUND, "candidate.not_found",
                () -> platform.services.candidates().candidate(globexAdmin, candidate.id()));
        assertTrue(platform.services.sessions().listRecent(globexAdmin, 100).isEmpty());
        assertTrue(platform.services.positions().list(globexAdmin).isEmpty());
        assertTrue(platform.services.candidates().candidates(globexAdmin).isEmpty());
    }

    @Test
    void another_tenant_cannot_start_invite_end_or_cancel_with_acme_records() {
        var id = started.session().id();
        assertKind(ErrorKind.NOT_FOUND, "position.not_found", () -> platform.services.startInterview().start(
                new StartInterview(globexAdmin, candidate.id(), position.id(), null)));
        assertKind(ErrorKind.NOT_FOUND, "position.not_found", () -> platform.services.inviteCandidate().invite(
                new InviteCandidate(globexAdmin, candidate.id(), position.id(), null, null)));
        assertKind(ErrorKind.NOT_FOUND, "session.not_found", () -> platform.services.endInterview().end(
                new EndInterview(globexAdmin, id, EndReason.STAFF_ENDED, null)));
        assertKind(ErrorKind.NOT_FOUND, "session.not_found",
                () -> platform.services.cancelInterview().cancel(globexAdmin, id));
        assertEquals(SessionStatus.READY, platform.services.sessions().get(acmeAdmin, id).status());
    }

    @Test
    void a_candidate_acts_on_its_own_session_only() {
        StartedInterview other = platform.services.startInterview().start(new StartInterview(acmeAdmin,
                candidate.id(), position.id(), null));
        Principal candidateOfFirst = Fixtures.candidatePrincipal(ACME, started.session().id());
        var otherId = other.session().id();
        assertKind(ErrorKind.FORBIDDEN, "access.other_session",
                () -> platform.services.sessions().get(candidateOfFirst, otherId));
        assertKind(ErrorKind.FORBIDDEN, "access.other_session", () -> platform.services.recordTranscript().record(
                new RecordTranscript(candidateOfFirst, otherId, List.of(Fixtures.entry(otherId, "item_1", 0,
                        Speaker.CANDIDATE, "hello")))));
        assertKind(ErrorKind.FORBIDDEN, "access.other_session", () -> platform.services.issueRealtimeSecret()
                .issue(new IssueRealtimeSecret(candidateOfFirst, otherId)));
        assertKind(ErrorKind.FORBIDDEN, "access.staff_only",
                () -> platform.services.interviewReport().report(candidateOfFirst, started.session().id()));
        assertKind(ErrorKind.FORBIDDEN, "access.staff_only", () -> platform.services.startInterview().start(
                new StartInterview(candidateOfFirst, candidate.id(), position.id(), null)));
        // Listing the tenant's interviews is staff's: refused here, not left to the database's row filter alone.
        assertKind(ErrorKind.FORBIDDEN, "access.staff_only",
                () -> platform.services.sessions().listRecent(candidateOfFirst, 10));
        assertKind(ErrorKind.FORBIDDEN, "access.staff_only", () -> platform.services.sessions().search(
                candidateOfFirst, ai.interviewinsights.domain.model.session.SessionQuery.newest(10)));
        assertKind(ErrorKind.FORBIDDEN, "access.staff_only", () -> platform.services.sessions().search(
                Fixtures.runnerPrincipal(ACME, started.session().id()),
                ai.interviewinsights.domain.model.session.SessionQuery.newest(10)));
    }

    @Test
    void a_candidate_cannot_write_to_its_session_once_it_is_over() {
        var id = started.session().id();
        platform.services.cancelInterview().cancel(acmeAdmin, id);
        assertKind(ErrorKind.GONE, "session.not_live", () -> platform.services.recordTranscript().record(
                new RecordTranscript(Fixtures.candidatePrincipal(ACME, id), id,
                        List.of(Fixtures.entry(id, "item_1", 0, Speaker.CANDIDATE, "too late")))));
    }

    @Test
    void only_admins_define_positions_and_only_staff_see_them() {
        assertKind(ErrorKind.FORBIDDEN, "access.admin_only", () -> platform.services.positions().create(
                Fixtures.interviewer(ACME), "X", "", List.of(new Competency("Y", "", 1))));
        assertKind(ErrorKind.FORBIDDEN, "access.staff_only", () -> platform.services.positions().list(
                Fixtures.candidatePrincipal(ACME, started.session().id())));
    }

    @Test
    void staff_do_not_write_transcripts_and_batches_must_be_coherent() {
        var id = started.session().id();
        assertKind(ErrorKind.FORBIDDEN, "access.session_only", () -> platform.services.recordTranscript().record(
                new RecordTranscript(acmeAdmin, id, List.of(Fixtures.entry(id, "item_1", 0, Speaker.AI, "x")))));
        Principal runner = Fixtures.runnerPrincipal(ACME, id);
        assertKind(ErrorKind.INVALID_INPUT, "invalid.batch", () -> platform.services.recordTranscript().record(
                new RecordTranscript(runner, id, List.of(Fixtures.entry(id, "item_1", 0, Speaker.AI, "x"),
                        Fixtures.entry(id, "item_1", 1, Speaker.AI, "y")))));
    }

    @Test
    void only_the_runner_reports_the_call() {
        var id = started.session().id();
        assertKind(ErrorKind.FORBIDDEN, "access.runner_only", () -> platform.services.runnerAssignment()
                .assignment(Fixtures.candidatePrincipal(ACME, id), id));
    }
}
