-- The interview platform's tables, in their own schema so that nothing is exposed through Supabase's Data API
-- unless someone decides to. Every row belongs to one tenant; child tables carry the tenant id themselves and
-- reference their parent by (tenant_id, id), so a row can never point into another tenant, and row-level security
-- (next migration) can check the tenant without a join.
--
-- Enumerations are lowercase text with CHECKs (simpler to evolve than enum types). Character-set checks are
-- written as "no character outside the set" plus a length check: PostgreSQL's regex engine is slow on counted
-- repetitions such as {1,128}, and the transcript table checks every appended row. Names of constraints that the
-- Java adapter translates into domain errors are given explicitly. Written to be re-runnable: every statement is
-- "if not exists".

create schema if not exists interview;

-- ---- tenants and their staff ----------------------------------------------------------------------------------

create table if not exists interview.tenants (
    id         uuid        not null primary key,
    name       text        not null check (length(name) between 1 and 200),
    created_at timestamptz not null default now()
);

-- Who belongs to which tenant, with which role. The access token carries the same facts in app_metadata
-- (tenant_id, tenant_role); this table is what an administrator or an auth hook sets them from.
create table if not exists interview.memberships (
    tenant_id  uuid        not null constraint memberships_tenant_fk references interview.tenants (id),
    user_id    uuid        not null,
    role       text        not null check (role in ('admin', 'interviewer')),
    created_at timestamptz not null default now(),
    primary key (tenant_id, user_id)
);
create index if not exists memberships_user_idx on interview.memberships (user_id);

-- ---- the catalog: positions with competencies, candidates ------------------------------------------------------

create table if not exists interview.positions (
    id          uuid        not null primary key,
    tenant_id   uuid        not null constraint positions_tenant_fk references interview.tenants (id),
    title       text        not null check (length(title) between 1 and 200),
    description text        not null default '' check (length(description) <= 10000),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint positions_tenant_id_key unique (tenant_id, id)
);

create table if not exists interview.position_competencies (
    tenant_id   uuid     not null,
    position_id uuid     not null,
    ordinal     smallint not null check (ordinal between 0 and 19),
    name        text     not null check (length(name) between 1 and 100),
    description text     not null default '' check (length(description) <= 2000),
    weight      smallint not null check (weight between 1 and 10),
    primary key (position_id, ordinal),
    constraint position_competencies_position_fk foreign key (tenant_id, position_id)
        references interview.positions (tenant_id, id) on delete cascade
);
create unique index if not exists position_competencies_name_key
    on interview.position_competencies (position_id, lower(name));
create index if not exists position_competencies_tenant_idx on interview.position_competencies (tenant_id);

create table if not exists interview.candidates (
    id         uuid        not null primary key,
    tenant_id  uuid        not null constraint candidates_tenant_fk references interview.tenants (id),
    name       text        not null check (length(name) between 1 and 200),
    email      text        not null default '' check (length(email) <= 320),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint candidates_tenant_id_key unique (tenant_id, id)
);

-- ---- interview sessions ----------------------------------------------------------------------------------------

create table if not exists interview.interview_sessions (
    id                  uuid        not null primary key,
    tenant_id           uuid        not null constraint interview_sessions_tenant_fk references interview.tenants (id),
    candidate_id        uuid        not null,
    position_id         uuid        not null,
    -- settings
    voice               text        not null check (length(voice) between 1 and 64),
    language            text        not null check (length(language) between 1 and 35),
    temperature         double precision check (temperature between 0.0 and 2.0),
    realtime_model      text        not null check (length(realtime_model) between 1 and 64),
    transcription_model text        not null check (length(transcription_model) between 1 and 64),
    max_duration_ms     bigint      not null check (max_duration_ms between 60000 and 3600000),
    architecture        text        not null check (architecture in ('hybrid', 'proxy')),
    -- lifecycle
    origin              text        not null check (origin in ('staff', 'invite')),
    started_by          uuid        not null,
    status              text        not null check (status in ('created', 'provisioning', 'ready', 'active',
                                                   'ending', 'completed', 'failed', 'expired', 'cancelled')),
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    last_activity_at    timestamptz not null,
    connected_at        timestamptz,
    ended_at            timestamptz,
    -- the runner and the call
    runner_id           text check (length(runner_id) between 1 and 200),
    runner_name         text check (length(runner_name) between 1 and 63),
    runner_endpoint     text check (runner_endpoint ~ '^wss?://'),
    openai_call_id      text check (length(openai_call_id) between 1 and 128 and openai_call_id !~ '[^A-Za-z0-9_-]'),
    -- the recording, the evaluation, the ending
    recording_video_id  text check (length(recording_video_id) between 1 and 128
                                    and recording_video_id !~ '[^A-Za-z0-9_-]'),
    recording_url       text check (recording_url ~ '^https://'),
    evaluation_ref      uuid,
    end_reason          text check (end_reason in ('candidate_ended', 'staff_ended', 'time_budget_spent',
                                                   'call_ended')),
    failure_reason      text check (length(failure_reason) between 1 and 500),
    version             bigint      not null check (version >= 1),
    constraint interview_sessions_tenant_id_key unique (tenant_id, id),
    constraint interview_sessions_candidate_fk foreign key (tenant_id, candidate_id)
        references interview.candidates (tenant_id, id),
    constraint interview_sessions_position_fk foreign key (tenant_id, position_id)
        references interview.positions (tenant_id, id),
    constraint interview_sessions_runner_complete check (
        (runner_id is null) = (runner_name is null) and (runner_id is null) = (runner_endpoint is null)),
    constraint interview_sessions_failed_has_reason check (status <> 'failed' or failure_reason is not null),
    constraint interview_sessions_live_has_runner check (status not in ('ready', 'active') or runner_id is not null),
    constraint interview_sessions_active_has_call check (status <> 'active' or openai_call_id is not null)
);
create index if not exists interview_sessions_tenant_created_idx
    on interview.interview_sessions (tenant_id, created_at desc);
create index if not exists interview_sessions_idle_idx
    on interview.interview_sessions (last_activity_at)
    where status in ('created', 'provisioning', 'ready', 'active', 'ending');
create index if not exists interview_sessions_video_idx
    on interview.interview_sessions (recording_video_id) where recording_video_id is not null;
create index if not exists interview_sessions_candidate_idx on interview.interview_sessions (tenant_id, candidate_id);
create index if not exists interview_sessions_position_idx on interview.interview_sessions (tenant_id, position_id);

-- ---- transcript entries ----------------------------------------------------------------------------------------

-- One row per session and idempotency key: a retried or double-delivered entry is stored once (first writer wins).
-- Keys compare byte-wise (collation "C"), as the Java side orders them. A session's entries are found through the
-- primary key (session_id first) and sorted into conversation order on read: an interview has hundreds of entries,
-- not millions, and one index fewer makes every append cheaper.
create table if not exists interview.transcript_entries (
    tenant_id       uuid        not null,
    session_id      uuid        not null,
    idempotency_key text collate "C" not null
                    check (length(idempotency_key) between 1 and 128 and idempotency_key !~ '[^A-Za-z0-9_:.-]'),
    speaker         text        not null check (speaker in ('ai', 'candidate')),
    text            text        not null check (length(text) <= 20000),
    spoken_at       timestamptz not null,
    position        bigint      not null check (position >= 0),
    source          text        not null check (source in ('sideband', 'client')),
    status          text        not null check (status in ('complete', 'truncated', 'failed')),
    audio_end_ms    bigint check (audio_end_ms >= 0),
    failure_reason  text check (length(failure_reason) between 1 and 500),
    stored_at       timestamptz not null default now(),
    primary key (session_id, idempotency_key),
    constraint transcript_entries_session_fk foreign key (tenant_id, session_id)
        references interview.interview_sessions (tenant_id, id),
    constraint transcript_entries_truncated_has_audio_end check ((status = 'truncated') = (audio_end_ms is not null)),
    constraint transcript_entries_failed_has_reason check ((status = 'failed') = (failure_reason is not null))
);
create index if not exists transcript_entries_tenant_idx on interview.transcript_entries (tenant_id);

-- ---- invites ---------------------------------------------------------------------------------------------------

-- Only the SHA-256 of an invite's token is stored: a leaked table does not leak working links.
create table if not exists interview.invites (
    id                  uuid        not null primary key,
    tenant_id           uuid        not null constraint invites_tenant_fk references interview.tenants (id),
    candidate_id        uuid        not null,
    position_id         uuid        not null,
    voice               text        not null check (length(voice) between 1 and 64),
    language            text        not null check (length(language) between 1 and 35),
    temperature         double precision check (temperature between 0.0 and 2.0),
    realtime_model      text        not null check (length(realtime_model) between 1 and 64),
    transcription_model text        not null check (length(transcription_model) between 1 and 64),
    max_duration_ms     bigint      not null check (max_duration_ms between 60000 and 3600000),
    architecture        text        not null check (architecture in ('hybrid', 'proxy')),
    token_hash          text        not null check (length(token_hash) = 64 and token_hash !~ '[^0-9a-f]'),
    status              text        not null check (status in ('pending', 'redeemed', 'revoked')),
    created_at          timestamptz not null,
    expires_at          timestamptz not null,
    created_by          uuid        not null,
    session_id          uuid,
    redeemed_at         timestamptz,
    constraint invites_token_hash_key unique (token_hash),
    constraint invites_candidate_fk foreign key (tenant_id, candidate_id)
        references interview.candidates (tenant_id, id),
    constraint invites_position_fk foreign key (tenant_id, position_id)
        references interview.positions (tenant_id, id),
    constraint invites_session_fk foreign key (tenant_id, session_id)
        references interview.interview_sessions (tenant_id, id),
    constraint invites_expire_after_creation check (expires_at > created_at),
    constraint invites_redeemed_has_session check (
        (status = 'redeemed') = (session_id is not null and redeemed_at is not null))
);
create index if not exists invites_tenant_created_idx on interview.invites (tenant_id, created_at desc);
create index if not exists invites_session_idx on interview.invites (tenant_id, session_id) where session_id is not null;

-- ---- evaluations -----------------------------------------------------------------------------------------------

-- Every attempt is kept, successful or failed; the newest one is the session's evaluation.
create table if not exists interview.evaluations (
    id             uuid        not null primary key,
    tenant_id      uuid        not null,
    session_id     uuid        not null,
    created_at     timestamptz not null,
    recommendation text check (recommendation in ('strong_hire', 'hire', 'no_hire', 'strong_no_hire')),
    summary        text check (length(summary) between 1 and 10000),
    model          text check (length(model) between 1 and 100),
    prompt_version text check (length(prompt_version) between 1 and 100),
    -- [{competency, score, rationale, evidence: [{entry, quote}]}], in the evaluator's order
    scores         jsonb check (jsonb_typeof(scores) = 'array'),
    failure_reason text check (length(failure_reason) > 0),
    constraint evaluations_session_fk foreign key (tenant_id, session_id)
        references interview.interview_sessions (tenant_id, id),
    constraint evaluations_result_or_failure check (
        (failure_reason is null) = (recommendation is not null and summary is not null and model is not null
                                    and prompt_version is not null and scores is not null)
        and (failure_reason is null or (recommendation is null and summary is null and model is null
                                        and prompt_version is null and scores is null)))
);
create index if not exists evaluations_session_idx on interview.evaluations (tenant_id, session_id, created_at desc);

-- ---- the audit log ---------------------------------------------------------------------------------------------

create table if not exists interview.audit_log (
    seq         bigint      generated always as identity primary key,
    id          uuid        not null,
    tenant_id   uuid        not null constraint audit_log_tenant_fk references interview.tenants (id),
    actor       text        not null check (length(actor) between 1 and 200),
    action      text        not null check (length(action) between 1 and 100),
    subject     text        not null check (length(subject) between 1 and 200),
    at          timestamptz not null,
    details     jsonb       not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
    recorded_at timestamptz not null default now(),
    constraint audit_log_id_key unique (id)
);
create index if not exists audit_log_tenant_at_idx on interview.audit_log (tenant_id, at desc, seq desc);

-- Append-only for everyone, service_role included (it skips row-level security, not triggers).
create or replace function interview.refuse_audit_change() returns trigger
    language plpgsql
    set search_path to ''
as $func$
begin
    raise exception 'the audit log is append-only' using errcode = '42501';
end
$func$;

drop trigger if exists audit_log_append_only on interview.audit_log;
create trigger audit_log_append_only
    before update or delete on interview.audit_log
    for each row execute function interview.refuse_audit_change();
drop trigger if exists audit_log_no_truncate on interview.audit_log;
create trigger audit_log_no_truncate
    before truncate on interview.audit_log
    for each statement execute function interview.refuse_audit_change();
