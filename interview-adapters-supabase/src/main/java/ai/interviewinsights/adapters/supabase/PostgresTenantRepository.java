package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.port.out.TenantRepository;
import java.util.Optional;

/**
 * Tenants. A system job creates or renames one; a principal can only rename its own (the policy lets admins
 * update, and nobody but service_role insert), so a principal's save is a plain update that must find its row.
 */
final class PostgresTenantRepository implements TenantRepository {

    private final ScopedTransactions db;

    PostgresTenantRepository(ScopedTransactions db) {
        this.db = db;
    }

    @Override
    public void save(AccessScope scope, Tenant tenant) {
        db.inScope(scope, handle -> {
            if (scope.isSystem()) {
                handle.createUpdate("""
                                insert into interview.tenants (id, name) values (:id, :name)
                                on conflict (id) do update set name = excluded.name""")
                        .bind("id", Rows.uuid(tenant.id().value())).bind("name", tenant.name()).execute();
                return null;
            }
            int updated = handle.createUpdate("update interview.tenants set name = :name where id = :id")
                    .bind("id", Rows.uuid(tenant.id().value())).bind("name", tenant.name()).execute();
            if (updated != 1) {
                throw SqlErrors.forbidden();
            }
            return null;
        });
    }

    @Override
    public Optional<Tenant> find(AccessScope scope, TenantId id) {
        return db.inScope(scope, handle -> handle
                .createQuery("select id, name from interview.tenants where id = :id")
                .bind("id", Rows.uuid(id.value()))
                .map((rs, ctx) -> new Tenant(new TenantId(Rows.uuid(rs, "id")), rs.getString("name")))
                .findOne());
    }
}
