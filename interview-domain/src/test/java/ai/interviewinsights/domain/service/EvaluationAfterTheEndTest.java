package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase.EndInterview;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase.EndedInterview;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase.CallConnected;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.testing.FakeEvaluationQueue;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Evaluate once the runner has reported the end" is decided by the end use case alone, which queues the evaluation
 * on the {@link ai.interviewinsights.domain.port.out.EvaluationQueue}: once per final end, never for an end that
 * leaves the runner still flushing, and never for an interview that did not happen.
 */
class EvaluationAfterTheEndTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal admin = Fixtures.admin(ACME);
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void setUp() {
        platform.registerTenant(ACME);
        position = platform.services.positions().create(admin, "Engineer", "",
                List.of(new Competency("Design", "", 1)));
        candidate = platform.services.candidates().create(admin, "Ada Lovelace", "");
    }

    private SessionId started() {
        return platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null)).session().id();
    }

    private SessionId talking() {
        SessionId id = started();
        platform.services.callConnected().connected(new CallConnected(Fixtures.runnerPrincipal(ACME, id), id,
                new RealtimeCallId("rtc_" + id.value())));
        assertEquals(SessionStatus.ACTIVE, status(id));
        return id;
    }

    private EndedInterview end(Principal by, SessionId id, EndReason reason) {
        return platform.services.endInterview().end(new EndInterview(by, id, reason, null));
    }

    private SessionStatus status(SessionId id) {
        return platform.services.sessions().get(admin, id).status();
    }

    @Test
    void the_runners_end_report_queues_one_evaluation() {
        SessionId id = talking();
        EndedInterview ended = end(Fixtures.runnerPrincipal(ACME, id), id, EndReason.CALL_ENDED);
        assertTrue(ended.transcriptFinal());
        assertEquals(List.of(new FakeEvaluationQueue.Queued(ACME, id)), platform.evaluations.queued());
        // The platform's queue evaluates inline: the queued evaluation is the one that completed the interview.
        assertEquals(SessionStatus.COMPLETED, status(id));
        assertTrue(platform.services.interviewReport().report(admin, id).evaluation().isPresent());

        // A retried report of an interview that is over changes nothing and queues nothing more.
        assertFalse(end(Fixtures.runnerPrincipal(ACME, id), id, EndReason.CALL_ENDED).transcriptFinal());
        assertEquals(1, platform.evaluations.timesQueued(id));
    }

    @Test
    void an_end_by_staff_or_the_candidate_queues_nothing_until_the_runner_reports() {
        SessionId byStaff = talking();
        assertFalse(end(admin, byStaff, EndReason.STAFF_ENDED).transcriptFinal());
        SessionId byCandidate = talking();
        assertFalse(end(Fixtures.candidatePrincipal(ACME, byCandidate), byCandidate, EndReason.CANDIDATE_ENDED)
                .transcriptFinal());
        assertEquals(List.of(), platform.evaluations.queued());
        assertEquals(SessionStatus.ENDING, status(byStaff));

        // The runner, having flushed, reports the end staff asked for: now the transcript is final.
        assertTrue(end(Fixtures.runnerPrincipal(ACME, byStaff), byStaff, EndReason.STAFF_ENDED).transcriptFinal());
        assertEquals(List.of(new FakeEvaluationQueue.Queued(ACME, byStaff)), platform.evaluations.queued());
    }

    @Test
    void an_interview_whose_call_never_connected_is_cancelled_and_not_evaluated() {
        SessionId id = started();
        EndedInterview ended = end(Fixtures.runnerPrincipal(ACME, id), id, EndReason.CALL_ENDED);
        assertFalse(ended.transcriptFinal());
        assertEquals(SessionStatus.CANCELLED, ended.session().status());
        assertEquals(List.of(), platform.evaluations.queued());
    }
}
