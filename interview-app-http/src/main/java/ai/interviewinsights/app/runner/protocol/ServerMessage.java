package ai.interviewinsights.app.runner.protocol;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message the runner sends to the browser over the WebSocket (docs/protocol.md, "Runner to client"). Each type is a
 * record in the wire's own shape, written by {@link RunnerProtocol#encode}: the {@code type} first, then the fields in
 * the order given here, absent optional fields left out.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ServerMessage.SdpAnswer.class),
        @JsonSubTypes.Type(ServerMessage.TranscriptAck.class),
        @JsonSubTypes.Type(ServerMessage.Status.class),
        @JsonSubTypes.Type(ServerMessage.Error.class),
        @JsonSubTypes.Type(ServerMessage.Pong.class)})
public sealed interface ServerMessage {

    /** {@code sdp_answer}: OpenAI's (or the proxy's) answer, byte for byte. */
    @JsonTypeName("sdp_answer")
    record SdpAnswer(String sdp) implements ServerMessage {
        public SdpAnswer {
            Objects.requireNonNull(sdp, "sdp");
        }
    }

    /** {@code transcript_ack}: the keys a request (or the sideband) made durable, and those still pending. */
    @JsonTypeName("transcript_ack")
    @JsonPropertyOrder({"stored", "duplicates", "pending"})
    record TranscriptAck(List<String> stored, List<String> duplicates, List<String> pending) implements ServerMessage {
        public TranscriptAck {
            stored = List.copyOf(stored);
            duplicates = List.copyOf(duplicates);
            pending = List.copyOf(pending);
        }

        public static TranscriptAck of(List<IdempotencyKey> stored, List<IdempotencyKey> duplicates,
                                       List<IdempotencyKey> pending) {
            return new TranscriptAck(values(stored), values(duplicates), values(pending));
        }

        private static List<String> values(List<IdempotencyKey> keys) {
            if (keys.isEmpty()) {
                return List.of();
            }
            // Sent for every transcript_update: one array, no stream, and no second copy in the constructor.
            String[] values = new String[keys.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = keys.get(i).value();
            }
            return List.of(values);
        }
    }

    /** {@code status}: where the interview stands for this connection. */
    @JsonTypeName("status")
    @JsonPropertyOrder({"status", "session_id", "deadline", "reason"})
    record Status(State status, String sessionId, Instant deadline, String reason) implements ServerMessage {
        public Status {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(sessionId, "sessionId");
        }

        /** The states a connection is told about, as the wire spells them. */
        public enum State {
            @JsonProperty("connected") CONNECTED,
            @JsonProperty("active") ACTIVE,
            @JsonProperty("replaced") REPLACED,
            @JsonProperty("interrupted") INTERRUPTED,
            @JsonProperty("ended") ENDED
        }

        public Status withReason(String why) {
            return new Status(status, sessionId, deadline, why);
        }
    }

    /**
     * {@code error}: a message could not be handled (the socket stays open, except after an {@code auth.*} error).
     * {@code line} and {@code rule} say where an offer broke SDP's rules; {@code retryable} is present for errors
     * of the interview's rules and of outside services.
     */
    @JsonTypeName("error")
    @JsonPropertyOrder({"code", "message", "line", "rule", "retryable"})
    record Error(String code, String message, Integer line, String rule, Boolean retryable) implements ServerMessage {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        /** An error of the protocol itself, without {@code retryable}. */
        public static Error of(String code, String message) {
            return new Error(code, message, null, null, null);
        }

        /** An offer that broke a rule of SDP: where and which. */
        public static Error of(SdpRejectedException e) {
            return new Error(e.code(), e.getMessage(), e.violation().line(), e.violation().rule(), null);
        }

        /** A domain error, with whether trying again may help. */
        public static Error of(DomainException e) {
            return new Error(e.code(), e.getMessage(), null, null, e.retryable());
        }
    }

    /** {@code pong}: the answer to {@code ping}. */
    @JsonTypeName("pong")
    record Pong() implements ServerMessage {
    }
}
