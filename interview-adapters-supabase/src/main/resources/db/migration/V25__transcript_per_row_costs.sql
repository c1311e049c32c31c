-- What PostgreSQL does for every transcript write (issue 16, goal 4; decision 26, third amendment). Measured on
-- inserts under a runner's scope (scripts/transcript-row-costs; docs/performance.md, "Decision 26"), items 1, 2 and
-- 4 cost a fixed amount per row and buy nothing per row that cannot be bought once per statement; item 3 is a fixed
-- cost per statement, the largest at 20 rows a write. Integrity and tenant isolation are unchanged:
--
-- 1. transcript_entries_tenant_idx goes: it served only tenant-wide scans, and no query scans the transcript by
--    tenant alone (the repository, the eraser, key rotation and the row-level security policies all name the
--    session, which leads the primary key).
-- 2. The foreign key transcript_entries_session_fk (tenant_id, session_id) -> interview_sessions (tenant_id, id) is
--    replaced by triggers that keep exactly its guarantees, checked once per statement instead of once per row:
--    no entry without its session row (inserted or moved), no session row deleted, re-keyed or truncated away
--    while it has entries, and a session deleted concurrently with an insert of its entry leaves no orphan (the
--    insert locks each distinct session it references FOR KEY SHARE, as the foreign key's trigger does per row, so
--    a concurrent delete waits for the insert's commit and then finds the entry, or the insert waits for the
--    delete's and then finds no session). A violation raises what the foreign key raised: SQLSTATE 23503 with
--    the constraint's name, which SqlErrors maps as before.
-- 3. The claims are read by an inlinable function in the policies on the transcript write's path (a fixed cost per
--    statement, not per row, but the largest one: see below).
-- 4. The insert policy's look at the session (live status) is asked once per statement: it names the session of
--    the claims, which the same policy already requires every row to carry, so it no longer depends on the row.
--
-- Re-runnable: every object is dropped or replaced first.

-- ---- 1. the tenant-wide index ----------------------------------------------------------------------------------

drop index if exists interview.transcript_entries_tenant_idx;

-- ---- 2. the session reference, once per statement --------------------------------------------------------------

-- The checks run as the tables' owner (security definer), because they must see every session and entry whoever
-- writes: a runner, a candidate (who may not read the transcript), staff or service_role. Row-level security is
-- FORCEd on both tables, so the owner is held to the policies too; these three let it read (and lock) the rows,
-- but only inside a trigger, where the owner acts only through functions it owns (these): the owner logged in on
-- its own still sees nothing, and no other role is named. (A migration role that is a superuser or has BYPASSRLS,
-- as Supabase's postgres may, does not need them; they are harmless there.)
drop policy if exists interview_sessions_reference_check on interview.interview_sessions;
create policy interview_sessions_reference_check on interview.interview_sessions for select to current_user
    using ((select pg_catalog.pg_trigger_depth()) > 0);
-- Locking a row (FOR KEY SHARE) asks the UPDATE policies too; nothing is ever updated through this one.
drop policy if exists interview_sessions_reference_lock on interview.interview_sessions;
create policy interview_sessions_reference_lock on interview.interview_sessions for update to current_user
    using ((select pg_catalog.pg_trigger_depth()) > 0)
    with check (false);
drop policy if exists transcript_entries_reference_check on interview.transcript_entries;
create policy transcript_entries_reference_check on interview.transcript_entries for select to current_user
    using ((select pg_catalog.pg_trigger_depth()) > 0);

-- The errors carry the foreign key's SQLSTATE, constraint, table, message and detail, without row values (as the
-- key shows them to a caller who may not read the row; SqlErrors never passes them on anyway).
--
-- An entry's session must exist: after each INSERT statement (the new rows as a transition table) and after an
-- UPDATE that moves an entry to another session (row trigger, only when the reference changed). Each distinct
-- session is locked FOR KEY SHARE until the end of the transaction, as the foreign key's own trigger does for
-- every row: a concurrent DELETE or re-keying of that session waits for this transaction, then sees its entries.
create or replace function interview.transcript_entries_session_exists() returns trigger
    language plpgsql
    security definer
    set search_path to ''
as $func$
declare
    reference record;
begin
    if tg_level = 'ROW' then
        perform 1 from interview.interview_sessions s
            where s.tenant_id = new.tenant_id and s.id = new.session_id
            for key share of s;
        if not found then
            raise exception using
                errcode = 'foreign_key_violation',
                constraint = 'transcript_entries_session_fk',
                schema = 'interview', table = 'transcript_entries',
                message = 'insert or update on table "transcript_entries" violates foreign key constraint'
                          ' "transcript_entries_session_fk"',
                detail = 'Key is not present in table "interview_sessions".';
        end if;
        return null;
    end if;
    for reference in select distinct e.tenant_id, e.session_id from new_entries e loop
        perform 1 from interview.interview_sessions s
            where s.tenant_id = reference.tenant_id and s.id = reference.session_id
            for key share of s;
        if not found then
            raise exception using
                errcode = 'foreign_key_violation',
                constraint = 'transcript_entries_session_fk',
                schema = 'interview', table = 'transcript_entries',
                message = 'insert or update on table "transcript_entries" violates foreign key constraint'
                          ' "transcript_entries_session_fk"',
                detail = 'Key is not present in table "interview_sessions".';
        end if;
    end loop;
    return null;
end
$func$;

-- A session row may not go (DELETE, or an UPDATE of tenant_id or id) while entries still name it: erasing deletes
-- the entries first, in the same transaction. Deleting or re-keying a session takes a lock that conflicts with the
-- inserts' FOR KEY SHARE, so it waits for any insert in flight, and this check then runs on a fresh snapshot (READ
-- COMMITTED: every statement of the function takes one) that sees the entries that insert committed. At REPEATABLE
-- READ or SERIALIZABLE the transaction's snapshot is older than such an entry and the foreign key's own trick (a
-- cross-check snapshot) is not available to a function, so those isolation levels are refused for this change
-- (nothing in the application deletes or re-keys a session at either; the eraser runs at READ COMMITTED).
create or replace function interview.interview_sessions_keep_referenced() returns trigger
    language plpgsql
    security definer
    set search_path to ''
as $func$
declare
    gone record;
    referenced boolean := false;
begin
    if pg_catalog.current_setting('transaction_isolation') <> 'read committed' then
        raise exception using
            errcode = 'feature_not_supported',
            message = 'deleting, re-keying or truncating an interview session needs READ COMMITTED isolation'
                      ' (transcript_entries_session_fk is checked by a trigger)';
    end if;
    if tg_op = 'TRUNCATE' then
        -- Entries truncated in the same command are gone already (AFTER TRUNCATE runs once all tables are done).
        referenced := exists (select 1 from interview.transcript_entries);
    elsif tg_level = 'ROW' then
        referenced := exists (select 1 from interview.transcript_entries e
                              where e.session_id = old.id and e.tenant_id = old.tenant_id)
                      and not exists (select 1 from interview.interview_sessions s
                                      where s.tenant_id = old.tenant_id and s.id = old.id);
    else
        -- One index probe per deleted session (the primary key leads with session_id). Not a join: with a LIMIT
        -- the planner may prefer a sequential scan of the whole transcript, hoping to meet a match early.
        for gone in select o.tenant_id, o.id from old_sessions o loop
            referenced := exists (select 1 from interview.transcript_entries e
                                  where e.session_id = gone.id and e.tenant_id = gone.tenant_id);
            exit when referenced;
        end loop;
    end if;
    if referenced then
        raise exception using
            errcode = 'foreign_key_violation',
            constraint = 'transcript_entries_session_fk',
            schema = 'interview', table = 'transcript_entries',
            message = 'update or delete on table "interview_sessions" violates foreign key constraint'
                      ' "transcript_entries_session_fk" on table "transcript_entries"',
            detail = 'Key is still referenced from table "transcript_entries".';
    end if;
    return null;
end
$func$;

revoke all on function interview.transcript_entries_session_exists() from public;
revoke all on function interview.interview_sessions_keep_referenced() from public;

drop trigger if exists transcript_entries_session_exists on interview.transcript_entries;
create trigger transcript_entries_session_exists
    after insert on interview.transcript_entries
    referencing new table as new_entries
    for each statement execute function interview.transcript_entries_session_exists();

drop trigger if exists transcript_entries_session_moved on interview.transcript_entries;
create trigger transcript_entries_session_moved
    after update of tenant_id, session_id on interview.transcript_entries
    for each row
    when (old.tenant_id is distinct from new.tenant_id or old.session_id is distinct from new.session_id)
    execute function interview.transcript_entries_session_exists();

drop trigger if exists interview_sessions_keep_referenced on interview.interview_sessions;
create trigger interview_sessions_keep_referenced
    after delete on interview.interview_sessions
    referencing old table as old_sessions
    for each statement execute function interview.interview_sessions_keep_referenced();

drop trigger if exists interview_sessions_rekeyed on interview.interview_sessions;
create trigger interview_sessions_rekeyed
    after update of tenant_id, id on interview.interview_sessions
    for each row
    when (old.tenant_id is distinct from new.tenant_id or old.id is distinct from new.id)
    execute function interview.interview_sessions_keep_referenced();

drop trigger if exists interview_sessions_truncated on interview.interview_sessions;
create trigger interview_sessions_truncated
    after truncate on interview.interview_sessions
    for each statement execute function interview.interview_sessions_keep_referenced();

-- The triggers above hold the reference from here on.
alter table interview.transcript_entries drop constraint if exists transcript_entries_session_fk;

-- ---- 3. the claims, read without a function call per policy term ---------------------------------------------

-- Every policy term reads a claim as (select auth.jwt() -> ...), once per statement. auth.jwt() is Supabase's, and
-- Supabase defines it with "set search_path to ''", which keeps PostgreSQL from inlining it: each term then calls
-- a SQL function, parsed and planned anew on every statement (~9 µs each, and a transcript write under a runner's
-- scope has 15 such terms: ~135 µs of a 20-row INSERT's ~400 µs). interview.jwt() has the same body, written as a
-- SQL-standard body (RETURN): resolved when created, so no search_path can redirect it, and inlined into the
-- policy like an expression. The policies on the transcript write's path (the transcript's insert and select,
-- the sessions' select that the insert policy's look at the session goes through) use it; the others keep
-- auth.jwt() (read rarely enough not to matter). Same claims, same settings, same answers.
create or replace function interview.jwt() returns jsonb
    language sql
    stable
    return coalesce(nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
                    nullif(pg_catalog.current_setting('request.jwt.claims', true), ''))::jsonb;

drop policy if exists interview_sessions_select on interview.interview_sessions;
create policy interview_sessions_select on interview.interview_sessions for select to authenticated
    using (tenant_id = (select (interview.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select interview.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or ((select interview.jwt() -> 'app_metadata' ->> 'tenant_role') in ('candidate', 'runner')
                    and id = (select (interview.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists transcript_entries_select on interview.transcript_entries;
create policy transcript_entries_select on interview.transcript_entries for select to authenticated
    using (tenant_id = (select (interview.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select interview.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or ((select interview.jwt() -> 'app_metadata' ->> 'tenant_role') = 'runner'
                    and session_id = (select (interview.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

-- ---- 4. the insert policy's look at the session, once per statement --------------------------------------------

-- As in V3, but the session looked up is the claims' session, not the row's: the policy requires the row's
-- session_id and tenant_id to equal the claims' first, so for every row it lets through both name the same
-- session, and a subquery that does not depend on the row is evaluated once per statement (an InitPlan).
drop policy if exists transcript_entries_insert on interview.transcript_entries;
create policy transcript_entries_insert on interview.transcript_entries for insert to authenticated
    with check (tenant_id = (select (interview.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and ((select interview.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                     or ((select interview.jwt() -> 'app_metadata' ->> 'tenant_role') in ('candidate', 'runner')
                         and session_id = (select (interview.jwt() -> 'app_metadata' ->> 'session_id')::uuid)
                         and exists (select 1 from interview.interview_sessions s
                                     where s.id = (select (interview.jwt() -> 'app_metadata' ->> 'session_id')::uuid)
                                       and s.tenant_id = (select (interview.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                                       and s.status in ('ready', 'active', 'ending')))));
