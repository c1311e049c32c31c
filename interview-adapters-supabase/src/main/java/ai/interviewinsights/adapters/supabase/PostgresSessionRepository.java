package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.CallAudioRef;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.ConcurrentUpdateException;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionQuery;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.out.SessionRepository;
import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

/**
 * Interview sessions, one row each with every field of {@link InterviewSession.Snapshot}, under optimistic locking:
 * an update names the version it was loaded at and moves it on by one; if the row has moved on meanwhile nothing is
 * written and the caller gets a {@link ConcurrentUpdateException}.
 */
final class PostgresSessionRepository implements SessionRepository {

    static final String COLUMNS = "id, tenant_id, candidate_id, position_id, " + Rows.SETTINGS_COLUMNS
            + ", origin, started_by, status, created_at, updated_at, last_activity_at, connected_at, ended_at,"
            + " runner_id, runner_name, runner_endpoint, openai_call_id, recording_video_id, recording_url,"
            + " recording_reported_at, evaluation_ref, end_reason, failure_reason, version, call_audio_video_id,"
            + " call_audio_granted_at, call_audio_uploaded_at, call_audio_failure, call_audio_url";

    static final RowMapper<InterviewSession> SESSION = (rs, ctx) -> {
        String runnerId = rs.getString("runner_id");
        RunnerRef runner = runnerId == null ? null : new RunnerRef(new RunnerId(runnerId),
                new RunnerName(rs.getString("runner_name")), URI.create(rs.getString("runner_endpoint")));
        String callId = rs.getString("openai_call_id");
        String videoId = rs.getString("recording_video_id");
        String recordingUrl = rs.getString("recording_url");
        RecordingRef recording = videoId == null && recordingUrl == null ? null
                : new RecordingRef(videoId == null ? null : new VideoId(videoId),
                        recordingUrl == null ? null : URI.create(recordingUrl),
                        Rows.instant(rs, "recording_reported_at"));
        UUID evaluation = Rows.uuid(rs, "evaluation_ref");
        String callAudioVideo = rs.getString("call_audio_video_id");
        CallAudioRef callAudio = callAudioVideo == null ? null : new CallAudioRef(new VideoId(callAudioVideo),
                Rows.instant(rs, "call_audio_granted_at"), Rows.instant(rs, "call_audio_uploaded_at"),
                rs.getString("call_audio_failure"), RecordingRef.parseOptionalUrl(rs.getString("call_audio_url")));
        return InterviewSession.restore(new InterviewSession.Snapshot(
                new SessionId(Rows.uuid(rs, "id")),
                new TenantId(Rows.uuid(rs, "tenant_id")),
                new CandidateId(Rows.uuid(rs, "candidate_id")),
                new PositionId(Rows.uuid(rs, "position_id")),
                Rows.settings(rs),
                Rows.enumOf(SessionOrigin.class, rs.getString("origin")),
                new UserId(Rows.uuid(rs, "started_by")),
                Rows.enumOf(SessionStatus.class, rs.getString("status")),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"),
                Rows.instant(rs, "last_activity_at"),
                Rows.instant(rs, "connected_at"),
                Rows.instant(rs, "ended_at"),
                runner,
                callId == null ? null : new RealtimeCallId(callId),
                recording,
                evaluation == null ? null : new EvaluationRef(evaluation),
                Rows.enumOf(EndReason.class, rs.getString("end_reason")),
                rs.getString("failure_reason"),
                rs.getLong("version"),
                callAudio));
    };

    private final ScopedTransactions db;

    PostgresSessionRepository(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public InterviewSession save(AccessScope scope, InterviewSession session) {
        InterviewSession.Snapshot s = session.snapshot();
        return db.inScope(scope, handle -> s.version() == 0 ? insert(handle, session, s) : update(handle, session, s));
    }

    private static InterviewSession insert(Handle handle, InterviewSession session, InterviewSession.Snapshot s) {
        Update insert = handle.createUpdate("insert into interview.interview_sessions (" + COLUMNS + ") values ("
                + ":id, :tenant_id, :candidate_id, :position_id, " + Rows.SETTINGS_VALUES + ", :origin, :started_by,"
                + " :status, :created_at, :updated_at, :last_activity_at, :connected_at, :ended_at, :runner_id,"
                + " :runner_name, :runner_endpoint, :openai_call_id, :recording_video_id, :recording_url,"
                + " :recording_reported_at, :evaluation_ref, :end_reason, :failure_reason, 1, :call_audio_video_id,"
                + " :call_audio_granted_at, :call_audio_uploaded_at, :call_audio_failure, :call_audio_url)");
        bindMutable(insert, s)
                .bind("candidate_id", Rows.uuid(s.candidate().value()))
                .bind("position_id", Rows.uuid(s.position().value()))
                .bind("origin", Rows.name(s.origin()))
                .bind("started_by", Rows.uuid(s.startedBy().value()))
                .bind("created_at", Rows.timestamp(s.createdAt()));
        Rows.bindSettings(insert, s.settings()).execute();
        return session.savedAt(1);
    }

    private static InterviewSession update(Handle handle, InterviewSession session, InterviewSession.Snapshot s) {
        // Identity, settings, origin and creation time never change after the insert; only the lifecycle does.
        Update update = handle.createUpdate("""
                update interview.interview_sessions set
                    status = :status, updated_at = :updated_at, last_activity_at = :last_activity_at,
                    connected_at = :connected_at, ended_at = :ended_at, runner_id = :runner_id,
                    runner_name = :runner_name, runner_endpoint = :runner_endpoint, openai_call_id = :openai_call_id,
                    recording_video_id = :recording_video_id, recording_url = :recording_url,
                    recording_reported_at = :recording_reported_at,
                    evaluation_ref = :evaluation_ref, end_reason = :end_reason, failure_reason = :failure_reason,
                    call_audio_video_id = :call_audio_video_id, call_audio_granted_at = :call_audio_granted_at,
                    call_audio_uploaded_at = :call_audio_uploaded_at, call_audio_failure = :call_audio_failure,
                    call_audio_url = :call_audio_url,
                    version = version + 1
                where id = :id and tenant_id = :tenant_id and version = :version""");
        int updated = bindMutable(update, s).bind("version", s.version()).execute();
        if (updated == 1) {
            return session.savedAt(s.version() + 1);
        }
        // Nothing was written: tell a stale copy from a row this scope may not see or change.
        Optional<Map.Entry<UUID, Long>> stored = handle.createQuery(
                        "select tenant_id, version from interview.interview_sessions where id = :id")
                .bind("id", Rows.uuid(s.id().value()))
                .map((rs, ctx) -> Map.entry(Rows.uuid(rs, "tenant_id"), rs.getLong("version")))
                .findOne();
        if (stored.isEmpty() || !stored.get().getKey().equals(s.tenant().value())
                || stored.get().getValue() == s.version()) {
            throw SqlErrors.forbidden();
        }
        throw new ConcurrentUpdateException(s.id());
    }

    private static Update bindMutable(Update statement, InterviewSession.Snapshot s) {
        Optional<RunnerRef> runner = Optional.ofNullable(s.runner());
        Optional<RecordingRef> recording = Optional.ofNullable(s.recording());
        Optional<CallAudioRef> callAudio = Optional.ofNullable(s.callAudio());
        return statement
                .bind("id", Rows.uuid(s.id().value()))
                .bind("tenant_id", Rows.uuid(s.tenant().value()))
                .bind("status", Rows.name(s.status()))
                .bind("updated_at", Rows.timestamp(s.updatedAt()))
                .bind("last_activity_at", Rows.timestamp(s.lastActivityAt()))
                .bind("connected_at", Rows.timestamp(s.connectedAt()))
                .bind("ended_at", Rows.timestamp(s.endedAt()))
                .bind("runner_id", runner.map(r -> r.runnerId().value()).orElse(null))
                .bind("runner_name", runner.map(r -> r.name().value()).orElse(null))
                .bind("runner_endpoint", runner.map(r -> r.endpoint().toString()).orElse(null))
                .bind("openai_call_id", s.callId() == null ? null : s.callId().value())
                .bind("recording_video_id", recording.flatMap(RecordingRef::video).map(VideoId::value).orElse(null))
                .bind("recording_url", recording.flatMap(RecordingRef::url).map(URI::toString).orElse(null))
                .bind("recording_reported_at", Rows.timestamp(recording.flatMap(RecordingRef::reported).orElse(null)))
                .bind("evaluation_ref", Rows.uuid(s.evaluation() == null ? null : s.evaluation().value()))
                .bind("end_reason", Rows.name(s.endReason()))
                .bind("failure_reason", s.failureReason())
                .bind("call_audio_video_id", callAudio.map(a -> a.videoId().value()).orElse(null))
                .bind("call_audio_granted_at", Rows.timestamp(callAudio.map(CallAudioRef::grantedAt).orElse(null)))
                .bind("call_audio_uploaded_at", Rows.timestamp(callAudio.map(CallAudioRef::uploadedAt).orElse(null)))
                .bind("call_audio_failure", callAudio.map(CallAudioRef::failure).orElse(null))
                .bind("call_audio_url", callAudio.flatMap(CallAudioRef::url).map(java.net.URI::toString).orElse(null));
    }

    @Override
    public Optional<InterviewSession> find(AccessScope scope, SessionId id) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.interview_sessions where id = :id")
                .bind("id", Rows.uuid(id.value()))
                .map(SESSION).findOne());
    }

    @Override
    public List<InterviewSession> listRecent(AccessScope scope, int limit) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.interview_sessions"
                        + " where (cast(:tenant_id as uuid) is null or tenant_id = :tenant_id)"
                        + " order by created_at desc, id limit :limit")
                .bind("tenant_id", Rows.uuid(Scopes.tenantOf(scope)))
                .bind("limit", limit)
                .map(SESSION).list());
    }

    @Override
    public SessionQuery.Page search(AccessScope scope, SessionQuery query) {
        // Filters and paging in SQL (decision 0019), under the scope's RLS like every read; the tenant condition is
        // repeated so the (tenant_id, ...) indexes serve it. Newest first, id as tie-break: stable across pages.
        String where = " where (cast(:tenant_id as uuid) is null or tenant_id = :tenant_id)"
                + " and (cardinality(cast(:statuses as text[])) = 0 or status = any(cast(:statuses as text[])))"
                + " and (cast(:position_id as uuid) is null or position_id = :position_id)"
                + " and (cast(:from as timestamptz) is null or created_at >= :from)"
                + " and (cast(:to as timestamptz) is null or created_at < :to)";
        String[] statuses = query.statuses().stream().map(Rows::name).sorted().toArray(String[]::new);
        org.jdbi.v3.core.argument.Argument tenant = Rows.uuid(Scopes.tenantOf(scope));
        org.jdbi.v3.core.argument.Argument position = Rows.uuid(query.positionFilter().map(PositionId::value)
                .orElse(null));
        return db.inScope(scope, handle -> {
            List<InterviewSession> items = handle.createQuery("select " + COLUMNS
                            + " from interview.interview_sessions" + where
                            + " order by created_at desc, id desc limit :limit offset :offset")
                    .bind("tenant_id", tenant).bindArray("statuses", String.class, (Object[]) statuses)
                    .bind("position_id", position)
                    .bind("from", Rows.timestamp(query.from())).bind("to", Rows.timestamp(query.to()))
                    .bind("limit", query.limit()).bind("offset", query.offset())
                    .map(SESSION).list();
            long total = items.size() < query.limit() && (query.offset() == 0 || !items.isEmpty())
                    ? query.offset() + items.size()
                    : handle.createQuery("select count(*) from interview.interview_sessions" + where)
                            .bind("tenant_id", tenant).bindArray("statuses", String.class, (Object[]) statuses)
                            .bind("position_id", position)
                            .bind("from", Rows.timestamp(query.from())).bind("to", Rows.timestamp(query.to()))
                            .mapTo(Long.class).one();
            // The count is a second statement: a row the page read may have left the filter (or been erased) since.
            return new SessionQuery.Page(items, Math.max(total, query.offset() + items.size()));
        });
    }

    @Override
    public List<InterviewSession> findIdle(AccessScope scope, Instant lastActivityBefore, int limit) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.interview_sessions"
                        + " where status in ('created', 'provisioning', 'ready', 'active', 'ending')"
                        + " and last_activity_at < :before"
                        + " and (cast(:tenant_id as uuid) is null or tenant_id = :tenant_id)"
                        + " order by last_activity_at, id limit :limit")
                .bind("before", Rows.timestamp(lastActivityBefore))
                .bind("tenant_id", Rows.uuid(Scopes.tenantOf(scope)))
                .bind("limit", limit)
                .map(SESSION).list());
    }

    @Override
    public Optional<InterviewSession> findByVideo(AccessScope scope, VideoId videoId) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.interview_sessions"
                        + " where recording_video_id = :video or call_audio_video_id = :video"
                        + " order by created_at desc limit 1")
                .bind("video", videoId.value())
                .map(SESSION).findOne());
    }

    @Override
    public Map<SessionId, SessionStatus> statuses(AccessScope scope, Collection<SessionId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<UUID> values = ids.stream().map(SessionId::value).distinct().toList();
        return db.inScope(scope, handle -> {
            Map<SessionId, SessionStatus> out = new LinkedHashMap<>();
            handle.createQuery("select id, status from interview.interview_sessions where id = any(:ids)")
                    .bind("ids", Rows.uuidArray(values))
                    .map((rs, ctx) -> Map.entry(new SessionId(Rows.uuid(rs, "id")),
                            Rows.enumOf(SessionStatus.class, rs.getString("status"))))
                    .forEach(entry -> out.put(entry.getKey(), entry.getValue()));
            return out;
        });
    }
}
