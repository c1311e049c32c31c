-- Notice and consent (issue 13): each tenant's notice wording, and every candidate's consent, kept with the
-- interview session. A consent record names the exact words shown (text and its version), when, and to what. It is
-- append-only like the audit log; the audit log gets a line as well (written by the application).

create table if not exists interview.consent_notices (
    tenant_id        uuid        primary key constraint consent_notices_tenant_fk references interview.tenants (id),
    ai_notice        text        not null check (length(ai_notice) between 1 and 4000),
    recording_notice text        not null check (length(recording_notice) between 1 and 4000),
    updated_at       timestamptz not null default now()
);

create table if not exists interview.consents (
    id             uuid        primary key,
    tenant_id      uuid        not null constraint consents_tenant_fk references interview.tenants (id),
    session_id     uuid        not null,
    notice_version text        not null check (length(notice_version) between 1 and 40),
    notice_text    text        not null check (length(notice_text) between 1 and 8002),
    ai_evaluation  boolean     not null check (ai_evaluation),
    recording      boolean     not null,
    consented_at   timestamptz not null,
    actor          text        not null check (length(actor) between 1 and 200),
    constraint consents_session_key unique (session_id),
    constraint consents_session_fk foreign key (tenant_id, session_id)
        references interview.interview_sessions (tenant_id, id)
);
create index if not exists consents_tenant_idx on interview.consents (tenant_id, consented_at desc);

drop trigger if exists consents_append_only on interview.consents;
create trigger consents_append_only
    before update or delete on interview.consents
    for each row execute function interview.refuse_audit_change();

revoke all on interview.consent_notices, interview.consents from public, anon, authenticated, service_role;
grant select, insert, update on interview.consent_notices to authenticated;
grant select, insert on interview.consents to authenticated;
grant select, insert, update, delete on interview.consent_notices to service_role;
grant select, insert on interview.consents to service_role;

alter table interview.consent_notices enable row level security;
alter table interview.consent_notices force row level security;
alter table interview.consents enable row level security;
alter table interview.consents force row level security;

-- notices: everyone in the tenant reads its wording; admins set it.
drop policy if exists consent_notices_select on interview.consent_notices;
create policy consent_notices_select on interview.consent_notices for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid));
drop policy if exists consent_notices_admin_insert on interview.consent_notices;
create policy consent_notices_admin_insert on interview.consent_notices for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');
drop policy if exists consent_notices_admin_update on interview.consent_notices;
create policy consent_notices_admin_update on interview.consent_notices for update to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin')
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');

-- consents: the tenant's staff and the session's own candidate read it; only that candidate records it (an invite
-- link records it as a service_role job, nobody being signed in yet); runners never see it.
drop policy if exists consents_select on interview.consents;
create policy consents_select on interview.consents for select to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') in ('admin', 'interviewer')
                or ((select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'candidate'
                    and session_id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid))));
drop policy if exists consents_insert on interview.consents;
create policy consents_insert on interview.consents for insert to authenticated
    with check (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
                and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'candidate'
                and session_id = (select (auth.jwt() -> 'app_metadata' ->> 'session_id')::uuid));
