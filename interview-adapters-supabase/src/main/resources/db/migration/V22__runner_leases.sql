-- Runner leases (ADR 0018): which runner serves each live session, where it listens, and which control-plane
-- instance vouches that it still runs, until when. Any instance finds a session's runner here, so a candidate or a
-- staff member who comes back through another instance rejoins the same runner; an expired lease means the runner
-- (or the instance that ran it) is gone, and the session gets a fresh runner. One lease per session; a takeover is a
-- conditional upsert, so of two instances replacing one lost runner exactly one wins.
--
-- Service-only, like the shared limits (V4): a lease is the control plane's own bookkeeping, written and read by its
-- system jobs (start, rejoin, renewal, teardown) and never on a tenant principal's behalf; it holds no personal data
-- and nothing a tenant may change. RLS is on and forced with no policy, so a principal's scope sees and changes
-- nothing; only service_role (BYPASSRLS) touches it. A session's deletion (erasure, offboarding) takes its lease.
-- Re-runnable, like every migration here.

create table if not exists interview.runner_leases (
    session_id      uuid        not null primary key,
    tenant_id       uuid        not null,
    runner_id       text        not null check (length(runner_id) between 1 and 200),
    runner_name     text        not null check (length(runner_name) between 1 and 63),
    runner_endpoint text        not null check (runner_endpoint ~ '^wss?://' and length(runner_endpoint) <= 2000),
    holder          text        not null check (length(holder) between 1 and 200),
    renewed_at      timestamptz not null,
    expires_at      timestamptz not null,
    constraint runner_leases_expiry check (expires_at >= renewed_at),
    constraint runner_leases_session_fk foreign key (tenant_id, session_id)
        references interview.interview_sessions (tenant_id, id) on delete cascade
);
create index if not exists runner_leases_holder on interview.runner_leases (holder);

alter table interview.runner_leases enable row level security;
alter table interview.runner_leases force row level security;

revoke all on interview.runner_leases from public, anon, authenticated;
grant select, insert, update, delete on interview.runner_leases to service_role;
