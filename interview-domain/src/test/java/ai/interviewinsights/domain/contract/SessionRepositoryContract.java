package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.ConcurrentUpdateException;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.testing.Fixtures;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sessions: full round trip, optimistic locking, queries, and the tenant and session walls. */
public abstract class SessionRepositoryContract extends RepositoryContractSupport {

    private InterviewSession advanceToCompleted(InterviewSession session) {
        AccessScope staff = AccessScope.of(Fixtures.admin(session.tenant()));
        RunnerRef runner = new RunnerRef(new RunnerId("m-123"), RunnerName.of(session.settings().architecture(),
                session.tenant(),
                session.id()), URI.create("wss://interviews-" + session.tenant() + ".fly.dev/ws?instance=m-123"));
        session.beginProvisioning(clock);
        session = repositories().sessions().save(staff, session);
        clock.advance(Duration.ofSeconds(3));
        session.runnerReady(runner, clock);
        session.attachRecording(RecordingRef.ofVideo(new VideoId("vi4blUQJFrYWbaG44NChkH27")), clock);
        session = repositories().sessions().save(staff, session);
        clock.advance(Duration.ofSeconds(5));
        session.callConnected(new RealtimeCallId("rtc_u1_9c6574da8b8a41a18da9308f4ad974ce"), clock);
        session = repositories().sessions().save(staff, session);
        clock.advance(Duration.ofMinutes(20));
        session.beginEnding(EndReason.CANDIDATE_ENDED, clock);
        session.attachRecording(session.recording().orElseThrow().withPlaybackUrl(
                URI.create("https://vod.api.video/vod/vi4blUQJFrYWbaG44NChkH27/mp4/source.mp4")), clock);
        session = repositories().sessions().save(staff, session);
        session.attachEvaluation(new EvaluationRef(UUID.randomUUID()), clock);
        session.complete(clock);
        return repositories().sessions().save(staff, session);
    }

    @Test
    void every_field_of_a_session_round_trips() {
        TenantId a = newTenant();
        InterviewSession saved = newSession(a);
        assertEquals(1, saved.version());
        assertEquals(saved.snapshot(), repositories().sessions().find(SYSTEM, saved.id()).orElseThrow().snapshot());
        InterviewSession completed = advanceToCompleted(saved);
        InterviewSession loaded = repositories().sessions().find(AccessScope.of(Fixtures.admin(a)), saved.id())
                .orElseThrow();
        assertEquals(completed.snapshot(), loaded.snapshot());
        assertEquals(SessionStatus.COMPLETED, loaded.status());
    }

    @Test
    void a_failed_session_keeps_its_reason() {
        TenantId a = newTenant();
        InterviewSession session = newSession(a);
        session.fail("runner could not be provisioned: fly.insufficient_capacity", clock);
        repositories().sessions().save(SYSTEM, session);
        assertEquals("runner could not be provisioned: fly.insufficient_capacity",
                repositories().sessions().find(SYSTEM, session.id()).orElseThrow().failureReason().orElseThrow());
    }

    @Test
    void a_stale_copy_cannot_overwrite_a_newer_one() {
        TenantId a = newTenant();
        InterviewSession saved = newSession(a);
        InterviewSession first = repositories().sessions().find(SYSTEM, saved.id()).orElseThrow();
        InterviewSession second = repositories().sessions().find(SYSTEM, saved.id()).orElseThrow();
        first.beginProvisioning(clock);
        repositories().sessions().save(SYSTEM, first);
        second.cancel(clock);
        ConcurrentUpdateException e = assertThrows(ConcurrentUpdateException.class,
                () -> repositories().sessions().save(SYSTEM, second));
        assertEquals(saved.id(), e.session());
        assertEquals("session.concurrent_update", e.code());
        assertEquals(ErrorKind.CONFLICT, e.kind());
        assertEquals(SessionStatus.PROVISIONING,
                repositories().sessions().find(SYSTEM, saved.id()).orElseThrow().status());
    }

    @Test
    void a_session_cannot_be_inserted_twice() {
        TenantId a = newTenant();
        InterviewSession saved = newSession(a);
        InterviewSession again = InterviewSession.restore(saved.snapshot()).savedAt(0);
        DomainException e = assertThrows(DomainException.class, () -> repositories().sessions().save(SYSTEM, again));
        assertEquals(ErrorKind.CONFLICT, e.kind());
    }

    @Test
    void another_tenant_can_neither_see_nor_change_a_session() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        InterviewSession mine = newSession(a);
        AccessScope hostile = AccessScope.of(Fixtures.admin(b));
        assertTrue(repositories().sessions().find(hostile, mine.id()).isEmpty());
        assertTrue(repositories().sessions().listRecent(hostile, 100).stream()
                .noneMatch(s -> s.id().equals(mine.id())));
        assertTrue(repositories().sessions().statuses(hostile, List.of(mine.id())).isEmpty());
        InterviewSession copy = repositories().sessions().find(SYSTEM, mine.id()).orElseThrow();
        copy.cancel(clock);
        assertRefused(() -> repositories().sessions().save(hostile, copy));
        assertEquals(SessionStatus.CREATED, repositories().sessions().find(SYSTEM, mine.id()).orElseThrow().status());
    }

    @Test
    void a_candidate_sees_its_own_session_only() {
        TenantId a = newTenant();
        InterviewSession mine = newSession(a);
        InterviewSession other = newSession(a);
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a, mine.id()));
        assertTrue(repositories().sessions().find(candidate, mine.id()).isPresent());
        assertTrue(repositories().sessions().find(candidate, other.id()).isEmpty());
        assertEquals(List.of(mine.id()), repositories().sessions().listRecent(candidate, 100).stream()
                .map(InterviewSession::id).toList());
        InterviewSession copy = repositories().sessions().find(SYSTEM, other.id()).orElseThrow();
        copy.cancel(clock);
        assertRefused(() -> repositories().sessions().save(candidate, copy));
    }

    @Test
    void a_runner_may_update_its_own_session() {
        TenantId a = newTenant();
        InterviewSession mine = newSession(a);
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(a, mine.id()));
        InterviewSession copy = repositories().sessions().find(runner, mine.id()).orElseThrow();
        copy.fail("the runner's call broke", clock);
        assertEquals(SessionStatus.FAILED, repositories().sessions().save(runner, copy).status());
    }

    @Test
    void only_staff_or_system_jobs_create_sessions() {
        TenantId a = newTenant();
        InterviewSession fresh = InterviewSession.start(new SessionId(UUID.randomUUID()), a, newCandidate(a).id(),
                newPosition(a).id(), Fixtures.settings(), ai.interviewinsights.domain.model.session.SessionOrigin.STAFF,
                Fixtures.admin(a).user(), clock);
        assertRefused(() -> repositories().sessions().save(
                AccessScope.of(Fixtures.candidatePrincipal(a, fresh.id())), fresh));
        assertTrue(repositories().sessions().find(SYSTEM, fresh.id()).isEmpty());
        assertEquals(1, repositories().sessions().save(AccessScope.of(Fixtures.interviewer(a)), fresh).version());
    }

    @Test
    void recent_sessions_come_newest_first() {
        TenantId a = newTenant();
        InterviewSession first = newSession(a);
        clock.advance(Duration.ofMinutes(1));
        InterviewSession second = newSession(a);
        clock.advance(Duration.ofMinutes(1));
        InterviewSession third = newSession(a);
        List<SessionId> ids = repositories().sessions().listRecent(AccessScope.of(Fixtures.admin(a)), 2).stream()
                .map(InterviewSession::id).toList();
        assertEquals(List.of(third.id(), second.id()), ids);
        assertTrue(first.version() > 0);
    }

    @Test
    void idle_sessions_are_found_oldest_first_and_terminal_ones_never() {
        TenantId a = newTenant();
        InterviewSession old = newSession(a);
        clock.advance(Duration.ofMinutes(10));
        InterviewSession older = repositories().sessions().find(SYSTEM, old.id()).orElseThrow();
        InterviewSession cancelled = newSession(a);
        cancelled.cancel(clock);
        repositories().sessions().save(SYSTEM, cancelled);
        clock.advance(Duration.ofMinutes(10));
        InterviewSession recent = newSession(a);
        List<SessionId> idle = repositories().sessions().findIdle(SYSTEM, clock.instant().minus(Duration.ofMinutes(5)),
                1000).stream().filter(s -> s.tenant().equals(a)).map(InterviewSession::id).toList();
        assertEquals(List.of(older.id()), idle);
        assertTrue(recent.version() > 0);
    }

    @Test
    void a_session_is_found_by_its_recording() {
        TenantId a = newTenant();
        InterviewSession session = newSession(a);
        VideoId video = new VideoId("vi" + UUID.randomUUID().toString().replace("-", ""));
        session.attachRecording(RecordingRef.ofVideo(video), clock);
        repositories().sessions().save(SYSTEM, session);
        assertEquals(session.id(), repositories().sessions().findByVideo(SYSTEM, video).orElseThrow().id());
        assertTrue(repositories().sessions().findByVideo(SYSTEM, new VideoId("vi-nothing")).isEmpty());
        assertTrue(repositories().sessions().findByVideo(AccessScope.of(Fixtures.admin(newTenant())), video)
                .isEmpty());
    }

    @Test
    void statuses_are_reported_for_existing_sessions_only() {
        TenantId a = newTenant();
        InterviewSession live = newSession(a);
        InterviewSession done = newSession(a);
        done.cancel(clock);
        repositories().sessions().save(SYSTEM, done);
        SessionId unknown = new SessionId(UUID.randomUUID());
        Map<SessionId, SessionStatus> statuses = repositories().sessions().statuses(SYSTEM,
                Set.of(live.id(), done.id(), unknown));
        assertEquals(Map.of(live.id(), SessionStatus.CREATED, done.id(), SessionStatus.CANCELLED), statuses);
    }
}
