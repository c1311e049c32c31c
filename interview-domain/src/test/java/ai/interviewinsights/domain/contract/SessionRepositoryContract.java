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
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.session.SessionQuery;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.UserId;
import java.time.Instant;
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
                URI.create("https://vod.api.video/vod/vi4blUQJFrYWbaG44NChkH27/mp4/source.mp4"))
                .reportedAt(clock.instant()), clock); // the browser reported its video in end_session
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
    void a_runner_records_its_own_call_audio_and_no_other_sessions() {
        TenantId a = newTenant();
        InterviewSession mine = newSession(a);
        InterviewSession other = newSession(a);
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(a, mine.id()));
        VideoId audio = new VideoId("viCallAudio0123456789ab");
        InterviewSession copy = repositories().sessions().find(runner, mine.id()).orElseThrow();
        copy.attachCallAudio(ai.interviewinsights.domain.model.recording.CallAudioRef.granted(audio,
                clock.instant()), clock);
        repositories().sessions().save(runner, copy);
        clock.advance(Duration.ofMinutes(1));
        copy = repositories().sessions().find(runner, mine.id()).orElseThrow();
        copy.attachCallAudio(copy.callAudio().orElseThrow().uploaded(clock.instant()), clock);
        InterviewSession saved = repositories().sessions().save(runner, copy);
        assertEquals(saved.snapshot(), repositories().sessions().find(SYSTEM, mine.id()).orElseThrow().snapshot());
        assertEquals(clock.instant(), saved.callAudio().orElseThrow().uploadedAt());

        // The same runner, writing into another session of its tenant (a hostile runner attaching its audio there).
        InterviewSession foreign = repositories().sessions().find(SYSTEM, other.id()).orElseThrow();
        foreign.attachCallAudio(ai.interviewinsights.domain.model.recording.CallAudioRef.granted(audio,
                clock.instant()), clock);
        assertRefused(() -> repositories().sessions().save(runner, foreign));
        assertTrue(repositories().sessions().find(SYSTEM, other.id()).orElseThrow().callAudio().isEmpty());

        InterviewSession failed = newSession(a);
        failed.attachCallAudio(ai.interviewinsights.domain.model.recording.CallAudioRef.granted(
                new VideoId("viFailedAudio"), clock.instant()).failed("recording.upload_unavailable"), clock);
        InterviewSession failedSaved = repositories().sessions().save(SYSTEM, failed);
        assertEquals("recording.upload_unavailable", repositories().sessions().find(SYSTEM, failed.id())
                .orElseThrow().callAudio().orElseThrow().failure());
        assertEquals(failedSaved.snapshot(), repositories().sessions().find(SYSTEM, failed.id()).orElseThrow()
                .snapshot());
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

    /** The provider's webhook for a proxy session's call-audio video names that video (ADR 0021). */
    @Test
    void a_session_is_found_by_its_call_audio_and_keeps_where_it_plays() {
        TenantId a = newTenant();
        InterviewSession session = newSession(a);
        session.attachRecording(RecordingRef.ofVideo(new VideoId("vi" + UUID.randomUUID().toString()
                .replace("-", ""))), clock);
        VideoId audio = new VideoId("vi" + UUID.randomUUID().toString().replace("-", ""));
        session.attachCallAudio(ai.interviewinsights.domain.model.recording.CallAudioRef.granted(audio,
                clock.instant()).uploaded(clock.instant()), clock);
        repositories().sessions().save(SYSTEM, session);
        InterviewSession found = repositories().sessions().findByVideo(SYSTEM, audio).orElseThrow();
        assertEquals(session.id(), found.id());
        assertTrue(repositories().sessions().findByVideo(AccessScope.of(Fixtures.admin(newTenant())), audio)
                .isEmpty(), "another tenant's scope finds nothing");

        java.net.URI url = java.net.URI.create("https://vod.api.video/vod/" + audio.value() + "/mp4/source.mp4");
        found.attachCallAudio(found.callAudio().orElseThrow().withPlaybackUrl(url), clock);
        repositories().sessions().save(SYSTEM, found);
        InterviewSession again = repositories().sessions().find(SYSTEM, session.id()).orElseThrow();
        assertEquals(java.util.Optional.of(url), again.callAudio().orElseThrow().url());
        assertEquals(clock.instant(), again.callAudio().orElseThrow().uploadedAt(), "the upload's time stays");
        assertEquals(found.snapshot().callAudio(), again.snapshot().callAudio());
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

    /** A saved CREATED session of the tenant for the given position and candidate, created now. */
    private InterviewSession sessionFor(TenantId tenant, PositionId position, CandidateId candidate) {
        return repositories().sessions().save(SYSTEM, InterviewSession.start(new SessionId(UUID.randomUUID()),
                tenant, candidate, position, Fixtures.settings(), SessionOrigin.STAFF, new UserId(UUID.randomUUID()),
                clock));
    }

    @Test
    void the_store_filters_and_pages_every_session_so_an_old_one_is_found_behind_more_than_500_newer() {
        TenantId a = newTenant();
        TenantId hostile = newTenant();
        AccessScope admin = AccessScope.of(Fixtures.admin(a));
        CandidateId candidate = newCandidate(a).id();
        PositionId rare = newPosition(a).id();
        PositionId common = newPosition(a).id();
        Instant start = clock.instant();
        InterviewSession old = sessionFor(a, rare, candidate);
        old.cancel(clock);
        old = repositories().sessions().save(SYSTEM, old);
        clock.advance(Duration.ofHours(1));
        Instant afterOld = clock.instant();
        for (int i = 0; i < 520; i++) {
            if (i % 3 != 0) {
                clock.advance(Duration.ofSeconds(1)); // every third shares its creation time with the one before
            }
            sessionFor(a, common, candidate);
        }

        SessionQuery.Page byPosition = repositories().sessions().search(admin,
                new SessionQuery(Set.of(), rare, null, null, 50, 0));
        assertEquals(List.of(old.id()), byPosition.items().stream().map(InterviewSession::id).toList());
        assertEquals(1, byPosition.total());
        assertEquals(List.of(old.id()), repositories().sessions().search(admin, new SessionQuery(
                Set.of(SessionStatus.CANCELLED, SessionStatus.EXPIRED), null, null, null, 50, 0)).items().stream()
                .map(InterviewSession::id).toList());
        assertEquals(List.of(old.id()), repositories().sessions().search(admin, new SessionQuery(Set.of(), null,
                start, afterOld, 50, 0)).items().stream().map(InterviewSession::id).toList());
        assertEquals(0, repositories().sessions().search(admin, new SessionQuery(Set.of(SessionStatus.CANCELLED),
                common, null, null, 50, 0)).total(), "filters combine");
        assertEquals(520, repositories().sessions().search(admin, new SessionQuery(Set.of(SessionStatus.CREATED),
                null, afterOld, null, 10, 0)).total());

        // Pages of 100 join into the whole list, newest first, the id breaking ties: nothing twice, nothing lost.
        List<InterviewSession> all = new java.util.ArrayList<>();
        for (int offset = 0; ; offset += 100) {
            SessionQuery.Page page = repositories().sessions().search(admin, new SessionQuery(Set.of(), null, null,
                    null, 100, offset));
            assertEquals(521, page.total());
            all.addAll(page.items());
            if (page.items().size() < 100) {
                break;
            }
        }
        assertEquals(521, all.stream().map(InterviewSession::id).distinct().count());
        for (int i = 1; i < all.size(); i++) {
            InterviewSession newer = all.get(i - 1);
            InterviewSession older = all.get(i);
            assertTrue(newer.createdAt().isAfter(older.createdAt()) || newer.createdAt().equals(older.createdAt())
                    && newer.id().value().toString().compareTo(older.id().value().toString()) > 0,
                    "ordered at " + i);
        }
        assertEquals(old.id(), all.get(520).id());
        assertEquals(0, repositories().sessions().search(admin, new SessionQuery(Set.of(), null, null, null, 100,
                600)).items().size());

        // Another tenant's admin sees none of it, whatever it asks for.
        AccessScope stranger = AccessScope.of(Fixtures.admin(hostile));
        assertEquals(0, repositories().sessions().search(stranger, SessionQuery.newest(500)).total());
        assertEquals(0, repositories().sessions().search(stranger, new SessionQuery(Set.of(SessionStatus.CANCELLED),
                rare, null, null, 500, 0)).total());
        // A candidate sees its own session only.
        assertEquals(List.of(old.id()), repositories().sessions().search(
                AccessScope.of(Fixtures.candidatePrincipal(a, old.id())), SessionQuery.newest(500)).items().stream()
                .map(InterviewSession::id).toList());
    }

    @Test
    void a_query_out_of_bounds_is_refused_with_a_stable_code() {
        assertEquals("invalid.paging", assertThrows(DomainException.class,
                () -> new SessionQuery(Set.of(), null, null, null, 0, 0)).code());
        assertEquals("invalid.paging", assertThrows(DomainException.class,
                () -> new SessionQuery(Set.of(), null, null, null, 501, 0)).code());
        assertEquals("invalid.paging", assertThrows(DomainException.class,
                () -> new SessionQuery(Set.of(), null, null, null, 10, -1)).code());
        Instant t = clock.instant();
        assertEquals("invalid.date_range", assertThrows(DomainException.class,
                () -> new SessionQuery(Set.of(), null, t, t, 10, 0)).code());
    }
}
