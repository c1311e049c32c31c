package ai.interviewinsights.app.runner.protocol;

import ai.interviewinsights.app.web.IsoInstants;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptBatch;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A message the browser sends to its runner over the WebSocket (docs/protocol.md, "Client to runner"). Each type is a
 * record in the wire's own shape; {@link RunnerProtocol} reads them, and the runner handles them through
 * {@link Handler}, so a new message type does not compile until it is handled. What the domain needs (a
 * {@link NegotiateSdp}, {@link ClientEntry}s, a recording URL) is made from a record when the message is handled, with
 * the same stable error codes as ever ({@code protocol.missing_sdp}, {@code invalid.*}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ClientMessage.SdpOffer.class),
        @JsonSubTypes.Type(ClientMessage.TranscriptUpdate.class),
        @JsonSubTypes.Type(ClientMessage.EndSession.class),
        @JsonSubTypes.Type(ClientMessage.Ping.class)})
public sealed interface ClientMessage {

    /** Passes this message to the handler's method for its type. */
    void accept(Handler handler);

    /** One method per client message type: what the runner does with each. */
    interface Handler {
        void sdpOffer(SdpOffer offer);

        void transcriptUpdate(TranscriptUpdate update);

        void endSession(EndSession end);

        void ping(Ping ping);
    }

    /** {@code sdp_offer}: the browser's offer, relayed to OpenAI and answered with {@code sdp_answer}. */
    @JsonTypeName("sdp_offer")
    record SdpOffer(String sdp) implements ClientMessage {
        /** The offer as the use case takes it; an offer without {@code sdp} is {@code protocol.missing_sdp}. */
        public NegotiateSdp command() {
            if (sdp == null) {
                throw DomainException.invalid("protocol.missing_sdp", "sdp_offer needs an sdp field");
            }
            return new NegotiateSdp(sdp);
        }

        @Override
        public void accept(Handler handler) {
            handler.sdpOffer(this);
        }
    }

    /** {@code transcript_update}: entries the browser saw on its data channel, acknowledged by one ack. */
    @JsonTypeName("transcript_update")
    record TranscriptUpdate(List<Entry> entries) implements ClientMessage {
        /** The entries as the domain takes them; {@code now} stands in for a missing timestamp. */
        public List<ClientEntry> clientEntries(Instant now) {
            return Entry.toClientEntries(entries, now);
        }

        @Override
        public void accept(Handler handler) {
            handler.transcriptUpdate(this);
        }
    }

    /**
     * {@code end_session}: the candidate ends the interview, optionally with the room's api.video video id (or a
     * recording URL) and the last entries.
     */
    @JsonTypeName("end_session")
    record EndSession(String recordingUrl, FinalTranscript finalTranscript, String videoId) implements ClientMessage {
        /**
         * What the browser reports of its recording, or null: a malformed video id is {@code invalid.video_id}, a
         * URL that is not absolute https is {@code invalid.recording_url}.
         */
        public RecordingReport recording() {
            return RecordingReport.parse(videoId, recordingUrl);
        }

        public List<ClientEntry> finalEntries(Instant now) {
            return finalTranscript == null ? List.of() : Entry.toClientEntries(finalTranscript.entries(), now);
        }

        @Override
        public void accept(Handler handler) {
            handler.endSession(this);
        }
    }

    /** {@code ping}: answered with {@code pong}. */
    @JsonTypeName("ping")
    record Ping() implements ClientMessage {
        @Override
        public void accept(Handler handler) {
            handler.ping(this);
        }
    }

    /** {@code final_transcript} of {@code end_session}: an array of entries, or an object holding one. */
    record FinalTranscript(List<Entry> entries) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public FinalTranscript {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static FinalTranscript of(List<Entry> entries) {
            return new FinalTranscript(entries);
        }
    }

    /**
     * One transcript entry as the browser sends it: the design documents' {@code {text, speaker, timestamp}}, plus
     * {@code item_id}, {@code previous_item_id}, {@code key} and {@code partial}, which let it merge with what the
     * sideband saw.
     */
    record Entry(String text, String speaker, String timestamp, String itemId, String previousItemId, String key,
                 Boolean partial) {

        static List<ClientEntry> toClientEntries(List<Entry> entries, Instant now) {
            if (entries == null) {
                return List.of();
            }
            TranscriptBatch.requireWithinLimit(entries.size());
            List<ClientEntry> result = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                if (entry == null) {
                    throw DomainException.invalid("protocol.invalid_entries", "entry " + i + " is not an object");
                }
                result.add(entry.toClientEntry(i, now));
            }
            return result;
        }

        ClientEntry toClientEntry(int index, Instant now) {
            if (text == null) {
                throw DomainException.invalid("invalid.text", "entry " + index + " has no text");
            }
            Instant spokenAt = now;
            if (timestamp != null) {
                try {
                    spokenAt = IsoInstants.parse(timestamp);
                } catch (DateTimeParseException e) {
                    throw DomainException.invalid("invalid.timestamp", "entry " + index
                            + ": timestamp must be ISO-8601");
                }
            }
            Speaker who = Speaker.fromWire(speaker);
            IdempotencyKey idempotencyKey = key != null ? IdempotencyKey.of(key)
                    // Without key or timestamp the arrival time must not go into the key: a resend is the same entry.
                    : itemId == null && timestamp == null ? IdempotencyKey.derived(who, text) : null;
            return new ClientEntry(idempotencyKey, itemId, previousItemId, who, text, spokenAt,
                    Boolean.TRUE.equals(partial));
        }
    }
}
