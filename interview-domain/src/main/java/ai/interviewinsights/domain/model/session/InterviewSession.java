package ai.interviewinsights.domain.model.session;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.FailureReason;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.CallAudioRef;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One interview of one candidate for one position, from the moment someone asks for it until its record is final.
 *
 * <h2>The story of a session</h2>
 * A staff member starts an interview for a candidate, or a candidate opens an invite link: either way a session is
 * {@link SessionStatus#CREATED CREATED} for a position, a candidate and a set of settings, and it belongs to one
 * tenant for its whole life. The control plane then asks for a runner, an isolated process that will serve only this
 * session, and the session is {@link SessionStatus#PROVISIONING PROVISIONING}. When the runner is up its reference
 * (provider id, name, WebSocket endpoint) is recorded and the session is {@link SessionStatus#READY READY}: the
 * browser may connect.
 *
 * <p>The browser sends its SDP offer over the runner's WebSocket; the runner relays it to OpenAI with the server's
 * key and records the OpenAI call id that comes back. From then on the session is {@link SessionStatus#ACTIVE ACTIVE}:
 * the candidate talks to the AI interviewer, and the runner captures the transcript from its own sideband connection
 * to the call as well as from what the browser forwards. If the browser reloads and negotiates a new call, the
 * session stays ACTIVE with the new call id.
 *
 * <p>The interview ends when the candidate or a staff member ends it, when its time budget is spent, or when the call
 * ends on OpenAI's side. The session is then {@link SessionStatus#ENDING ENDING}: late transcript entries are still
 * accepted, the recording's URL is noted, and the evaluation is produced. When that is done the session is
 * {@link SessionStatus#COMPLETED COMPLETED} and its runner is destroyed.
 *
 * <p>Three other endings exist. A session whose runner or call breaks is {@link SessionStatus#FAILED FAILED}, with
 * the reason. A session nobody touched for too long is {@link SessionStatus#EXPIRED EXPIRED} by the reaper. A session
 * that staff call off before it ends is {@link SessionStatus#CANCELLED CANCELLED}. None of these loses the transcript
 * entries already stored: they belong to the session, not to its status.
 *
 * <h2>Rules</h2>
 * Every transition is checked against {@link SessionAction}'s table; an action in the wrong state throws
 * {@link IllegalTransitionException} naming the state and the action. Timestamps come from the {@link Clock} passed
 * to each transition, never from the system clock. A session is reconstituted from storage with
 * {@link #restore(Snapshot)} and created with {@link #start}; {@link #version()} supports optimistic locking.
 *
 * <p>Not thread-safe; a session is loaded, changed and saved within one unit of work.
 */
public final class InterviewSession {

    private final SessionId id;
    private final TenantId tenant;
    private final CandidateId candidate;
    private final PositionId position;
    private final InterviewSettings settings;
    private final SessionOrigin origin;
    private final UserId startedBy;
    private final Instant createdAt;
    private final long version;

    private SessionStatus status;
    private Instant updatedAt;
    private Instant lastActivityAt;
    private Instant connectedAt;
    private Instant endedAt;
    private RunnerRef runner;
    private RealtimeCallId callId;
    private RecordingRef recording;
    private CallAudioRef callAudio;
    private EvaluationRef evaluation;
    private EndReason endReason;
    private String failureReason;

    private InterviewSession(Snapshot s) {
        this.id = s.id;
        this.tenant = s.tenant;
        this.candidate = s.candidate;
        this.position = s.position;
        this.settings = s.settings;
        this.origin = s.origin;
        this.startedBy = s.startedBy;
        this.createdAt = s.createdAt;
        this.version = s.version;
        this.status = s.status;
        this.updatedAt = s.updatedAt;
        this.lastActivityAt = s.lastActivityAt;
        this.connectedAt = s.connectedAt;
        this.endedAt = s.endedAt;
        this.runner = s.runner;
        this.callId = s.callId;
        this.recording = s.recording;
        this.callAudio = s.callAudio;
        this.evaluation = s.evaluation;
        this.endReason = s.endReason;
        this.failureReason = s.failureReason;
    }

    /** A new session, {@link SessionStatus#CREATED}. */
    public static InterviewSession start(SessionId id, TenantId tenant, CandidateId candidate, PositionId position,
                                         InterviewSettings settings, SessionOrigin origin, UserId startedBy,
                                         Clock clock) {
        Instant now = clock.instant();
        return new InterviewSession(new Snapshot(id, tenant, candidate, position, settings, origin, startedBy,
                SessionStatus.CREATED, now, now, now, null, null, null, null, null, null, null, null, 0));
    }

    /** A session as it was stored. */
    public static InterviewSession restore(Snapshot snapshot) {
        return new InterviewSession(snapshot);
    }

    // ---- transitions -------------------------------------------------------------------------------------------

    /** CREATED -> PROVISIONING: a runner has been asked for. */
    public void beginProvisioning(Clock clock) {
        transition(SessionAction.PROVISION_RUNNER, clock);
    }

    /** PROVISIONING -> READY: the runner is up; the browser may connect to it. */
    public void runnerReady(RunnerRef runnerRef, Clock clock) {
        Objects.requireNonNull(runnerRef, "runnerRef");
        transition(SessionAction.MARK_RUNNER_READY, clock);
        this.runner = runnerRef;
    }

    /**
     * READY or ACTIVE, unchanged: the session's runner is gone (its control plane restarted, its machine died) and a
     * fresh one takes over, carrying on after the transcript stored so far.
     */
    public void runnerReplaced(RunnerRef runnerRef, Clock clock) {
        Objects.requireNonNull(runnerRef, "runnerRef");
        transition(SessionAction.REPLACE_RUNNER, clock);
        this.runner = runnerRef;
    }

    /** READY or ACTIVE -> ACTIVE: OpenAI accepted the relayed offer (again, after a browser reload). */
    public void callConnected(RealtimeCallId call, Clock clock) {
        Objects.requireNonNull(call, "call");
        transition(SessionAction.CONNECT_CALL, clock);
        this.callId = call;
        if (connectedAt == null) {
            connectedAt = updatedAt;
        }
    }

    /** ACTIVE -> ENDING: the interview is over; the transcript is being finished and evaluated. */
    public void beginEnding(EndReason reason, Clock clock) {
        Objects.requireNonNull(reason, "reason");
        transition(SessionAction.END, clock);
        this.endReason = reason;
    }

    /** ENDING -> COMPLETED. */
    public void complete(Clock clock) {
        transition(SessionAction.COMPLETE, clock);
        this.endedAt = updatedAt;
    }

    /** Any non-terminal state -> FAILED, with the reason kept for the report. */
    public void fail(String reason, Clock clock) {
        String checked = FailureReason.require(reason);
        transition(SessionAction.FAIL, clock);
        this.failureReason = checked;
        this.endedAt = updatedAt;
    }

    /** A live or never-started session nobody touched for too long -> EXPIRED. */
    public void expire(Clock clock) {
        transition(SessionAction.EXPIRE, clock);
        this.endedAt = updatedAt;
    }

    /** Called off by staff before it ended -> CANCELLED. */
    public void cancel(Clock clock) {
        transition(SessionAction.CANCEL, clock);
        this.endedAt = updatedAt;
    }

    /** Records where the video is. Allowed in every state: a recording, once it exists, is never discarded. */
    public void attachRecording(RecordingRef ref, Clock clock) {
        Objects.requireNonNull(ref, "ref");
        this.recording = ref;
        this.updatedAt = clock.instant();
    }

    /**
     * Records where the proxied call's own audio goes (a proxy runner's server-side recording), or that it is now
     * uploaded. Allowed in every state: the runner uploads after it reported the end, often once the session is
     * already COMPLETED.
     */
    public void attachCallAudio(CallAudioRef ref, Clock clock) {
        Objects.requireNonNull(ref, "ref");
        this.callAudio = ref;
        this.updatedAt = clock.instant();
    }

    /** Records the evaluation; only while ENDING or once COMPLETED. */
    public void attachEvaluation(EvaluationRef ref, Clock clock) {
        Objects.requireNonNull(ref, "ref");
        transition(SessionAction.ATTACH_EVALUATION, clock);
        this.evaluation = ref;
    }

    /** Notes activity (a message from the browser or the runner) so the reaper leaves a busy session alone. */
    public void touch(Clock clock) {
        if (!status.isTerminal()) {
            this.lastActivityAt = clock.instant();
        }
    }

    private void transition(SessionAction action, Clock clock) {
        if (!action.allowedFrom(status)) {
            throw new IllegalTransitionException(status, action);
        }
        Instant now = clock.instant();
        this.status = action.targetFrom(status);
        this.updatedAt = now;
        this.lastActivityAt = now;
    }

    // ---- questions ---------------------------------------------------------------------------------------------

    /** Whether the session has had no activity since {@code idleFor} before {@code now}. */
    public boolean isIdle(Instant now, Duration idleFor) {
        return lastActivityAt.plus(idleFor).isBefore(now);
    }

    /** When the interview's time budget runs out, if the call has connected. */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(connectedAt).map(t -> t.plus(settings.maxDuration()));
    }

    /**
     * Throws unless transcript entries may be appended now.
     *
     * @throws DomainException {@code session.not_live} (GONE) once the session is over
     */
    public void requireAcceptsTranscript() {
        if (!status.acceptsTranscript()) {
            throw DomainException.gone("session.not_live",
                    "the session is " + status + " and no longer accepts transcript entries");
        }
    }

    public SessionId id() {
        return id;
    }

    public TenantId tenant() {
        return tenant;
    }

    public CandidateId candidate() {
        return candidate;
    }

    public PositionId position() {
        return position;
    }

    public InterviewSettings settings() {
        return settings;
    }

    public SessionOrigin origin() {
        return origin;
    }

    public UserId startedBy() {
        return startedBy;
    }

    public SessionStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant lastActivityAt() {
        return lastActivityAt;
    }

    public Optional<Instant> connectedAt() {
        return Optional.ofNullable(connectedAt);
    }

    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    public Optional<RunnerRef> runner() {
        return Optional.ofNullable(runner);
    }

    public Optional<RealtimeCallId> callId() {
        return Optional.ofNullable(callId);
    }

    public Optional<RecordingRef> recording() {
        return Optional.ofNullable(recording);
    }

    /** The proxied call's own audio (server-side recording), if a proxy runner was granted an upload for it. */
    public Optional<CallAudioRef> callAudio() {
        return Optional.ofNullable(callAudio);
    }

    /**
     * Every video the recording provider holds for this session: the browser's recording and the call's own audio.
     * What erasure, retention and cancellation delete.
     */
    public java.util.List<VideoId> videos() {
        java.util.List<VideoId> videos = new java.util.ArrayList<>(2);
        recording().flatMap(RecordingRef::video).ifPresent(videos::add);
        callAudio().map(CallAudioRef::videoId).filter(v -> !videos.contains(v)).ifPresent(videos::add);
        return java.util.List.copyOf(videos);
    }

    public Optional<EvaluationRef> evaluation() {
        return Optional.ofNullable(evaluation);
    }

    public Optional<EndReason> endReason() {
        return Optional.ofNullable(endReason);
    }

    public Optional<String> failureReason() {
        return Optional.ofNullable(failureReason);
    }

    /** The version this instance was loaded at (0 for a session never saved). */
    public long version() {
        return version;
    }

    public Snapshot snapshot() {
        return new Snapshot(id, tenant, candidate, position, settings, origin, startedBy, status, createdAt,
                updatedAt, lastActivityAt, connectedAt, endedAt, runner, callId, recording, evaluation, endReason,
                failureReason, version, callAudio);
    }

    /** The same session as saved at {@code newVersion}; repositories return this from a save. */
    public InterviewSession savedAt(long newVersion) {
        Snapshot s = snapshot();
        return restore(new Snapshot(s.id, s.tenant, s.candidate, s.position, s.settings, s.origin, s.startedBy,
                s.status, s.createdAt, s.updatedAt, s.lastActivityAt, s.connectedAt, s.endedAt, s.runner, s.callId,
                s.recording, s.evaluation, s.endReason, s.failureReason, newVersion, s.callAudio));
    }

    @Override
    public String toString() {
        return "InterviewSession[" + id + " of " + tenant + ", " + status + ", v" + version + "]";
    }

    /**
     * Every field of a session, for repositories to store and restore. The invariants a stored session must satisfy
     * are checked here, so a corrupted row is caught when it is read rather than when it is acted on.
     */
    public record Snapshot(SessionId id, TenantId tenant, CandidateId candidate, PositionId position,
                           InterviewSettings settings, SessionOrigin origin, UserId startedBy, SessionStatus status,
                           Instant createdAt, Instant updatedAt, Instant lastActivityAt, Instant connectedAt,
                           Instant endedAt, RunnerRef runner, RealtimeCallId callId, RecordingRef recording,
                           EvaluationRef evaluation, EndReason endReason, String failureReason, long version,
                           CallAudioRef callAudio) {

        /** A session without a call audio (every session before a proxy runner asks to upload one). */
        public Snapshot(SessionId id, TenantId tenant, CandidateId candidate, PositionId position,
                        InterviewSettings settings, SessionOrigin origin, UserId startedBy, SessionStatus status,
                        Instant createdAt, Instant updatedAt, Instant lastActivityAt, Instant connectedAt,
                        Instant endedAt, RunnerRef runner, RealtimeCallId callId, RecordingRef recording,
                        EvaluationRef evaluation, EndReason endReason, String failureReason, long version) {
            this(id, tenant, candidate, position, settings, origin, startedBy, status, createdAt, updatedAt,
                    lastActivityAt, connectedAt, endedAt, runner, callId, recording, evaluation, endReason,
                    failureReason, version, null);
        }

        public Snapshot {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(startedBy, "startedBy");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(updatedAt, "updatedAt");
            Objects.requireNonNull(lastActivityAt, "lastActivityAt");
            if (version < 0) {
                throw new IllegalArgumentException("version must not be negative");
            }
            if (status == SessionStatus.FAILED && failureReason == null) {
                throw new IllegalArgumentException("a FAILED session records why");
            }
            boolean needsRunner = status == SessionStatus.READY || status == SessionStatus.ACTIVE;
            if (needsRunner && runner == null) {
                throw new IllegalArgumentException("a " + status + " session has a runner");
            }
            if (status == SessionStatus.ACTIVE && callId == null) {
                throw new IllegalArgumentException("an ACTIVE session has a call id");
            }
        }
    }
}
