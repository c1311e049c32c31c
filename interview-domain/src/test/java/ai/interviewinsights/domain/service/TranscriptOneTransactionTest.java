package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase.RecordTranscript;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One transaction per transcript batch (issue 16, goal 4): recording a batch touches the transcript store only (its
 * insert policy checks that the session is live); the session is read only to explain a refusal.
 */
class TranscriptOneTransactionTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final AtomicInteger sessionReads = new AtomicInteger();

    private InterviewServices servicesCountingSessionReads() {
        InMemoryRepositories r = platform.repositories;
        SessionRepository sessions = r.sessions();
        SessionRepository counting = new SessionRepository() {
            @Override
            public InterviewSession save(AccessScope scope, InterviewSession session) {
                return sessions.save(scope, session);
            }

            @Override
            public Optional<InterviewSession> find(AccessScope scope, SessionId id) {
                sessionReads.incrementAndGet();
                return sessions.find(scope, id);
            }

            @Override
            public List<InterviewSession> listRecent(AccessScope scope, int limit) {
                return sessions.listRecent(scope, limit);
            }

            @Override
            public List<InterviewSession> findIdle(AccessScope scope, Instant lastActivityBefore, int limit) {
                return sessions.findIdle(scope, lastActivityBefore, limit);
            }

            @Override
            public Optional<InterviewSession> findByVideo(AccessScope scope, VideoId videoId) {
                return sessions.findByVideo(scope, videoId);
            }

            @Override
            public ai.interviewinsights.domain.model.session.SessionQuery.Page search(AccessScope scope,
                    ai.interviewinsights.domain.model.session.SessionQuery query) {
                return sessions.search(scope, query);
            }

            @Override
            public Map<SessionId, SessionStatus> statuses(AccessScope scope, Collection<SessionId> ids) {
                return sessions.statuses(scope, ids);
            }
        };
        InterviewPorts ports = new InterviewPorts(r.tenants(), r.positions(), r.candidates(), counting,
                r.transcripts(), r.invites(), r.evaluations(), r.audit(), platform.consents, platform.openai,
                platform.runners, Optional.of(platform.recording), platform.evaluator, platform.tokens, platform.ids,
                platform.clock);
        return InterviewServices.create(ports, InterviewPolicies.defaults());
    }

    private InterviewSession startedSession() {
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        return platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null)).session();
    }

    @Test
    void a_batch_is_stored_without_reading_the_session() {
        InterviewServices services = servicesCountingSessionReads();
        InterviewSession session = startedSession();
        Principal runner = Fixtures.runnerPrincipal(ACME, session.id());
        var result = services.recordTranscript().record(new RecordTranscript(runner, session.id(), List.of(
                Fixtures.entry(session.id(), "item_1", 0, Speaker.AI, "Hello."),
                Fixtures.entry(session.id(), "item_2", 1, Speaker.CANDIDATE, "Hi."))));
        assertEquals(2, result.stored().size());
        assertEquals(0, sessionReads.get(), "the store's own check is the only one");
    }

    @Test
    void a_finished_session_still_refuses_with_its_own_code() {
        InterviewServices services = servicesCountingSessionReads();
        InterviewSession session = startedSession();
        platform.services.cancelInterview().cancel(Fixtures.admin(ACME), session.id());
        Principal runner = Fixtures.runnerPrincipal(ACME, session.id());
        DomainException refused = assertThrows(DomainException.class, () -> services.recordTranscript().record(
                new RecordTranscript(runner, session.id(), List.of(Fixtures.entry(session.id(), "item_1", 0,
                        Speaker.AI, "Hello.")))));
        assertEquals(ErrorKind.GONE, refused.kind());
        assertEquals("session.not_live", refused.code());
    }

    @Test
    void another_sessions_writer_is_refused_without_learning_anything() {
        InterviewServices services = servicesCountingSessionReads();
        InterviewSession session = startedSession();
        SessionId other = new SessionId(java.util.UUID.randomUUID());
        Principal stranger = Fixtures.runnerPrincipal(ACME, other);
        DomainException refused = assertThrows(DomainException.class, () -> services.recordTranscript().record(
                new RecordTranscript(stranger, other, List.of(Fixtures.entry(other, "item_1", 0, Speaker.AI,
                        "Hello.")))));
        assertEquals(ErrorKind.FORBIDDEN, refused.kind());
        assertEquals(0, platform.services.interviewReport().report(Fixtures.admin(ACME), session.id()).transcript()
                .size());
    }
}
