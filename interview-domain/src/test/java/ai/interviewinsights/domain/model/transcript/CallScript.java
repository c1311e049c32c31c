package ai.interviewinsights.domain.model.transcript;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes realistic Realtime event sequences the way the GA server emits them, one clock tick per event, so tests
 * read like a call log.
 */
final class CallScript {

    private Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private final TranscriptSource source;
    final List<RealtimeEvent> events = new ArrayList<>();

    CallScript(TranscriptSource source) {
        this.source = source;
    }

    private Instant tick() {
        now = now.plus(Duration.ofMillis(250));
        return now;
    }

    CallScript added(String item, String previous, Speaker speaker) {
        events.add(new RealtimeEvent.ItemAdded(item, previous, speaker, null, source, tick()));
        return this;
    }

    CallScript aiSays(String item, String... deltas) {
        for (String delta : deltas) {
            events.add(new RealtimeEvent.OutputTranscriptDelta(item, delta, source, tick()));
        }
        return this;
    }

    CallScript aiDone(String item, String transcript) {
        events.add(new RealtimeEvent.OutputTranscriptDone(item, transcript, source, tick()));
        return this;
    }

    CallScript userDelta(String item, String delta) {
        events.add(new RealtimeEvent.InputTranscriptionDelta(item, delta, source, tick()));
        return this;
    }

    CallScript userCompleted(String item, String transcript) {
        events.add(new RealtimeEvent.InputTranscriptionCompleted(item, transcript, source, tick()));
        return this;
    }

    CallScript userFailed(String item, String reason) {
        events.add(new RealtimeEvent.InputTranscriptionFailed(item, reason, source, tick()));
        return this;
    }

    CallScript truncated(String item, long audioEndMs) {
        events.add(new RealtimeEvent.ItemTruncated(item, audioEndMs, source, tick()));
        return this;
    }

    CallScript error(String code) {
        events.add(new RealtimeEvent.ServerError("invalid_request_error", code, "something odd", source, tick()));
        return this;
    }
}
