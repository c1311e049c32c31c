-- Envelope encryption of personal data (docs/security.md) and what erasure and retention need.
--
-- Keys live in their own schema, interview_keys, so that database backups can leave them out
-- (pg_dump --exclude-schema=interview_keys) and the key schema can be backed up on its own, with a retention no
-- longer than the erasure deadline: destroying a candidate's key then makes every copy of their rows unreadable.
-- A key row holds a Tink keyset encrypted by the key above it (candidate key by the tenant key, tenant key by the
-- operator's master key, which never reaches the database). Nothing in this schema is readable without the master
-- key.
--
-- The personal columns of the interview schema get a ciphertext twin (bytea, Tink AEAD AES-256-GCM whose associated
-- data binds it to its tenant, session and row). The plaintext columns stay for rows written before this migration
-- and are emptied by the re-encryption job; new rows leave them null. Ids, tenants, sessions, positions, statuses
-- and timestamps stay in clear: row-level security, ordering, joins and the transcript's idempotency need them.
-- Re-runnable like the earlier migrations.

create schema if not exists interview_keys;

create table if not exists interview_keys.tenant_keys (
    tenant_id     uuid        not null primary key,
    keyset        bytea       not null,
    master_key_id bigint      not null,   -- the Tink key id of the master key that wrapped it (master rotation)
    generation    integer     not null default 1 check (generation >= 1),
    rotated_at    timestamptz not null default now(),
    created_at    timestamptz not null default now()
);

create table if not exists interview_keys.candidate_keys (
    candidate_id  uuid        not null primary key,
    tenant_id     uuid        not null,
    keyset        bytea       not null,
    generation    integer     not null default 1 check (generation >= 1),   -- the tenant key generation it follows
    created_at    timestamptz not null default now()
);
create index if not exists candidate_keys_tenant_idx on interview_keys.candidate_keys (tenant_id, candidate_id);

-- Progress of a tenant's re-encryption after a rotation: candidates are handled one transaction each, in id order,
-- and the last one done is remembered, so a job that dies resumes where it stopped.
create table if not exists interview_keys.rotation_jobs (
    tenant_id         uuid        not null primary key,
    generation        integer     not null,
    last_candidate_id uuid,
    started_at        timestamptz not null,
    finished_at       timestamptz
);

grant usage on schema interview_keys to authenticated, service_role;
revoke all on schema interview_keys from anon;
revoke all on interview_keys.tenant_keys, interview_keys.candidate_keys, interview_keys.rotation_jobs
    from public, anon, authenticated, service_role;
grant select, insert on interview_keys.tenant_keys to authenticated;
grant select, insert, delete on interview_keys.candidate_keys to authenticated;
grant select, insert, update, delete on interview_keys.tenant_keys, interview_keys.candidate_keys,
    interview_keys.rotation_jobs to service_role;

alter table interview_keys.tenant_keys enable row level security;
alter table interview_keys.tenant_keys force row level security;
alter table interview_keys.candidate_keys enable row level security;
alter table interview_keys.candidate_keys force row level security;
alter table interview_keys.rotation_jobs enable row level security;
alter table interview_keys.rotation_jobs force row level security;

-- The tenant key: every principal of the tenant reads it (it unwraps the candidate keys below) and may create it
-- when the tenant has none yet (a tenant registered before encryption); nobody but service_role changes one.
drop policy if exists tenant_keys_select on interview_keys.tenant_keys;
create policy tenant_keys_select on interview_keys.tenant_keys for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid));

drop policy if exists tenant_keys_insert on interview_keys.tenant_keys;
create policy tenant_keys_insert on interview_keys.tenant_keys for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid));

-- A candidate's key: staff read and create their tenant's; a candidate or runner reads (and, for a candidate
-- registered before encryption, creates) only the key of its own session's candidate; only an admin destroys one.
drop policy if exists candidate_keys_select on interview_keys.candidate_keys;
create policy candidate_keys_select on interview_keys.candidate_keys for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or candidate_id in (select s.candidate_id from interview.interview_sessions s
                                    where s.id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists candidate_keys_insert on interview_keys.candidate_keys;
create policy candidate_keys_insert on interview_keys.candidate_keys for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                     or candidate_id in (select s.candidate_id from interview.interview_sessions s
                                         where s.id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));

drop policy if exists candidate_keys_erase on interview_keys.candidate_keys;
create policy candidate_keys_erase on interview_keys.candidate_keys for delete to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');

-- ---- ciphertext columns ----------------------------------------------------------------------------------------

alter table interview.candidates add column if not exists name_ct bytea;
alter table interview.candidates add column if not exists email_ct bytea;
alter table interview.candidates alter column name drop not null;
alter table interview.candidates alter column email drop not null;
alter table interview.candidates alter column email drop default;
alter table interview.candidates drop constraint if exists candidates_name_present;
alter table interview.candidates add constraint candidates_name_present
    check (name is not null or name_ct is not null);

alter table interview.transcript_entries add column if not exists text_ct bytea;
alter table interview.transcript_entries alter column text drop not null;
alter table interview.transcript_entries drop constraint if exists transcript_entries_text_present;
alter table interview.transcript_entries add constraint transcript_entries_text_present
    check (text is not null or text_ct is not null);

alter table interview.evaluations add column if not exists summary_ct bytea;
alter table interview.evaluations add column if not exists scores_ct bytea;
alter table interview.evaluations drop constraint if exists evaluations_result_or_failure;
alter table interview.evaluations add constraint evaluations_result_or_failure check (
    (failure_reason is null) = (recommendation is not null and (summary is not null or summary_ct is not null)
                                and model is not null and prompt_version is not null
                                and (scores is not null or scores_ct is not null))
    and (failure_reason is null or (recommendation is null and summary is null and summary_ct is null
                                    and model is null and prompt_version is null and scores is null
                                    and scores_ct is null)));

-- ---- erasure and retention -------------------------------------------------------------------------------------

-- How long a tenant keeps a candidate after their last interview ended (null: until erased by hand).
alter table interview.tenants add column if not exists retention_days integer
    check (retention_days between 1 and 36500);

-- An admin erases a candidate of their own tenant: their sessions, transcripts, evaluations and invites go with
-- them (the use case checks first; these policies hold the line again). The audit log stays.
grant delete on interview.candidates, interview.interview_sessions, interview.transcript_entries,
    interview.invites, interview.evaluations to authenticated;

drop policy if exists candidates_erase on interview.candidates;
create policy candidates_erase on interview.candidates for delete to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');

drop policy if exists interview_sessions_erase on interview.interview_sessions;
create policy interview_sessions_erase on interview.interview_sessions for delete to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');

drop policy if exists transcript_entries_erase on interview.transcript_entries;
create policy transcript_entries_erase on interview.transcript_entries for delete to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');

drop policy if exists evaluations_erase on interview.evaluations;
create policy evaluations_erase on interview.evaluations for delete to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');
-- invites: the staff policy of V3 is "for all"; a restrictive policy narrows deleting to admins.
drop policy if exists invites_erase_admin_only on interview.invites;
create policy invites_erase_admin_only on interview.invites as restrictive for delete to authenticated
    using ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');
