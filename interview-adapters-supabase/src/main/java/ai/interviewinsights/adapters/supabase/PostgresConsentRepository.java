package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import java.util.Optional;

/**
 * Consent records (append-only, one per session) and each tenant's notice wording (migration V4). Row-level
 * security decides who sees and writes which rows; a refused write surfaces as {@code forbidden}.
 */
final class PostgresConsentRepository implements ConsentRepository {

    private final ScopedTransactions db;

    PostgresConsentRepository(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public boolean record(AccessScope scope, ConsentRecord consent) {
        return db.inScope(scope, handle -> handle.createUpdate("""
                        insert into interview.consents (id, tenant_id, session_id, notice_version, notice_text,
                            ai_evaluation, recording, consented_at, actor)
                        values (:id, :tenant_id, :session_id, :notice_version, :notice_text, :ai_evaluation,
                            :recording, :consented_at, :actor)
                        on conflict (session_id) do nothing""")
                .bind("id", Rows.uuid(consent.id()))
                .bind("tenant_id", Rows.uuid(consent.tenant().value()))
                .bind("session_id", Rows.uuid(consent.session().value()))
                .bind("notice_version", consent.noticeVersion())
                .bind("notice_text", consent.noticeText())
                .bind("ai_evaluation", consent.aiEvaluation())
                .bind("recording", consent.recording())
                .bind("consented_at", Rows.timestamp(consent.consentedAt()))
                .bind("actor", consent.actor())
                .execute() == 1);
    }

    @Override
    public Optional<ConsentRecord> find(AccessScope scope, SessionId session) {
        return db.inScope(scope, handle -> handle.createQuery("""
                        select id, tenant_id, session_id, notice_version, notice_text, ai_evaluation, recording,
                               consented_at, actor
                        from interview.consents where session_id = :session_id""")
                .bind("session_id", Rows.uuid(session.value()))
                .map((rs, ctx) -> new ConsentRecord(Rows.uuid(rs, "id"), new TenantId(Rows.uuid(rs, "tenant_id")),
                        new SessionId(Rows.uuid(rs, "session_id")), rs.getString("notice_version"),
                        rs.getString("notice_text"), rs.getBoolean("ai_evaluation"), rs.getBoolean("recording"),
                        Rows.instant(rs, "consented_at"), rs.getString("actor")))
                .findOne());
    }

    @Override
    public Optional<ConsentNotice> notice(AccessScope scope, TenantId tenant) {
        return db.inScope(scope, handle -> handle.createQuery("""
                        select ai_notice, recording_notice from interview.consent_notices
                        where tenant_id = :tenant_id""")
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .map((rs, ctx) -> new ConsentNotice(rs.getString("ai_notice"), rs.getString("recording_notice")))
                .findOne());
    }

    @Override
    public void saveNotice(AccessScope scope, TenantId tenant, ConsentNotice notice) {
        db.inScope(scope, handle -> handle.createUpdate("""
                        insert into interview.consent_notices (tenant_id, ai_notice, recording_notice, updated_at)
                        values (:tenant_id, :ai_notice, :recording_notice, now())
                        on conflict (tenant_id) do update set ai_notice = excluded.ai_notice,
                            recording_notice = excluded.recording_notice, updated_at = now()""")
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("ai_notice", notice.aiNotice())
                .bind("recording_notice", notice.recordingNotice())
                .execute());
    }
}
