package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The migrations on clusters of their own: applied to an empty PostgreSQL, re-run as a no-op, and applied to a
 * database that already has Supabase's auth schema and roles, which they must leave exactly as they were.
 */
class MigrationsTest {

    private static final Secret ANY_PASSWORD = Secret.of("embedded-clusters-trust-local-connections");
    private static final List<String> MIGRATIONS = List.of("V1__supabase_auth_shim.sql", "V2__interview_schema.sql",
            "V3__row_level_security.sql", "V4__shared_limits.sql", "V5__consent.sql",
            "V20__envelope_encryption.sql", "V21__erasure_takes_consents.sql", "V22__runner_leases.sql",
            "V23__recording_report_and_review_lookups.sql", "V24__call_audio.sql",
            "V25__transcript_per_row_costs.sql", "V26__call_audio_playback.sql",
            "V27__claims_inlined_in_every_policy.sql", "V28__rate_limit_buckets_pruned.sql",
            "V29__evaluation_failures_without_quotes.sql");
    private static final List<String> TENANT_TABLES = List.of("audit_log", "candidates", "evaluations",
            "interview_sessions", "invites", "memberships", "position_competencies", "positions", "tenants",
            "transcript_entries");

    /** Everything the migrations define, as text: compare two of these to see whether anything changed. */
    private static final String SCHEMA_FINGERPRINT = """
            select 'relation ' || c.relname || ' kind=' || c.relkind::text || ' rls=' || c.relrowsecurity
                   || ' force=' || c.relforcerowsecurity || ' acl=' || coalesce(c.relacl::text, '')
              from pg_class c where c.relnamespace in ('interview'::regnamespace, 'interview_keys'::regnamespace)
            union all
            select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
                   || coalesce(column_default, '') || ' ' || coalesce(collation_name, '')
              from information_schema.columns where table_schema in ('interview', 'interview_keys')
            union all
            select 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              from pg_constraint where connamespace in ('interview'::regnamespace, 'interview_keys'::regnamespace)
            union all
            select 'index ' || indexdef from pg_indexes where schemaname in ('interview', 'interview_keys')
            union all
            select 'policy ' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd || ' '
                   || roles::text || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
              from pg_policies where schemaname in ('interview', 'interview_keys')
            union all
            select 'trigger ' || pg_get_triggerdef(t.oid) from pg_trigger t
              join pg_class c on c.oid = t.tgrelid
             where c.relnamespace = 'interview'::regnamespace and not t.tgisinternal
            union all
            select 'function ' || p.oid || ' ' || p.oid::regprocedure || ' ' || p.prosrc || ' owner='
                   || pg_get_userbyid(p.proowner) || ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '')
              from pg_proc p where p.pronamespace in ('interview'::regnamespace, 'auth'::regnamespace)
            union all
            select 'role ' || oid || ' ' || rolname || ' bypassrls=' || rolbypassrls || ' inherit=' || rolinherit
                   || ' login=' || rolcanlogin
              from pg_roles where rolname in ('anon', 'authenticated', 'service_role')
            union all
            select 'schema ' || nspname || ' owner=' || pg_get_userbyid(nspowner) || ' acl='
                   || coalesce(nspacl::text, '')
              from pg_namespace where nspname in ('auth', 'interview')
            order by 1""";

    @Test
    void the_migrations_apply_to_an_empty_postgresql_and_re_running_them_changes_nothing() throws Exception {
        try (BareCluster cluster = new BareCluster()) {
            String url = cluster.jdbcUrl("postgres");
            assertTrue(cluster.rows("postgres", "select rolname from pg_roles where rolname in"
                    + " ('anon', 'authenticated', 'service_role')").isEmpty(), "a bare cluster has no Supabase roles");

            assertEquals(MIGRATIONS.size(), SupabaseStore.migrate(url, "postgres", ANY_PASSWORD));

            assertEquals(List.of("anon|f|f", "authenticated|f|f", "service_role|t|f"), cluster.rows("postgres",
                    "select rolname, rolbypassrls, rolinherit from pg_roles"
                            + " where rolname in ('anon', 'authenticated', 'service_role') order by 1"));
            for (String table : TENANT_TABLES) {
                assertEquals(List.of("t|t"), cluster.rows("postgres", "select relrowsecurity, relforcerowsecurity"
                        + " from pg_class where oid = 'interview." + table + "'::regclass"), table);
            }
            for (String table : List.of("tenant_keys", "candidate_keys", "rotation_jobs")) {
                assertEquals(List.of("t|t"), cluster.rows("postgres", "select relrowsecurity, relforcerowsecurity"
                        + " from pg_class where oid = 'interview_keys." + table + "'::regclass"), table);
            }
            // The shim's helpers read the claims exactly as Supabase's do.
            assertEquals(List.of("0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70|authenticated|a@example.com|acme"),
                    cluster.rows("postgres", """
                            select auth.uid(), auth.role(), auth.email(), auth.jwt() -> 'app_metadata' ->> 'tenant'
                            from (select set_config('request.jwt.claims', '{"sub":"0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70",
                                "role":"authenticated","email":"a@example.com","app_metadata":{"tenant":"acme"}}',
                                false)) as claims"""));

            String tenant = UUID.randomUUID().toString();
            cluster.execute("postgres", "insert into interview.tenants (id, name) values ('" + tenant + "', 'Kept')");
            List<String> before = cluster.rows("postgres", SCHEMA_FINGERPRINT);
            assertTrue(before.stream().filter(line -> line.startsWith("policy ")).count() >= 20, "policies listed");

            assertEquals(0, SupabaseStore.migrate(url, "postgres", ANY_PASSWORD), "Flyway: nothing left to apply");
            // The files themselves are re-runnable too (as when applied by hand or twice by a CLI).
            for (String migration : MIGRATIONS) {
                cluster.execute("postgres", migrationText(migration));
            }

            assertEquals(before, cluster.rows("postgres", SCHEMA_FINGERPRINT));
            assertEquals(List.of("Kept"), cluster.rows("postgres",
                    "select name from interview.tenants where id = '" + tenant + "'"));
        }
    }

    @Test
    void on_a_supabase_like_database_the_auth_shim_leaves_supabases_own_definitions_untouched() throws Exception {
        try (BareCluster cluster = new BareCluster()) {
            // What a Supabase project has before our migrations: its roles, and an auth schema owned by its auth
            // service with the helper functions; migrations run as "postgres", which is not a superuser there.
            cluster.execute("postgres", """
                    create role anon nologin noinherit;
                    create role authenticated nologin noinherit;
                    create role service_role nologin noinherit bypassrls;
                    create role supabase_auth_admin nologin;
                    create role supabase_postgres login nosuperuser password 'x';
                    create schema auth authorization supabase_auth_admin;
                    grant usage on schema auth to anon, authenticated, service_role, supabase_postgres;
                    grant create on database postgres to supabase_postgres;
                    set role supabase_auth_admin;
                    create function auth.uid() returns uuid set search_path to '' as $$
                      select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
                    $$ language sql stable;
                    create function auth.role() returns text set search_path to '' as $$
                      select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
                    $$ language sql stable;
                    create function auth.email() returns text set search_path to '' as $$
                      select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text
                    $$ language sql stable;
                    create function auth.jwt() returns jsonb set search_path to '' as $$
                      select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                        nullif(current_setting('request.jwt.claims', true), ''))::jsonb
                    $$ language sql stable;
                    comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';
                    reset role;
                    """);
            String supabaseAuth = """
                    select 'function ' || p.oid || ' ' || p.oid::regprocedure || ' ' || md5(p.prosrc) || ' owner='
                           || pg_get_userbyid(p.proowner) || ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '')
                           || ' acl=' || coalesce(p.proacl::text, '')
                      from pg_proc p where p.pronamespace = 'auth'::regnamespace
                    union all
                    select 'role ' || oid || ' ' || rolname || ' bypassrls=' || rolbypassrls
                      from pg_roles where rolname in ('anon', 'authenticated', 'service_role')
                    union all
                    select 'schema auth owner=' || pg_get_userbyid(nspowner) || ' acl=' || nspacl::text
                      from pg_namespace where nspname = 'auth'
                    order by 1""";
            List<String> before = cluster.rows("postgres", supabaseAuth);
            assertEquals(4 + 3 + 1, before.size());

            String url = cluster.jdbcUrl("postgres");
            assertEquals(MIGRATIONS.size(), SupabaseStore.migrate(url, "supabase_postgres", ANY_PASSWORD));

            assertEquals(before, cluster.rows("postgres", supabaseAuth));
            assertEquals(List.of("supabase_postgres"), cluster.rows("postgres",
                    "select distinct pg_get_userbyid(relowner) from pg_class"
                            + " where relnamespace = 'interview'::regnamespace and relkind = 'r'"));

            // The application role as docs/adapters/supabase.md creates it on Supabase, and a round trip under RLS.
            cluster.execute("postgres", """
                    create role interview_app login noinherit password 'app-password';
                    grant authenticated, service_role to interview_app;
                    """);
            try (SupabaseStore store = SupabaseStore.connect(url, "interview_app", Secret.of("app-password"),
                    TestKeys.master(), SupabaseStore.Options.defaults().withMaximumPoolSize(2))) {
                TenantId tenant = new TenantId(UUID.randomUUID());
                store.tenants().save(AccessScope.system("migration-test"), new Tenant(tenant, "Supabase-like"));
                assertEquals("Supabase-like", store.tenants().find(AccessScope.of(Fixtures.admin(tenant)), tenant)
                        .orElseThrow().name());
                assertFalse(store.tenants().find(AccessScope.of(Fixtures.admin(new TenantId(UUID.randomUUID()))),
                        tenant).isPresent());
            }
        }
    }

    private static String migrationText(String file) {
        try (InputStream in = MigrationsTest.class.getResourceAsStream("/db/migration/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
