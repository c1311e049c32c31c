-- State that several control-plane instances must share to behave as one: rate-limit buckets and the ledger of
-- webhook deliveries already claimed. Platform-level, not tenant data: only service_role (system jobs) touches
-- them; RLS is on and forced with no policy for anyone else, so a principal's scope sees and changes nothing.
-- Re-runnable, like every migration here (applied by hand or twice by a CLI).

create table if not exists interview.rate_limit_buckets (
    key        text primary key check (length(key) between 1 and 200),
    tokens     double precision not null,
    updated_at timestamptz not null
);

create table if not exists interview.webhook_deliveries (
    source     text not null check (length(source) between 1 and 50),
    key        text not null check (length(key) between 1 and 500),
    claimed_at timestamptz not null default statement_timestamp(),
    primary key (source, key)
);
create index if not exists webhook_deliveries_claimed_at on interview.webhook_deliveries (claimed_at);

alter table interview.rate_limit_buckets enable row level security;
alter table interview.rate_limit_buckets force row level security;
alter table interview.webhook_deliveries enable row level security;
alter table interview.webhook_deliveries force row level security;

revoke all on interview.rate_limit_buckets, interview.webhook_deliveries from public, anon, authenticated;
grant select, insert, update, delete on interview.rate_limit_buckets, interview.webhook_deliveries to service_role;
