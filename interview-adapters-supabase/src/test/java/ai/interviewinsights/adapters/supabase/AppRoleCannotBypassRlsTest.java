package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.testing.Fixtures;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's own connections cannot get around row-level security: the pool's login role is no superuser,
 * owns nothing, has no BYPASSRLS and inherits no privileges, so a query that skips the role-and-claims switch
 * reaches nothing, and the switch without claims sees no rows.
 */
class AppRoleCannotBypassRlsTest {

    private final SupabaseStore store = TestDatabase.store();
    private TenantId tenant;

    @BeforeEach
    void someRows() {
        tenant = new TenantId(UUID.randomUUID());
        store.tenants().save(AccessScope.system("bypass-test"), new Tenant(tenant, "Has rows"));
        store.candidates().save(AccessScope.system("bypass-test"), Fixtures.candidate(tenant));
    }

    private <T> T rawConnection(java.util.function.Function<Handle, T> work) {
        return store.transactions().jdbi().inTransaction(handle -> work.apply(handle));
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    @Test
    void the_login_role_is_neither_superuser_nor_owner_nor_bypassrls_and_inherits_nothing() {
        Map<String, Object> me = rawConnection(handle -> handle.createQuery("""
                select current_user as name, rolsuper, rolbypassrls, rolinherit, rolcreaterole, rolcreatedb
                from pg_roles where rolname = current_user""").mapToMap().one());
        assertEquals(EmbeddedDatabase.APP_ROLE, me.get("name"));
        assertEquals(false, me.get("rolsuper"));
        assertEquals(false, me.get("rolbypassrls"));
        assertEquals(false, me.get("rolinherit"));
        assertEquals(false, me.get("rolcreaterole"));
        assertEquals(false, me.get("rolcreatedb"));
        List<String> owners = rawConnection(handle -> handle.createQuery("""
                select distinct pg_get_userbyid(relowner) from pg_class
                where relnamespace = 'interview'::regnamespace""").mapTo(String.class).list());
        assertEquals(List.of(EmbeddedDatabase.OWNER_ROLE), owners);
        List<String> memberOf = rawConnection(handle -> handle.createQuery("""
                select r.rolname || ' inherit=' || m.inherit_option from pg_auth_members m
                join pg_roles r on r.oid = m.roleid where m.member = (select oid from pg_roles where rolname = current_user)
                order by 1""").mapTo(String.class).list());
        assertEquals(List.of("authenticated inherit=false", "service_role inherit=false"), memberOf);
    }

    @Test
    void a_query_without_the_role_switch_is_refused() {
        for (String sql : List.of("select count(*) from interview.candidates", "select count(*) from interview.tenants",
                "select count(*) from interview.transcript_entries", "select count(*) from interview.audit_log")) {
            JdbiException e = assertThrows(JdbiException.class,
                    () -> rawConnection(handle -> handle.createQuery(sql).mapTo(Long.class).one()));
            assertEquals("42501", sqlState(e), sql);
        }
        JdbiException write = assertThrows(JdbiException.class, () -> rawConnection(handle -> handle.createUpdate(
                "delete from interview.candidates where tenant_id = '" + tenant + "'").execute()));
        assertEquals("42501", sqlState(write));
    }

    @Test
    void the_role_switch_without_claims_sees_no_rows() {
        long withoutClaims = rawConnection(handle -> {
            handle.execute("set local role authenticated");
            return handle.createQuery("select count(*) from interview.candidates").mapTo(Long.class).one();
        });
        assertEquals(0L, withoutClaims);
        long asSystem = RawSql.as(AccessScope.system("bypass-test"), handle -> handle.createQuery(
                "select count(*) from interview.candidates where tenant_id = :t").bind("t", tenant.value())
                .mapTo(Long.class).one());
        assertTrue(asSystem > 0, "the rows are there");
    }

    @Test
    void the_settings_do_not_outlive_their_transaction_on_a_pooled_connection() {
        List<String> seen = rawConnection(handle -> {
            ScopedTransactions.assume(handle, JwtClaims.of(AccessScope.of(Fixtures.admin(tenant))));
            return List.of(handle.createQuery("select current_user").mapTo(String.class).one(),
                    handle.createQuery("select auth.jwt() -> 'app_metadata' ->> 'tenant_id'").mapTo(String.class).one());
        });
        assertEquals(List.of("authenticated", tenant.toString()), seen);
        // The next transaction on the same pool starts as the login role with no claims.
        for (int i = 0; i < 20; i++) {
            List<String> after = rawConnection(handle -> List.of(
                    handle.createQuery("select current_user").mapTo(String.class).one(),
                    handle.createQuery("select coalesce(current_setting('request.jwt.claims', true), '')")
                            .mapTo(String.class).one()));
            assertEquals(List.of(EmbeddedDatabase.APP_ROLE, ""), after);
        }
    }

    @Test
    void the_app_cannot_become_any_other_role_nor_switch_policies_off() {
        for (String role : List.of("postgres", EmbeddedDatabase.OWNER_ROLE, "anon")) {
            JdbiException e = assertThrows(JdbiException.class, () -> rawConnection(handle -> {
                handle.execute("set local role " + role);
                return null;
            }));
            assertEquals("42501", sqlState(e), role);
        }
        for (String ddl : List.of("alter table interview.candidates disable row level security",
                "alter table interview.candidates no force row level security",
                "drop policy candidates_select on interview.candidates",
                "alter table interview.audit_log disable trigger audit_log_append_only")) {
            JdbiException e = assertThrows(JdbiException.class, () -> rawConnection(handle -> {
                handle.execute("set local role service_role");
                handle.execute(ddl);
                return null;
            }));
            assertEquals("42501", sqlState(e), ddl);
        }
        Boolean stillForced = rawConnection(handle -> handle.createQuery("select relrowsecurity and"
                + " relforcerowsecurity from pg_class where relname = 'candidates'"
                + " and relnamespace = 'interview'::regnamespace").mapTo(Boolean.class).one());
        assertTrue(stillForced);
    }
}
