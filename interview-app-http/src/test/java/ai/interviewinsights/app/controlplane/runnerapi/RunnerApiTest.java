package ai.interviewinsights.app.controlplane.runnerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.transcript.EntryStatus;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The runner's internal API as its own contract: a transcript entry is written as runners have always written it
 * (the wire did not change when the records left the public API's), and read back into the same domain entry.
 */
class RunnerApiTest {

    private final ObjectMapper json = Json.mapper();
    private final SessionId session = new SessionId(UUID.fromString("5b3f8f0e-8a43-4f3c-9b7e-2f1d8c3a6e11"));

    @Test
    void a_transcript_batch_keeps_its_wire_shape_and_round_trips() throws Exception {
        TranscriptEntry entry = new TranscriptEntry(session, IdempotencyKey.of("item_1"), Speaker.CANDIDATE, "Hello",
                Instant.parse("2026-11-29T01:00:00Z"), 3, TranscriptSource.SIDEBAND, EntryStatus.TRUNCATED,
                Duration.ofMillis(1500), null);
        String wire = json.writeValueAsString(new RunnerApi.TranscriptBatch(List.of(RunnerApi.Entry.of(entry))));
        assertEquals("{\"entries\":[{\"key\":\"item_1\",\"position\":3,\"speaker\":\"candidate\",\"text\":\"Hello\","
                + "\"spoken_at\":\"2026-11-29T01:00:00Z\",\"source\":\"sideband\",\"status\":\"truncated\","
                + "\"audio_end_ms\":1500}]}", wire);
        RunnerApi.TranscriptBatch read = json.readValue(wire, RunnerApi.TranscriptBatch.class);
        assertEquals(entry, read.entries().get(0).toDomain(session));
    }

    @Test
    void the_paths_are_the_documented_ones() {
        assertEquals(List.of("/internal/runner/assignment", "/internal/runner/call", "/internal/runner/transcript",
                "/internal/runner/transcript/dropped", "/internal/runner/end", "/internal/runner/fail"),
                List.of(RunnerApi.ASSIGNMENT, RunnerApi.CALL, RunnerApi.TRANSCRIPT, RunnerApi.TRANSCRIPT_DROPPED,
                        RunnerApi.END, RunnerApi.FAIL));
    }

    @Test
    void a_call_audio_grant_has_its_wire_shape_and_never_shows_its_token() throws Exception {
        RunnerApi.CallAudioGrantView grant = new RunnerApi.CallAudioGrantView("viCall1", "to_secret_token_123",
                "2026-11-29T06:00:00Z", "https://ws.api.video/upload");
        assertEquals("{\"video_id\":\"viCall1\",\"upload_token\":\"to_secret_token_123\","
                + "\"expires_at\":\"2026-11-29T06:00:00Z\",\"upload_url\":\"https://ws.api.video/upload\"}",
                json.writeValueAsString(grant));
        org.junit.jupiter.api.Assertions.assertFalse(grant.toString().contains("to_secret_token_123"), grant.toString());
        assertEquals(List.of("/internal/runner/call-audio/grant", "/internal/runner/call-audio/uploaded",
                "/internal/runner/call-audio/failed"), List.of(RunnerApi.CALL_AUDIO_GRANT,
                RunnerApi.CALL_AUDIO_UPLOADED, RunnerApi.CALL_AUDIO_FAILED));
    }
}
