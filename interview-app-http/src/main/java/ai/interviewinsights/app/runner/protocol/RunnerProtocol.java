package ai.interviewinsights.app.runner.protocol;

import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.web.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import java.util.List;

/**
 * The one codec of the runner's WebSocket (docs/protocol.md): reads a text frame into a {@link ClientMessage} and
 * writes a {@link ServerMessage} as a text frame. A frame that is not a message the runner knows is refused here, with
 * the reply to send: {@code protocol.message_too_large}, {@code protocol.malformed_json}, {@code protocol.unknown_type},
 * or, for a field of the wrong JSON type, the code that field's absence or malformation has
 * ({@code protocol.missing_sdp}, {@code protocol.invalid_entries}, {@code invalid.*}). Thread-safe.
 */
public final class RunnerProtocol {

    /** The largest message the runner reads: a JSON body or an SDP offer with its envelope. */
    public static final int MAX_MESSAGE_CHARS = Bodies.JSON_LIMIT + Bodies.SDP_LIMIT;

    private final ObjectMapper json = Json.mapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** A frame the runner cannot read as a message; {@link #reply()} says why, with a stable code. */
    public static final class UnreadableMessage extends Exception {
        private final ServerMessage.Error reply;

        UnreadableMessage(ServerMessage.Error reply) {
            super(reply.code(), null, false, false);
            this.reply = reply;
        }

        public ServerMessage.Error reply() {
            return reply;
        }
    }

    /** Reads one text frame from the browser. */
    public ClientMessage decode(String frame) throws UnreadableMessage {
        if (frame.length() > MAX_MESSAGE_CHARS) {
            throw new UnreadableMessage(ServerMessage.Error.of("protocol.message_too_large", "a message is at most "
                    + MAX_MESSAGE_CHARS + " characters; send long transcripts in several transcript_update messages"));
        }
        if (startsAsObject(frame)) {
            // The common case in one pass (decision 26: a transcript message is the runner's most frequent work).
            // Anything this pass does not read cleanly is read again below, which names exactly what is wrong.
            try {
                ClientMessage message = json.readValue(frame, ClientMessage.class);
                if (message != null) {
                    return message;
                }
            } catch (JsonProcessingException | RuntimeException e) {
                // read again below
            }
        }
        JsonNode tree;
        try {
            tree = json.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new UnreadableMessage(ServerMessage.Error.of("protocol.malformed_json",
                    "messages are JSON objects with a 'type'"));
        }
        JsonNode type = tree == null || !tree.isObject() ? null : tree.get("type");
        if (type == null || !type.isValueNode() || type.isNull()) {
            throw unknownType(type == null || type.isNull() ? "" : type.asText());
        }
        try {
            return json.treeToValue(tree, ClientMessage.class);
        } catch (InvalidTypeIdException e) {
            throw unknownType(type.asText());
        } catch (JsonProcessingException e) {
            throw new UnreadableMessage(badField(type.asText(), e instanceof JsonMappingException m ? m.getPath()
                    : List.of()));
        }
    }

    /** Whether the frame's first non-blank character opens an object (an array is never a message). */
    private static boolean startsAsObject(String frame) {
        for (int i = 0; i < frame.length(); i++) {
            char c = frame.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    /** Writes one message for the browser. */
    public String encode(ServerMessage message) {
        if (message instanceof ServerMessage.TranscriptAck ack) {
            return encodeAck(ack);
        }
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a server message could not be written", e);
        }
    }

    /**
     * A {@code transcript_ack} written directly, byte for byte what the mapper writes (RunnerProtocolTest holds both
     * to the same bytes): it is the reply to every {@code transcript_update} (its {@code pending} form) and to every
     * write, so it skips the mapper's polymorphic serializer lookup and generator for a few quoted keys (decision
     * 26). The keys are escaped by Jackson's own string encoder, with the generator's default escapes.
     */
    private static String encodeAck(ServerMessage.TranscriptAck ack) {
        StringBuilder out = new StringBuilder(64 + 40 * (ack.stored().size() + ack.duplicates().size()
                + ack.pending().size()));
        out.append("{\"type\":\"transcript_ack\",\"stored\":");
        appendKeys(out, ack.stored());
        out.append(",\"duplicates\":");
        appendKeys(out, ack.duplicates());
        out.append(",\"pending\":");
        appendKeys(out, ack.pending());
        return out.append('}').toString();
    }

    private static void appendKeys(StringBuilder out, List<String> keys) {
        out.append('[');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(keys.get(i), out);
            out.append('"');
        }
        out.append(']');
    }

    private static UnreadableMessage unknownType(String type) {
        return new UnreadableMessage(ServerMessage.Error.of("protocol.unknown_type", "unknown message type '"
                + type.replaceAll("[^A-Za-z0-9_.-]", "?") + "'"));
    }

    /**
     * A field of the wrong JSON type (an object where text belongs, say) gets the code its absence or malformation
     * has, and like those errors it is not worth retrying.
     */
    private static ServerMessage.Error badField(String type, List<JsonMappingException.Reference> path) {
        String field = path.isEmpty() ? "" : String.valueOf(path.get(0).getFieldName());
        if ("sdp".equals(field)) {
            return invalid("protocol.missing_sdp", "sdp_offer needs an sdp field (text)");
        }
        if ("recording_url".equals(field)) {
            return invalid("invalid.recording_url", "a recording URL must be an absolute https URL");
        }
        if ("entries".equals(field) || "final_transcript".equals(field)) {
            int at = "final_transcript".equals(field) && path.size() > 1 && "entries".equals(path.get(1)
                    .getFieldName()) ? 2 : 1;
            if (path.size() <= at || path.get(at).getIndex() < 0) {
                return invalid("protocol.invalid_entries", "entries must be an array");
            }
            int index = path.get(at).getIndex();
            if (path.size() == at + 1) {
                return invalid("protocol.invalid_entries", "entry " + index + " is not an object");
            }
            return invalid("protocol.invalid_entries", "entry " + index + ": '"
                    + String.valueOf(path.get(at + 1).getFieldName()).replaceAll("[^A-Za-z0-9_.-]", "?")
                    + "' has the wrong type");
        }
        return invalid("protocol.invalid_field", "a field of this " + type.replaceAll("[^A-Za-z0-9_.-]", "?")
                + " message has the wrong type");
    }

    private static ServerMessage.Error invalid(String code, String message) {
        return new ServerMessage.Error(code, message, null, null, false);
    }
}
