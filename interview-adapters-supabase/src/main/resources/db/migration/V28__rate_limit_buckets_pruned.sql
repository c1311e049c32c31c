-- Rate-limit buckets are pruned once full again. Re-runnable.
--
-- A bucket is one row per key (V4), and keys are made by callers: a client address, an invite token tried, a
-- (caller, session) pair asking for a recording grant. Nothing ever deleted a row, so the table grew with every key
-- ever limited - without bound under a scan of invite tokens from many addresses. A bucket that has refilled to its
-- capacity is the same as no row at all (a first take inserts capacity - 1 tokens), so each row now carries the time
-- it is full again, and rows past it are deleted now and then (PostgresRateLimits).
alter table interview.rate_limit_buckets add column if not exists full_at timestamptz;

-- Rows from before this migration: every limit the app set until now refilled within a minute; a day is ample.
update interview.rate_limit_buckets set full_at = updated_at + interval '1 day' where full_at is null;
-- An instance still on the previous version (a rolling deploy) inserts without full_at: its rows get the same day.
alter table interview.rate_limit_buckets alter column full_at set default statement_timestamp() + interval '1 day';
alter table interview.rate_limit_buckets alter column full_at set not null;

-- No index on full_at: every take rewrites it, and an indexed column would keep each take from updating its row in
-- place (a HOT update); the pruning's scan reads a table pruned to about one period's keys.
