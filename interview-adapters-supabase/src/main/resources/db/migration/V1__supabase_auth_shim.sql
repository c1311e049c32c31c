-- Supabase compatibility shim.
--
-- On a Supabase project the roles anon, authenticated and service_role, the auth schema and the helper
-- functions below already exist: every statement here is guarded by "only where absent", so this file changes
-- nothing there. On a bare PostgreSQL (tests, the embedded default) it creates them with Supabase's own
-- definitions (supabase/auth migration 20240624145325_recreate_auth_functions), so the row-level security
-- policies of the later migrations behave exactly as they do on Supabase.
--
-- Run it as a superuser on a bare PostgreSQL (creating a BYPASSRLS role needs one), or pre-create the roles.
-- Existence is checked in the catalogs, which needs no privilege on the auth schema (Supabase's migration role
-- may not hold one).

do $shim$
begin
    if not exists (select 1 from pg_catalog.pg_roles where rolname = 'anon') then
        create role anon nologin noinherit;
    end if;
    if not exists (select 1 from pg_catalog.pg_roles where rolname = 'authenticated') then
        create role authenticated nologin noinherit;
    end if;
    if not exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role') then
        -- As on Supabase: the service role skips row-level security.
        create role service_role nologin noinherit bypassrls;
    end if;
end
$shim$;

do $shim$
begin
    if not exists (select 1 from pg_catalog.pg_namespace where nspname = 'auth') then
        create schema auth;
        grant usage on schema auth to anon, authenticated, service_role;
    end if;

    if not exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                   where n.nspname = 'auth' and p.proname = 'uid' and p.pronargs = 0) then
        create function auth.uid()
            returns uuid
            set search_path to ''
        as $func$
          select
            coalesce(
              nullif(current_setting('request.jwt.claim.sub', true), ''),
              (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
            )::uuid
        $func$ language sql stable;
    end if;

    if not exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                   where n.nspname = 'auth' and p.proname = 'role' and p.pronargs = 0) then
        create function auth.role()
            returns text
            set search_path to ''
        as $func$
          select
            coalesce(
              nullif(current_setting('request.jwt.claim.role', true), ''),
              (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
            )::text
        $func$ language sql stable;
    end if;

    if not exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                   where n.nspname = 'auth' and p.proname = 'email' and p.pronargs = 0) then
        create function auth.email()
            returns text
            set search_path to ''
        as $func$
          select
            coalesce(
              nullif(current_setting('request.jwt.claim.email', true), ''),
              (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
            )::text
        $func$ language sql stable;
    end if;

    if not exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                   where n.nspname = 'auth' and p.proname = 'jwt' and p.pronargs = 0) then
        create function auth.jwt()
            returns jsonb
            set search_path to ''
        as $func$
          select
            coalesce(
                nullif(current_setting('request.jwt.claim', true), ''),
                nullif(current_setting('request.jwt.claims', true), '')
            )::jsonb
        $func$ language sql stable;
    end if;
end
$shim$;
