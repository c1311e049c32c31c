-- The tenant wall, in the database itself.
--
-- Every request runs in a transaction that does what PostgREST does: SET LOCAL ROLE authenticated (or
-- service_role for system jobs) and set_config('request.jwt.claims', <claims>, true). The policies below read
-- three claims from app_metadata (which only the server can set, unlike user_metadata):
--
--   app_metadata.tenant_id    uuid    the tenant every row the principal touches must belong to
--   app_metadata.tenant_role  text    admin | interviewer (staff) | candidate | runner (bound to one session)
--   app_metadata.session_id   uuid    for candidate and runner: the one interview session they are bound to
--
-- (The top-level session_id claim of a Supabase token is the *auth* session; ours lives in app_metadata.)
-- Each claim is read as (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid): wrapped in (select ...),
-- as Supabase advises, so PostgreSQL evaluates it once per statement (an InitPlan) instead of once per row. The
-- whole extraction sits inside the select, not just auth.jwt(), or the JSON would still be taken apart per row.
--
-- service_role has BYPASSRLS (as on Supabase) and sees everything; anon gets nothing. RLS is also FORCEd so the
-- tables' owner is held to the policies unless it has BYPASSRLS itself. Re-runnable: policies are dropped first.

grant usage on schema interview to authenticated, service_role;
revoke all on schema interview from anon;

-- ---- table privileges (what a role may attempt at all; the policies then pick the rows) -----------------------

revoke all on interview.tenants, interview.memberships, interview.positions, interview.position_competencies,
    interview.candidates, interview.interview_sessions, interview.transcript_entries, interview.invites,
    interview.evaluations, interview.audit_log
    from public, anon, authenticated, service_role;

grant select on interview.tenants to authenticated;
grant update (name) on interview.tenants to authenticated;
grant select, insert, update, delete on interview.memberships to authenticated;
grant select, insert, update on interview.positions to authenticated;
grant select, insert, update, delete on interview.position_competencies to authenticated;
grant select, insert, update on interview.candidates to authenticated;
grant select, insert, update on interview.interview_sessions to authenticated;
grant select, insert on interview.transcript_entries to authenticated;
grant select, insert, update on interview.invites to authenticated;
grant select, insert on interview.evaluations to authenticated;
grant insert on interview.audit_log to authenticated;

grant select, insert, update, delete on interview.tenants, interview.memberships, interview.positions,
    interview.position_competencies, interview.candidates, interview.interview_sessions,
    interview.transcript_entries, interview.invites, interview.evaluations
    to service_role;
grant select, insert on interview.audit_log to service_role;

-- ---- row-level security on every tenant table ------------------------------------------------------------------

alter table interview.tenants enable row level security;
alter table interview.tenants force row level security;
alter table interview.memberships enable row level security;
alter table interview.memberships force row level security;
alter table interview.positions enable row level security;
alter table interview.positions force row level security;
alter table interview.position_competencies enable row level security;
alter table interview.position_competencies force row level security;
alter table interview.candidates enable row level security;
alter table interview.candidates force row level security;
alter table interview.interview_sessions enable row level security;
alter table interview.interview_sessions force row level security;
alter table interview.transcript_entries enable row level security;
alter table interview.transcript_entries force row level security;
alter table interview.invites enable row level security;
alter table interview.invites force row level security;
alter table interview.evaluations enable row level security;
alter table interview.evaluations force row level security;
alter table interview.audit_log enable row level security;
alter table interview.audit_log force row level security;

-- tenants: every principal reads its own tenant; an admin may rename it; nobody but service_role creates one.
drop policy if exists tenants_select on interview.tenants;
create policy tenants_select on interview.tenants for select to authenticated
    using (id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid));

drop policy if exists tenants_update on interview.tenants;
create policy tenants_update on interview.tenants for update to authenticated
    using (id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin')
    with check (id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');

-- memberships: staff read their tenant's; admins manage them.
drop policy if exists memberships_select on interview.memberships;
create policy memberships_select on interview.memberships for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

drop policy if exists memberships_write on interview.memberships;
create policy memberships_write on interview.memberships for all to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin')
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');

-- positions and their competencies: staff read and write their tenant's; a candidate or runner reads only the
-- position of its own session (what the interviewer's instructions are built from).
drop policy if exists positions_select on interview.positions;
create policy positions_select on interview.positions for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or id in (select s.position_id from interview.interview_sessions s
                          where s.id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists positions_insert on interview.positions;
create policy positions_insert on interview.positions for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

drop policy if exists positions_update on interview.positions;
create policy positions_update on interview.positions for update to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'))
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

drop policy if exists position_competencies_select on interview.position_competencies;
create policy position_competencies_select on interview.position_competencies for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or position_id in (select s.position_id from interview.interview_sessions s
                                   where s.id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists position_competencies_write on interview.position_competencies;
create policy position_competencies_write on interview.position_competencies for all to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'))
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

-- candidates: as positions (a candidate or runner sees only the candidate of its own session).
drop policy if exists candidates_select on interview.candidates;
create policy candidates_select on interview.candidates for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or id in (select s.candidate_id from interview.interview_sessions s
                          where s.id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists candidates_insert on interview.candidates;
create policy candidates_insert on interview.candidates for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

drop policy if exists candidates_update on interview.candidates;
create policy candidates_update on interview.candidates for update to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'))
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

-- interview sessions: staff see and change their tenant's; a candidate or runner sees its own session and may
-- change it while it is not over; only staff (or service_role) create sessions.
drop policy if exists interview_sessions_select on interview.interview_sessions;
create policy interview_sessions_select on interview.interview_sessions for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('candidate', 'runner')
                    and id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists interview_sessions_insert on interview.interview_sessions;
create policy interview_sessions_insert on interview.interview_sessions for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

drop policy if exists interview_sessions_update on interview.interview_sessions;
create policy interview_sessions_update on interview.interview_sessions for update to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('candidate', 'runner')
                    and id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid)
                    and status not in ('completed', 'failed', 'expired', 'cancelled'))))
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                     or ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('candidate', 'runner')
                         and id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

-- transcript entries: staff read their tenant's, a runner reads its own session's, a candidate reads none.
-- A candidate or runner appends to its own session only while that session is READY, ACTIVE or ENDING.
-- Nobody but service_role changes or deletes an entry.
drop policy if exists transcript_entries_select on interview.transcript_entries;
create policy transcript_entries_select on interview.transcript_entries for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'runner'
                    and session_id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists transcript_entries_insert on interview.transcript_entries;
create policy transcript_entries_insert on interview.transcript_entries for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                     or ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('candidate', 'runner')
                         and session_id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid)
                         and exists (select 1 from interview.interview_sessions s
                                     where s.id = transcript_entries.session_id
                                       and s.tenant_id = transcript_entries.tenant_id
                                       and s.status in ('ready', 'active', 'ending')))));

-- invites: the tenant's staff only (redeeming a link is a service_role job: nobody is signed in yet).
drop policy if exists invites_staff on interview.invites;
create policy invites_staff on interview.invites for all to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'))
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

-- evaluations: the tenant's staff read and record them; candidates and runners never see them.
drop policy if exists evaluations_select on interview.evaluations;
create policy evaluations_select on interview.evaluations for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

drop policy if exists evaluations_insert on interview.evaluations;
create policy evaluations_insert on interview.evaluations for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer'));

-- audit log: every principal appends events of its own tenant; there is no select policy (and no select
-- privilege), so only service_role reads it back; the trigger of the previous migration refuses changes.
drop policy if exists audit_log_insert on interview.audit_log;
create policy audit_log_insert on interview.audit_log for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid));
