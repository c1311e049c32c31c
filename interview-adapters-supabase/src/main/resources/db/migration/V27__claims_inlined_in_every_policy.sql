-- Every row-level security policy reads the claims through interview.jwt() (issue 16; decision 26, amended a fourth
-- time). Re-runnable.
--
-- V25 gave the policies on the transcript write's path interview.jwt(): auth.jwt()'s body, but inlinable, where
-- Supabase's auth.jwt() ("set search_path to ''") is a function call PostgreSQL parses and plans anew in every
-- statement, once per policy term (~9 µs each). The other policies - sessions, candidates, positions, invites,
-- consents, leases, audit, evaluations, keys - kept auth.jwt(), and every statement of the control plane (a
-- session's start, the runner's assignment, the call's record, the report) paid for it. Same claims, same
-- settings, same answers (InlinedClaimsTest compares the two functions for every way the claims can be set).
--
-- Each policy is rewritten from its own current definition (pg_policies, as PostgreSQL itself prints it), with
-- only the function's name changed: no policy's logic is written out a second time here, so none can drift from
-- the migration that defined it. A policy that no longer mentions auth.jwt() is left as it is.

do $inline$
declare
    p record;
begin
    for p in select schemaname, tablename, policyname, qual, with_check
             from pg_catalog.pg_policies
             where schemaname in ('interview', 'interview_keys')
               and (qual like '%auth.jwt()%' or with_check like '%auth.jwt()%')
    loop
        if p.qual like '%auth.jwt()%' then
            execute format('alter policy %I on %I.%I using (%s)', p.policyname, p.schemaname, p.tablename,
                           replace(p.qual, 'auth.jwt()', 'interview.jwt()'));
        end if;
        if p.with_check like '%auth.jwt()%' then
            execute format('alter policy %I on %I.%I with check (%s)', p.policyname, p.schemaname, p.tablename,
                           replace(p.with_check, 'auth.jwt()', 'interview.jwt()'));
        end if;
    end loop;
end
$inline$;
