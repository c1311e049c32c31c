package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.contract.RunnerLeasesContract;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.RepositorySet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The domain's contract, held against the real table on a real PostgreSQL (V22); and the table is service-only: a
 * tenant's principal, even an admin, can neither read nor change a lease.
 */
class PostgresRunnerLeasesTest extends RunnerLeasesContract {

    @Override
    protected RepositorySet repositories() {
        return TestDatabase.repositories();
    }

    @Override
    protected RunnerLeases leases() {
        return TestDatabase.store().runnerLeases();
    }

    @Test
    void a_tenant_principal_can_neither_read_nor_change_a_lease() {
        var tenant = newTenant();
        for (AccessScope hostile : List.of(AccessScope.of(Fixtures.admin(tenant)),
                AccessScope.of(Fixtures.candidatePrincipal(tenant, newSession(tenant).id())))) {
            for (String sql : List.of("select count(*) from interview.runner_leases",
                    "delete from interview.runner_leases",
                    "update interview.runner_leases set expires_at = now() + interval '1 day'",
                    "insert into interview.runner_leases (session_id, tenant_id, runner_id, runner_name,"
                            + " runner_endpoint, holder, renewed_at, expires_at) values (gen_random_uuid(),"
                            + " gen_random_uuid(), '1', 'x', 'ws://evil.example/ws', 'me', now(), now())")) {
                assertTrue(RawSql.attempt(hostile, sql).refused(), sql);
            }
        }
    }
}
