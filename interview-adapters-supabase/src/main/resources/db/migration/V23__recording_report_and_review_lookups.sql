-- Issue 13, decision 0019. Re-runnable.
--
-- 1. The browser reports the api.video video it uploaded to in end_session; the runner forwards it and the session
--    keeps when that report came (recording_reported_at). The video id itself is the one the control plane issued
--    the upload token for (recording_video_id, set at start): a reported id that differs is refused, not stored.
alter table interview.interview_sessions add column if not exists recording_reported_at timestamptz;

-- 2. Reviewers' overrides stay audit events (the one record; append-only); they are read back per session in SQL,
--    so an override is found however many events the tenant has logged since.
create index if not exists audit_log_subject_idx on interview.audit_log (tenant_id, subject, action, at, seq);

-- 3. The console's session list is filtered and paged in SQL, newest first with the id as tie-break (a stable order
--    for offset paging). The existing (tenant_id, created_at desc) index serves the unfiltered list; these serve
--    filters by status and by position.
create index if not exists interview_sessions_status_created_idx
    on interview.interview_sessions (tenant_id, status, created_at desc, id);
create index if not exists interview_sessions_position_created_idx
    on interview.interview_sessions (tenant_id, position_id, created_at desc, id);
