package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteStatus;
import ai.interviewinsights.domain.port.out.InviteRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

/** Invites, stored with the hash of their token only; visible to the tenant's staff and to system jobs. */
final class PostgresInviteRepository implements InviteRepository {

    private static final String COLUMNS = "id, tenant_id, candidate_id, position_id, " + Rows.SETTINGS_COLUMNS
            + ", token_hash, status, created_at, expires_at, created_by, session_id, redeemed_at";

    private static final RowMapper<Invite> INVITE = (rs, ctx) -> {
        UUID session = Rows.uuid(rs, "session_id");
        return new Invite(new InviteId(Rows.uuid(rs, "id")), new TenantId(Rows.uuid(rs, "tenant_id")),
                new CandidateId(Rows.uuid(rs, "candidate_id")), new PositionId(Rows.uuid(rs, "position_id")),
                Rows.settings(rs), rs.getString("token_hash"), Rows.enumOf(InviteStatus.class, rs.getString("status")),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"),
                new UserId(Rows.uuid(rs, "created_by")), session == null ? null : new SessionId(session),
                Rows.instant(rs, "redeemed_at"));
    };

    private final ScopedTransactions db;

    PostgresInviteRepository(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public void save(AccessScope scope, Invite invite) {
        db.inScope(scope, handle -> {
            // What an invite's life changes: its status, its session and redemption time, its expiry.
            Update upsert = handle.createUpdate("insert into interview.invites (" + COLUMNS + ") values (:id,"
                    + " :tenant_id, :candidate_id, :position_id, " + Rows.SETTINGS_VALUES + ", :token_hash, :status,"
                    + " :created_at, :expires_at, :created_by, :session_id, :redeemed_at)"
                    + " on conflict (id) do update set status = excluded.status, session_id = excluded.session_id,"
                    + " redeemed_at = excluded.redeemed_at, expires_at = excluded.expires_at"
                    + " where invites.tenant_id = excluded.tenant_id");
            Rows.bindSettings(upsert, invite.settings())
                    .bind("id", Rows.uuid(invite.id().value()))
                    .bind("tenant_id", Rows.uuid(invite.tenant().value()))
                    .bind("candidate_id", Rows.uuid(invite.candidate().value()))
                    .bind("position_id", Rows.uuid(invite.position().value()))
                    .bind("token_hash", invite.tokenHash())
                    .bind("status", Rows.name(invite.status()))
                    .bind("created_at", Rows.timestamp(invite.createdAt()))
                    .bind("expires_at", Rows.timestamp(invite.expiresAt()))
                    .bind("created_by", Rows.uuid(invite.createdBy().value()))
                    .bind("session_id", Rows.uuid(invite.redeemedSession().map(SessionId::value).orElse(null)))
                    .bind("redeemed_at", Rows.timestamp(invite.redeemedAt()));
            if (upsert.execute() != 1) {
                throw SqlErrors.forbidden(); // a system job tried to move another tenant's invite
            }
            return null;
        });
    }

    /** The one conditional update that makes redemption exclusive (see the port). */
    @Override
    public boolean claim(AccessScope scope, InviteId id, java.time.Instant at, java.time.Instant staleBefore) {
        return db.inScope(scope, handle -> handle.createUpdate("update interview.invites set redeemed_at = :at"
                        + " where id = :id and status = 'pending' and (redeemed_at is null or redeemed_at < :stale)")
                .bind("at", Rows.timestamp(at))
                .bind("stale", Rows.timestamp(staleBefore))
                .bind("id", Rows.uuid(id.value()))
                .execute() == 1);
    }

    @Override
    public Optional<Invite> find(AccessScope scope, InviteId id) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.invites where id = :id")
                .bind("id", Rows.uuid(id.value()))
                .map(INVITE).findOne());
    }

    @Override
    public Optional<Invite> findByTokenHash(AccessScope scope, String tokenHash) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.invites where token_hash = :hash")
                .bind("hash", tokenHash)
                .map(INVITE).findOne());
    }

    @Override
    public List<Invite> list(AccessScope scope) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.invites"
                        + " where (cast(:tenant_id as uuid) is null or tenant_id = :tenant_id)"
                        + " order by created_at desc, id")
                .bind("tenant_id", Rows.uuid(Scopes.tenantOf(scope)))
                .map(INVITE).list());
    }
}
