package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.erasure.ErasedRecords;
import ai.interviewinsights.domain.model.erasure.RetentionDue;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Crypto-shredding, then deletion. The candidate's key row goes first, in the same transaction as their rows: once
 * it commits, the ciphertexts in every copy of the data (a dump, a backup of the interview schema) are noise, because
 * their key lived only in {@code interview_keys}, which backups leave out (docs/security.md). Under an admin's
 * scope the delete policies of V20 hold the line again: an interviewer, or an admin of another tenant, deletes
 * nothing.
 */
final class PostgresPersonalDataEraser implements PersonalDataEraser {

    private final ScopedTransactions db;
    private final KeyVault keys;

    PostgresPersonalDataEraser(ScopedTransactions db, KeyVault keys) {
        this.db = db;
        this.keys = keys;
    }

    @Override
    public List<InterviewSession> sessionsOf(AccessScope scope, TenantId tenant, CandidateId candidate) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + PostgresSessionRepository.COLUMNS + " from interview.interview_sessions"
                        + " where tenant_id = :tenant and candidate_id = :candidate order by created_at, id")
                .bind("tenant", Rows.uuid(tenant.value()))
                .bind("candidate", Rows.uuid(candidate.value()))
                .map(PostgresSessionRepository.SESSION).list());
    }

    @Override
    public ErasedRecords erase(AccessScope scope, TenantId tenant, CandidateId candidate) {
        UUID t = tenant.value();
        UUID c = candidate.value();
        ErasedRecords erased = db.inScope(scope, handle -> {
            boolean visible = handle.createQuery("select count(*) from interview.candidates"
                            + " where tenant_id = :t and id = :c")
                    .bind("t", Rows.uuid(t)).bind("c", Rows.uuid(c)).mapTo(Long.class).one() > 0;
            int keysDestroyed = handle.createUpdate("delete from interview_keys.candidate_keys"
                            + " where tenant_id = :t and candidate_id = :c")
                    .bind("t", Rows.uuid(t)).bind("c", Rows.uuid(c)).execute();
            List<UUID> sessions = handle.createQuery("select id from interview.interview_sessions"
                            + " where tenant_id = :t and candidate_id = :c")
                    .bind("t", Rows.uuid(t)).bind("c", Rows.uuid(c))
                    .map((rs, ctx) -> Rows.uuid(rs, "id")).list();
            int entries = handle.createUpdate("delete from interview.transcript_entries"
                            + " where tenant_id = :t and session_id = any(:sessions)")
                    .bind("t", Rows.uuid(t)).bind("sessions", Rows.uuidArray(sessions)).execute();
            int evaluations = handle.createUpdate("delete from interview.evaluations"
                            + " where tenant_id = :t and session_id = any(:sessions)")
                    .bind("t", Rows.uuid(t)).bind("sessions", Rows.uuidArray(sessions)).execute();
            // Consent rows are append-only except inside an erasure, which marks its own transaction (V21).
            handle.createQuery("select set_config('interview.erasing', 'on', true)").mapTo(String.class).one();
            handle.createUpdate("delete from interview.consents where tenant_id = :t and session_id = any(:sessions)")
                    .bind("t", Rows.uuid(t)).bind("sessions", Rows.uuidArray(sessions)).execute();
            int invites = handle.createUpdate("delete from interview.invites"
                            + " where tenant_id = :t and (candidate_id = :c or session_id = any(:sessions))")
                    .bind("t", Rows.uuid(t)).bind("c", Rows.uuid(c))
                    .bind("sessions", Rows.uuidArray(sessions)).execute();
            int sessionRows = handle.createUpdate("delete from interview.interview_sessions"
                            + " where tenant_id = :t and candidate_id = :c")
                    .bind("t", Rows.uuid(t)).bind("c", Rows.uuid(c)).execute();
            int candidates = handle.createUpdate("delete from interview.candidates where tenant_id = :t and id = :c")
                    .bind("t", Rows.uuid(t)).bind("c", Rows.uuid(c)).execute();
            if (visible && candidates == 0) {
                // Seen but not deleted: the policies refused (not an admin of this tenant). Roll everything back.
                throw SqlErrors.forbidden();
            }
            return new ErasedRecords(candidates, sessionRows, entries, evaluations, invites, keysDestroyed);
        });
        keys.forgetCandidate(c);
        return erased;
    }

    @Override
    public List<RetentionDue> dueForRetention(AccessScope scope, Instant now, int limit) {
        return db.inScope(scope, handle -> handle.createQuery("""
                        select s.tenant_id, s.candidate_id, max(coalesce(s.ended_at, s.updated_at)) as last_ended
                        from interview.interview_sessions s
                        join interview.tenants t on t.id = s.tenant_id
                        where t.retention_days is not null
                        group by s.tenant_id, s.candidate_id, t.retention_days
                        having bool_and(s.status in ('completed', 'failed', 'expired', 'cancelled'))
                           and max(coalesce(s.ended_at, s.updated_at))
                               < cast(:now as timestamptz) - make_interval(days => t.retention_days)
                        order by last_ended, s.candidate_id
                        limit :limit""")
                .bind("now", Rows.timestamp(now))
                .bind("limit", limit)
                .map((rs, ctx) -> new RetentionDue(new TenantId(Rows.uuid(rs, "tenant_id")),
                        new CandidateId(Rows.uuid(rs, "candidate_id"))))
                .list());
    }

    @Override
    public void setRetentionDays(AccessScope scope, TenantId tenant, Optional<Integer> days) {
        db.inScope(scope, handle -> {
            int updated = handle.createUpdate("update interview.tenants set retention_days = :days where id = :t")
                    .bind("days", days.orElse(null))
                    .bind("t", Rows.uuid(tenant.value())).execute();
            if (updated != 1) {
                throw SqlErrors.forbidden();
            }
            return null;
        });
    }

    @Override
    public Optional<Integer> retentionDays(AccessScope scope, TenantId tenant) {
        return db.inScope(scope, handle -> handle
                .createQuery("select retention_days from interview.tenants where id = :t")
                .bind("t", Rows.uuid(tenant.value()))
                .map((rs, ctx) -> {
                    int days = rs.getInt(1);
                    return rs.wasNull() ? null : days;
                })
                .findOne().flatMap(Optional::ofNullable));
    }

    @Override
    public List<CandidateId> candidatesOf(AccessScope scope, TenantId tenant) {
        return db.inScope(scope, handle -> handle
                .createQuery("select id from interview.candidates where tenant_id = :t order by id")
                .bind("t", Rows.uuid(tenant.value()))
                .map((rs, ctx) -> new CandidateId(Rows.uuid(rs, "id"))).list());
    }

    @Override
    public int destroyTenantKey(AccessScope scope, TenantId tenant) {
        int destroyed = db.inScope(scope, handle -> handle
                .createUpdate("delete from interview_keys.tenant_keys where tenant_id = :t")
                .bind("t", Rows.uuid(tenant.value())).execute());
        keys.forgetTenant(tenant.value());
        return destroyed;
    }
}
