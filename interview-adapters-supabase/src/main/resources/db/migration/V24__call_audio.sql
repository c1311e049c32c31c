-- Issue 12 (proxy architecture, its recording hook), decision 0021. Re-runnable.
--
-- A proxy runner records the call's own audio (both sides) and uploads it to api.video, into a video of its own
-- beside the browser's camera recording, with a delegated upload token the control plane grants it (the runner never
-- holds the API key). The session keeps that video's id (findable from the report; erasure, retention and
-- cancellation delete it with the browser's video), when it was granted, and how the upload ended: uploaded at, or the
-- stable code it failed with. A row update under the existing policies: a runner may only update its own session.
alter table interview.interview_sessions
    add column if not exists call_audio_video_id text
        check (length(call_audio_video_id) between 1 and 128 and call_audio_video_id !~ '[^A-Za-z0-9_-]'),
    add column if not exists call_audio_granted_at timestamptz,
    add column if not exists call_audio_uploaded_at timestamptz,
    add column if not exists call_audio_failure text check (length(call_audio_failure) between 1 and 100);

-- Both are set together, and an upload ends one way only.
alter table interview.interview_sessions drop constraint if exists interview_sessions_call_audio_shape;
alter table interview.interview_sessions add constraint interview_sessions_call_audio_shape check (
    (call_audio_video_id is null) = (call_audio_granted_at is null)
    and (call_audio_uploaded_at is null or call_audio_failure is null)
    and (call_audio_video_id is not null or (call_audio_uploaded_at is null and call_audio_failure is null)));
