package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** Candidates; the policies let staff write them and session-bound principals read only their own candidate. */
final class PostgresCandidateRepository implements CandidateRepository {

    private static final RowMapper<Candidate> CANDIDATE = (rs, ctx) -> new Candidate(
            new CandidateId(Rows.uuid(rs, "id")), new TenantId(Rows.uuid(rs, "tenant_id")), rs.getString("name"),
            rs.getString("email"));

    private final ScopedTransactions db;

    PostgresCandidateRepository(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public void save(AccessScope scope, Candidate candidate) {
        db.inScope(scope, handle -> {
            // An existing row of another tenant is not taken over: for a principal the update policy refuses it
            // (an error), for a system job the WHERE leaves it alone and nothing is written.
            int written = handle.createUpdate("""
                            insert into interview.candidates (id, tenant_id, name, email)
                            values (:id, :tenant_id, :name, :email)
                            on conflict (id) do update
                                set name = excluded.name, email = excluded.email, updated_at = now()
                                where candidates.tenant_id = excluded.tenant_id""")
                    .bind("id", Rows.uuid(candidate.id().value()))
                    .bind("tenant_id", Rows.uuid(candidate.tenant().value()))
                    .bind("name", candidate.name())
                    .bind("email", candidate.email())
                    .execute();
            if (written != 1) {
                throw SqlErrors.forbidden();
            }
            return null;
        });
    }

    @Override
    public Optional<Candidate> find(AccessScope scope, CandidateId id) {
        return db.inScope(scope, handle -> handle
                .createQuery("select id, tenant_id, name, email from interview.candidates where id = :id")
                .bind("id", Rows.uuid(id.value()))
                .map(CANDIDATE).findOne());
    }

    @Override
    public List<Candidate> list(AccessScope scope) {
        return db.inScope(scope, handle -> handle
                .createQuery("""
                        select id, tenant_id, name, email from interview.candidates
                        where (cast(:tenant_id as uuid) is null or tenant_id = :tenant_id)
                        order by name collate "C", id""")
                .bind("tenant_id", Rows.uuid(Scopes.tenantOf(scope)))
                .map(CANDIDATE).list());
    }
}
