-- A proxy session's call audio becomes playable like the browser's recording (ADR 0021, amended). Re-runnable.
--
-- api.video's webhook names the video it encoded; for the call audio's video it used to match no session (only
-- recording_video_id was looked up), so the call audio never got where it plays. The webhook now finds the session
-- by either video, through an index of its own for each, and the call audio keeps its playback URL.
alter table interview.interview_sessions
    add column if not exists call_audio_url text check (call_audio_url ~ '^https://');

-- A URL only for a call audio that exists.
alter table interview.interview_sessions drop constraint if exists interview_sessions_call_audio_url_shape;
alter table interview.interview_sessions add constraint interview_sessions_call_audio_url_shape
    check (call_audio_url is null or call_audio_video_id is not null);

create index if not exists interview_sessions_call_audio_video_idx
    on interview.interview_sessions (call_audio_video_id) where call_audio_video_id is not null;
