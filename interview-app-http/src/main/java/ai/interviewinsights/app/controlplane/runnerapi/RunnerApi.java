package ai.interviewinsights.app.controlplane.runnerapi;

import static ai.interviewinsights.app.web.WireValues.enumOf;
import static ai.interviewinsights.app.web.WireValues.require;
import static ai.interviewinsights.app.web.WireValues.wire;

import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The runner's internal API (docs/protocol.md, "The runner's internal API"; docs/openapi.yaml, tag {@code runner}):
 * the paths and the JSON shapes a runner and its control plane exchange, serialised snake_case. A contract of its
 * own, apart from the public API's records ({@code PublicApi}): a transcript entry here is what a runner writes, and
 * the report's entry can change without changing it.
 */
public final class RunnerApi {

    public static final String ASSIGNMENT = "/internal/runner/assignment";
    public static final String CALL = "/internal/runner/call";
    public static final String TRANSCRIPT = "/internal/runner/transcript";
    public static final String TRANSCRIPT_DROPPED = "/internal/runner/transcript/dropped";
    public static final String END = "/internal/runner/end";
    public static final String FAIL = "/internal/runner/fail";
    public static final String CLIENT_EVENT_REFUSED = "/internal/runner/client-event-refused";
    public static final String CALL_AUDIO_GRANT = "/internal/runner/call-audio/grant";
    public static final String CALL_AUDIO_UPLOADED = "/internal/runner/call-audio/uploaded";
    public static final String CALL_AUDIO_FAILED = "/internal/runner/call-audio/failed";
    public static final String UPSTREAM_INCIDENT = "/internal/runner/upstream-incident";

    private RunnerApi() {
    }

    /**
     * {@code GET assignment}: what the runner serves (the session's status, its call config, entries stored).
     *
     * @param deadline        when the session's time budget runs out (ISO-8601), or null before its call connected
     * @param recordCallAudio whether a proxy runner records the call's audio and uploads it at the end (null: no)
     */
    public record AssignmentView(String status, long storedEntries, RealtimeConfigView realtime, String deadline,
                                 Boolean recordCallAudio) {
        public AssignmentView(String status, long storedEntries, RealtimeConfigView realtime, String deadline) {
            this(status, storedEntries, realtime, deadline, null);
        }
    }

    /**
     * The reply to {@code POST call-audio/grant}: a delegated upload token into the session's call-audio video and
     * where to upload with it (api.video's {@code POST /upload}). The token is a credential: never logged.
     */
    public record CallAudioGrantView(String videoId, String uploadToken, String expiresAt, String uploadUrl) {
        @Override
        public String toString() {
            return "CallAudioGrantView[" + videoId + ", token ***]";
        }
    }

    /** {@code POST call-audio/uploaded}: the whole file is in the video. */
    public record CallAudioUploadedBody(String videoId, long bytes, double seconds) {
    }

    /** {@code POST call-audio/failed}: the runner gave up storing the call audio, with a stable code. */
    public record CallAudioFailedBody(String code) {
    }

    /** The interview's Realtime session config, as the runner relays it to OpenAI. */
    public record RealtimeConfigView(String instructions, String voice, String model, String transcriptionModel,
                                     String transcriptionLanguage, long maxDurationSeconds, String safetyIdentifier) {
        public static RealtimeConfigView of(RealtimeSessionConfig c) {
            return new RealtimeConfigView(c.instructions(), c.voice(), c.model(), c.transcriptionModel(),
                    c.transcriptionLanguage(), c.maxDuration().toSeconds(), c.safetyIdentifier());
        }

        public RealtimeSessionConfig toDomain() {
            return new RealtimeSessionConfig(instructions, voice, model, transcriptionModel, transcriptionLanguage,
                    Duration.ofSeconds(maxDurationSeconds), safetyIdentifier);
        }
    }

    /** {@code POST call}: the call the runner relayed is connected. */
    public record CallConnectedBody(String callId) {
    }

    /** {@code POST transcript}: finished entries to store, exactly once each. */
    public record TranscriptBatch(List<Entry> entries) {
    }

    /** One transcript entry as a runner writes it. */
    public record Entry(String key, long position, String speaker, String text, Instant spokenAt, String source,
                        String status, Long audioEndMs, String failureReason) {
        public static Entry of(TranscriptEntry e) {
            return new Entry(e.key().value(), e.position(), e.speaker().wireName(), e.text(), e.spokenAt(),
                    wire(e.source().name()), wire(e.status().name()),
                    e.truncatedAt().map(Duration::toMillis).orElse(null), e.failure().orElse(null));
        }

        public TranscriptEntry toDomain(SessionId session) {
            EntryStatus entryStatus = status == null ? EntryStatus.COMPLETE : enumOf(EntryStatus.class, status,
                    "status");
            return new TranscriptEntry(session, IdempotencyKey.of(key), Speaker.fromWire(speaker),
                    text == null ? "" : text, require(spokenAt, "spoken_at"), position,
                    source == null ? TranscriptSource.SIDEBAND : enumOf(TranscriptSource.class, source, "source"),
                    entryStatus, audioEndMs == null ? null : Duration.ofMillis(audioEndMs), failureReason);
        }
    }

    /** The reply to {@code POST transcript}: which keys were stored now and which were already. */
    public record AppendView(List<String> stored, List<String> duplicates) {
        public static AppendView of(AppendResult r) {
            return new AppendView(r.stored().stream().map(IdempotencyKey::value).toList(),
                    r.duplicates().stream().map(IdempotencyKey::value).toList());
        }
    }

    /** {@code POST transcript/dropped}: a runner gave up on one entry the control plane refused for good. */
    public record DroppedEntryBody(String key, String code, String reason) {
    }

    /** {@code POST client-event-refused}: a proxy runner refused a browser client event (names only, no values). */
    public record RefusedClientEventBody(String type, String reason, List<String> fields) {
    }

    /** {@code POST upstream-incident}: a proxy runner's socket to OpenAI dropped and came back, or was lost (codes). */
    public record UpstreamIncidentBody(String code, Integer attempts, String cause) {
    }

    /** {@code POST end}: the interview is over (the reason in lower case) and where its recording is. */
    public record RunnerEndBody(String reason, String recordingUrl, String videoId) {
    }

    /** {@code POST fail}: the runner cannot go on. */
    public record RunnerFailBody(String reason) {
    }
}
