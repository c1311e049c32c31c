package ai.interviewinsights.domain.model.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole lifecycle: every legal transition, and a table of every illegal one. */
class InterviewSessionLifecycleTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final SessionId id = SessionId.of("a1b2c3d4-e29b-41d4-a716-446655440000");
    private final RunnerRef runner = new RunnerRef("m1", RunnerName.of(Fixtures.settings().architecture(),
            Fixtures.ACME, id), URI.create("wss://interviews-acme.fly.dev/ws?instance=m1"));
    private final RealtimeCallId call = new RealtimeCallId("rtc_1");

    /** How to perform each action on a session. */
    private final Map<SessionAction, BiConsumer<InterviewSession, MutableClock>> perform = Map.ofEntries(
            Map.entry(SessionAction.PROVISION_RUNNER, InterviewSession::beginProvisioning),
            Map.entry(SessionAction.MARK_RUNNER_READY, (s, c) -> s.runnerReady(runner, c)),
            Map.entry(SessionAction.CONNECT_CALL, (s, c) -> s.callConnected(call, c)),
            Map.entry(SessionAction.END, (s, c) -> s.beginEnding(EndReason.CANDIDATE_ENDED, c)),
            Map.entry(SessionAction.COMPLETE, InterviewSession::complete),
            Map.entry(SessionAction.FAIL, (s, c) -> s.fail("the runner died", c)),
            Map.entry(SessionAction.EXPIRE, InterviewSession::expire),
            Map.entry(SessionAction.CANCEL, InterviewSession::cancel),
            Map.entry(SessionAction.REPLACE_RUNNER, (s, c) -> s.runnerReplaced(runner, c)),
            Map.entry(SessionAction.ATTACH_EVALUATION,
                    (s, c) -> s.attachEvaluation(new EvaluationRef(UUID.randomUUID()), c)));

    private InterviewSession created() {
        return InterviewSession.start(id, Fixtures.ACME, new CandidateId(UUID.randomUUID()),
                new PositionId(UUID.randomUUID()), Fixtures.settings(), SessionOrigin.STAFF,
                new UserId(UUID.randomUUID()), clock);
    }

    /** A session brought into the given status along the happy path (or its nearest branch). */
    private InterviewSession in(SessionStatus status) {
        InterviewSession s = created();
        List<SessionAction> path = switch (status) {
            case CREATED -> List.of();
            case PROVISIONING -> List.of(SessionAction.PROVISION_RUNNER);
            case READY -> List.of(SessionAction.PROVISION_RUNNER, SessionAction.MARK_RUNNER_READY);
            case ACTIVE -> List.of(SessionAction.PROVISION_RUNNER, SessionAction.MARK_RUNNER_READY,
                    SessionAction.CONNECT_CALL);
            case ENDING -> List.of(SessionAction.PROVISION_RUNNER, SessionAction.MARK_RUNNER_READY,
                    SessionAction.CONNECT_CALL, SessionAction.END);
            case COMPLETED -> List.of(SessionAction.PROVISION_RUNNER, SessionAction.MARK_RUNNER_READY,
                    SessionAction.CONNECT_CALL, SessionAction.END, SessionAction.COMPLETE);
            case FAILED -> List.of(SessionAction.FAIL);
            case EXPIRED -> List.of(SessionAction.EXPIRE);
            case CANCELLED -> List.of(SessionAction.CANCEL);
        };
        path.forEach(a -> perform.get(a).accept(s, clock));
        assertEquals(status, s.status());
        return s;
    }

    @Test
    void the_happy_path_records_everything_with_times_from_the_clock() {
        InterviewSession s = created();
        assertEquals(SessionStatus.CREATED, s.status());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z"), s.createdAt());
        clock.advance(Duration.ofSeconds(1));
        s.beginProvisioning(clock);
        clock.advance(Duration.ofSeconds(2));
        s.runnerReady(runner, clock);
        s.attachRecording(RecordingRef.ofVideo("vi123"), clock);
        clock.advance(Duration.ofSeconds(3));
        s.callConnected(call, clock);
        assertEquals(Instant.parse("2026-11-22T10:00:06Z"), s.connectedAt().orElseThrow());
        assertEquals(Instant.parse("2026-11-22T10:30:06Z"), s.deadline().orElseThrow());
        clock.advance(Duration.ofMinutes(25));
        s.beginEnding(EndReason.TIME_BUDGET_SPENT, clock);
        EvaluationRef evaluation = new EvaluationRef(UUID.randomUUID());
        s.attachEvaluation(evaluation, clock);
        clock.advance(Duration.ofSeconds(10));
        s.complete(clock);
        assertEquals(SessionStatus.COMPLETED, s.status());
        assertEquals(runner, s.runner().orElseThrow());
        assertEquals(call, s.callId().orElseThrow());
        assertEquals("vi123", s.recording().orElseThrow().videoId());
        assertEquals(evaluation, s.evaluation().orElseThrow());
        assertEquals(EndReason.TIME_BUDGET_SPENT, s.endReason().orElseThrow());
        assertEquals(Instant.parse("2026-11-22T10:25:16Z"), s.endedAt().orElseThrow());
    }

    @Test
    void a_browser_reload_reconnects_an_active_session_with_a_new_call() {
        InterviewSession s = in(SessionStatus.ACTIVE);
        Instant firstConnect = s.connectedAt().orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        s.callConnected(new RealtimeCallId("rtc_2"), clock);
        assertEquals("rtc_2", s.callId().orElseThrow().value());
        assertEquals(firstConnect, s.connectedAt().orElseThrow(), "the time budget keeps counting from the first call");
    }

    @Test
    void a_failed_session_keeps_its_reason() {
        InterviewSession s = in(SessionStatus.ACTIVE);
        s.fail("runner process exited", clock);
        assertEquals("runner process exited", s.failureReason().orElseThrow());
        assertTrue(s.status().isTerminal());
    }

    static Stream<Arguments> everyStateAndAction() {
        List<Arguments> all = new ArrayList<>();
        for (SessionStatus status : SessionStatus.values()) {
            for (SessionAction action : SessionAction.values()) {
                all.add(Arguments.of(status, action));
            }
        }
        return all.stream();
    }

    /** The table: which (state, action) pairs are legal. Anything not listed must be refused. */
    private static final Map<SessionStatus, EnumSet<SessionAction>> LEGAL = Map.of(
            SessionStatus.CREATED, EnumSet.of(SessionAction.PROVISION_RUNNER, SessionAction.FAIL, SessionAction.EXPIRE,
                    SessionAction.CANCEL),
            SessionStatus.PROVISIONING, EnumSet.of(SessionAction.MARK_RUNNER_READY, SessionAction.FAIL,
                    SessionAction.EXPIRE, SessionAction.CANCEL),
            SessionStatus.READY, EnumSet.of(SessionAction.CONNECT_CALL, SessionAction.FAIL, SessionAction.EXPIRE,
                    SessionAction.CANCEL, SessionAction.REPLACE_RUNNER),
            SessionStatus.ACTIVE, EnumSet.of(SessionAction.CONNECT_CALL, SessionAction.END, SessionAction.FAIL,
                    SessionAction.EXPIRE, SessionAction.CANCEL, SessionAction.REPLACE_RUNNER),
            SessionStatus.ENDING, EnumSet.of(SessionAction.COMPLETE, SessionAction.FAIL, SessionAction.EXPIRE,
                    SessionAction.ATTACH_EVALUATION),
            SessionStatus.COMPLETED, EnumSet.of(SessionAction.ATTACH_EVALUATION),
            SessionStatus.FAILED, EnumSet.noneOf(SessionAction.class),
            SessionStatus.EXPIRED, EnumSet.noneOf(SessionAction.class),
            SessionStatus.CANCELLED, EnumSet.noneOf(SessionAction.class));

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("everyStateAndAction")
    void every_action_in_every_state_is_allowed_or_refused_by_the_table(SessionStatus status, SessionAction action) {
        InterviewSession s = in(status);
        if (LEGAL.get(status).contains(action)) {
            perform.get(action).accept(s, clock);
            assertEquals(action.targetFrom(status), s.status());
        } else {
            Instant before = s.updatedAt();
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                    () -> perform.get(action).accept(s, clock));
            assertEquals(status, e.state());
            assertEquals(action, e.action());
            assertEquals(status, s.status(), "a refused action changes nothing");
            assertEquals(before, s.updatedAt());
            assertEquals("session.illegal_transition", e.code());
            assertEquals(ErrorKind.CONFLICT, e.kind());
            assertTrue(e.getMessage().contains(status.name()) && e.getMessage().contains(action.words()),
                    e.getMessage());
        }
    }

    @Test
    void transcripts_are_accepted_only_while_a_call_may_be_running() {
        for (SessionStatus status : SessionStatus.values()) {
            InterviewSession s = in(status);
            boolean accepts = EnumSet.of(SessionStatus.READY, SessionStatus.ACTIVE, SessionStatus.ENDING)
                    .contains(status);
            if (accepts) {
                s.requireAcceptsTranscript();
            } else {
                DomainException e = assertThrows(DomainException.class, s::requireAcceptsTranscript);
                assertEquals("session.not_live", e.code());
                assertEquals(ErrorKind.GONE, e.kind());
            }
        }
    }

    @Test
    void a_recording_can_be_attached_in_every_state() {
        for (SessionStatus status : SessionStatus.values()) {
            InterviewSession s = in(status);
            s.attachRecording(RecordingRef.ofVideo("vi9"), clock);
            assertEquals("vi9", s.recording().orElseThrow().videoId());
        }
    }

    @Test
    void idleness_is_measured_from_the_last_activity() {
        InterviewSession s = in(SessionStatus.READY);
        clock.advance(Duration.ofMinutes(10));
        assertFalse(s.isIdle(clock.instant(), Duration.ofMinutes(15)));
        clock.advance(Duration.ofMinutes(6));
        assertTrue(s.isIdle(clock.instant(), Duration.ofMinutes(15)));
        s.touch(clock);
        assertFalse(s.isIdle(clock.instant(), Duration.ofMinutes(15)));
    }

    @Test
    void a_snapshot_restores_the_same_session_and_rejects_a_corrupt_one() {
        InterviewSession s = in(SessionStatus.ACTIVE);
        assertEquals(s.snapshot(), InterviewSession.restore(s.snapshot()).snapshot());
        InterviewSession.Snapshot x = s.snapshot();
        assertThrows(IllegalArgumentException.class, () -> new InterviewSession.Snapshot(x.id(), x.tenant(),
                x.candidate(), x.position(), x.settings(), x.origin(), x.startedBy(), SessionStatus.ACTIVE,
                x.createdAt(), x.updatedAt(), x.lastActivityAt(), x.connectedAt(), x.endedAt(), x.runner(), null,
                x.recording(), x.evaluation(), x.endReason(), x.failureReason(), x.version()));
        assertThrows(IllegalArgumentException.class, () -> new InterviewSession.Snapshot(x.id(), x.tenant(),
                x.candidate(), x.position(), x.settings(), x.origin(), x.startedBy(), SessionStatus.FAILED,
                x.createdAt(), x.updatedAt(), x.lastActivityAt(), x.connectedAt(), x.endedAt(), x.runner(),
                x.callId(), x.recording(), x.evaluation(), x.endReason(), null, x.version()));
    }
}
