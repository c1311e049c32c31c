package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerLease;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runner leases in {@code interview.runner_leases} (V22, ADR 0018), one row per session, service-only. A grant is
 * one statement: an insert that, on conflict, takes the row over only where it still names the runner being
 * replaced ({@code on conflict ... do update ... where}); concurrent takeovers queue on the row lock, so exactly one
 * of them finds the old runner there. A renewal touches only rows that name the holder and its runner.
 */
final class PostgresRunnerLeases implements RunnerLeases {

    private static final AccessScope SYSTEM = AccessScope.system("runner-leases");

    private final ScopedTransactions db;

    PostgresRunnerLeases(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public boolean grant(RunnerLease lease, RunnerId replacing) {
        return db.inScope(SYSTEM, handle -> handle.createUpdate("""
                        insert into interview.runner_leases as l (session_id, tenant_id, runner_id, runner_name,
                            runner_endpoint, holder, renewed_at, expires_at)
                        values (:session_id, :tenant_id, :runner_id, :runner_name, :runner_endpoint, :holder,
                            :renewed_at, :expires_at)
                        on conflict (session_id) do update set
                            tenant_id = excluded.tenant_id, runner_id = excluded.runner_id,
                            runner_name = excluded.runner_name, runner_endpoint = excluded.runner_endpoint,
                            holder = excluded.holder, renewed_at = excluded.renewed_at,
                            expires_at = excluded.expires_at
                        where l.runner_id = :replacing""")
                .bind("session_id", Rows.uuid(lease.session().value()))
                .bind("tenant_id", Rows.uuid(lease.tenant().value()))
                .bind("runner_id", lease.runner().runnerId().value())
                .bind("runner_name", lease.runner().name().value())
                .bind("runner_endpoint", lease.runner().endpoint().toString())
                .bind("holder", lease.holder().value())
                .bind("renewed_at", Rows.timestamp(lease.renewedAt()))
                .bind("expires_at", Rows.timestamp(lease.expiresAt()))
                .bind("replacing", replacing == null ? null : replacing.value())
                .execute() == 1);
    }

    @Override
    public Optional<RunnerLease> find(SessionId session) {
        return db.inScope(SYSTEM, handle -> handle.createQuery(
                        "select * from interview.runner_leases where session_id = :session_id")
                .bind("session_id", Rows.uuid(session.value()))
                .map((rs, ctx) -> lease(rs)).findOne());
    }

    @Override
    public List<LiveRunner> renew(LeaseHolder holder, List<LiveRunner> running, Instant now, Instant until) {
        List<LiveRunner> candidates = running.stream().filter(r -> r.session() != null).toList();
        Set<String> renewed = new HashSet<>();
        if (!candidates.isEmpty()) {
            UUID[] sessions = candidates.stream().map(r -> r.session().value()).toArray(UUID[]::new);
            String[] runners = candidates.stream().map(r -> r.runnerId().value()).toArray(String[]::new);
            renewed.addAll(db.inScope(SYSTEM, handle -> handle.createQuery("""
                            update interview.runner_leases l set renewed_at = :now, expires_at = :until
                            from unnest(:sessions, :runners) as mine(session_id, runner_id)
                            where l.session_id = mine.session_id and l.runner_id = mine.runner_id
                              and l.holder = :holder
                            returning l.session_id::text || ' ' || l.runner_id""")
                    .bind("now", Rows.timestamp(now)).bind("until", Rows.timestamp(until))
                    .bind("sessions", Rows.array("uuid", sessions)).bind("runners", Rows.array("text", runners))
                    .bind("holder", holder.value())
                    .mapTo(String.class).list()));
        }
        List<LiveRunner> lost = new ArrayList<>();
        for (LiveRunner runner : running) {
            if (runner.session() == null
                    || !renewed.contains(runner.session().value() + " " + runner.runnerId().value())) {
                lost.add(runner);
            }
        }
        return lost;
    }

    @Override
    public void release(SessionId session, RunnerId runner) {
        db.inScope(SYSTEM, handle -> handle.createUpdate(
                        "delete from interview.runner_leases where session_id = :session_id and runner_id = :runner_id")
                .bind("session_id", Rows.uuid(session.value())).bind("runner_id", runner.value()).execute());
    }

    @Override
    public int releaseAll(LeaseHolder holder) {
        return db.inScope(SYSTEM, handle -> handle.createUpdate(
                        "delete from interview.runner_leases where holder = :holder")
                .bind("holder", holder.value()).execute());
    }

    private static RunnerLease lease(ResultSet rs) throws SQLException {
        return new RunnerLease(new SessionId(Rows.uuid(rs, "session_id")), new TenantId(Rows.uuid(rs, "tenant_id")),
                new RunnerRef(new RunnerId(rs.getString("runner_id")), new RunnerName(rs.getString("runner_name")),
                        URI.create(rs.getString("runner_endpoint"))),
                new LeaseHolder(rs.getString("holder")), Rows.instant(rs, "renewed_at"),
                Rows.instant(rs, "expires_at"));
    }
}
