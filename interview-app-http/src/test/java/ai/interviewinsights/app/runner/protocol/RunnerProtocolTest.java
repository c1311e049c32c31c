package ai.interviewinsights.app.runner.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.model.sdp.SdpViolation;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The runner's WebSocket codec, message by message and error by error (docs/protocol.md): every client message is
 * read into its record, every server message is written byte for byte as the runner wrote it before the records
 * existed (the {@code ObjectNode} replies are rebuilt here as the reference), and every frame the runner cannot read
 * gets its stable code.
 */
class RunnerProtocolTest {

    private static final Instant NOW = Instant.parse("2026-11-29T01:00:00Z");
    private final RunnerProtocol protocol = new RunnerProtocol();

    private ClientMessage decode(String frame) throws Exception {
        return protocol.decode(frame);
    }

    private ServerMessage.Error refused(String frame) {
        return assertThrows(RunnerProtocol.UnreadableMessage.class, () -> protocol.decode(frame)).reply();
    }

    private static DomainException failsWith(String code, Supplier<?> conversion) {
        DomainException e = assertThrows(DomainException.class, conversion::get);
        assertEquals(code, e.code());
        return e;
    }

    // ---- client to runner ----------------------------------------------------------------------------------------

    @Test
    void sdp_offer_is_read_with_its_sdp() throws Exception {
        ClientMessage message = decode("{\"type\":\"sdp_offer\",\"sdp\":\"v=0\\r\\n\"}");
        ClientMessage.SdpOffer offer = assertInstanceOf(ClientMessage.SdpOffer.class, message);
        assertEquals("v=0\r\n", offer.command().offer());
    }

    @Test
    void sdp_offer_without_sdp_is_protocol_missing_sdp() throws Exception {
        ClientMessage.SdpOffer offer = (ClientMessage.SdpOffer) decode("{\"type\":\"sdp_offer\"}");
        DomainException e = failsWith("protocol.missing_sdp", offer::command);
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        ServerMessage.Error wrongType = refused("{\"type\":\"sdp_offer\",\"sdp\":{\"text\":\"v=0\"}}");
        assertEquals("protocol.missing_sdp", wrongType.code());
        assertEquals(Boolean.FALSE, wrongType.retryable());
    }

    @Test
    void transcript_update_is_read_with_every_entry_field() throws Exception {
        ClientMessage.TranscriptUpdate update = (ClientMessage.TranscriptUpdate) decode("""
                {"type":"transcript_update","extra":"ignored","entries":[
                 {"text":"Hello","speaker":"assistant","timestamp":"2026-11-29T00:59:00Z","item_id":"item_1",
                  "previous_item_id":"item_0","key":"item_1","partial":true},
                 {"text":"Hi","speaker":"candidate"},
                 {"text":"No key","speaker":"ai","timestamp":"2026-11-29T00:59:30Z"}]}""");
        List<ClientEntry> entries = update.clientEntries(NOW);
        assertEquals(3, entries.size());
        ClientEntry first = entries.get(0);
        assertEquals(IdempotencyKey.of("item_1"), first.key());
        assertEquals("item_1", first.itemId());
        assertEquals("item_0", first.previousItemId());
        assertEquals(Speaker.AI, first.speaker());
        assertEquals("Hello", first.text());
        assertEquals(Instant.parse("2026-11-29T00:59:00Z"), first.spokenAt());
        assertTrue(first.partial());
        // Neither key nor timestamp: the key comes from the content, the arrival time stands in for the timestamp.
        ClientEntry second = entries.get(1);
        assertEquals(IdempotencyKey.derived(Speaker.CANDIDATE, "Hi"), second.key());
        assertEquals(NOW, second.spokenAt());
        assertEquals(false, second.partial());
        org.junit.jupiter.api.Assertions.assertNotEquals(IdempotencyKey.derived(Speaker.AI, "No key"), entries.get(2).key(),
                "with a timestamp the key is derived from speaker, timestamp and text");
        assertEquals(List.of(), ((ClientMessage.TranscriptUpdate) decode("{\"type\":\"transcript_update\"}"))
                .clientEntries(NOW));
    }

    @Test
    void end_session_is_read_with_a_recording_and_a_final_transcript_in_either_shape() throws Exception {
        String entry = "{\"text\":\"Bye\",\"speaker\":\"user\",\"key\":\"last\"}";
        ClientMessage.EndSession asArray = (ClientMessage.EndSession) decode(
                "{\"type\":\"end_session\",\"recording_url\":\"https://videos.example/v1\",\"final_transcript\":["
                        + entry + "]}");
        assertEquals(java.util.Optional.of(URI.create("https://videos.example/v1")), asArray.recording().playbackUrl());
        assertEquals(java.util.Optional.empty(), asArray.recording().video());
        ClientMessage.EndSession withVideo = (ClientMessage.EndSession) decode(
                "{\"type\":\"end_session\",\"video_id\":\"vi4blUQJFrYWbaG44NChkH27\"}");
        assertEquals(java.util.Optional.of(new ai.interviewinsights.domain.model.recording.VideoId(
                "vi4blUQJFrYWbaG44NChkH27")), withVideo.recording().video());
        ClientMessage.EndSession badVideo = (ClientMessage.EndSession) decode(
                "{\"type\":\"end_session\",\"video_id\":\"not a video id\"}");
        assertEquals("invalid.video_id", org.junit.jupiter.api.Assertions.assertThrows(
                ai.interviewinsights.domain.model.DomainException.class, badVideo::recording).code());
        assertEquals(IdempotencyKey.of("last"), asArray.finalEntries(NOW).get(0).key());
        ClientMessage.EndSession asObject = (ClientMessage.EndSession) decode(
                "{\"type\":\"end_session\",\"final_transcript\":{\"entries\":[" + entry + "]}}");
        assertNull(asObject.recording());
        assertEquals(Speaker.CANDIDATE, asObject.finalEntries(NOW).get(0).speaker());
        ClientMessage.EndSession bare = (ClientMessage.EndSession) decode("{\"type\":\"end_session\"}");
        assertNull(bare.recording());
        assertEquals(List.of(), bare.finalEntries(NOW));
    }

    @Test
    void ping_is_read() throws Exception {
        assertInstanceOf(ClientMessage.Ping.class, decode("{\"type\":\"ping\"}"));
    }

    @Test
    void every_client_message_type_reaches_its_own_handler_method() throws Exception {
        StringBuilder seen = new StringBuilder();
        ClientMessage.Handler handler = new ClientMessage.Handler() {
            @Override
            public void sdpOffer(ClientMessage.SdpOffer offer) {
                seen.append("offer ");
            }

            @Override
            public void transcriptUpdate(ClientMessage.TranscriptUpdate update) {
                seen.append("update ");
            }

            @Override
            public void endSession(ClientMessage.EndSession end) {
                seen.append("end ");
            }

            @Override
            public void ping(ClientMessage.Ping ping) {
                seen.append("ping");
            }
        };
        for (String type : List.of("sdp_offer", "transcript_update", "end_session", "ping")) {
            decode("{\"type\":\"" + type + "\"}").accept(handler);
        }
        assertEquals("offer update end ping", seen.toString());
    }

    // ---- frames the runner cannot read ---------------------------------------------------------------------------

    @Test
    void a_message_over_the_limit_is_protocol_message_too_large() {
        String frame = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(RunnerProtocol.MAX_MESSAGE_CHARS) + "\"}";
        ServerMessage.Error error = refused(frame);
        assertEquals("protocol.message_too_large", error.code());
        assertTrue(error.message().contains(String.valueOf(RunnerProtocol.MAX_MESSAGE_CHARS)));
        assertNull(error.retryable());
    }

    @Test
    void text_that_is_not_json_is_protocol_malformed_json() {
        for (String frame : List.of("{", "not json", "{\"type\":\"ping\"} trailing")) {
            ServerMessage.Error error = refused(frame);
            assertEquals("protocol.malformed_json", error.code(), frame);
            assertEquals("messages are JSON objects with a 'type'", error.message());
        }
    }

    @Test
    void an_unknown_or_missing_type_is_protocol_unknown_type() {
        assertEquals("unknown message type 'sdp_answer'", refused("{\"type\":\"sdp_answer\"}").message());
        assertEquals("unknown message type 'x?y'", refused("{\"type\":\"x<y\"}").message(), "sanitised");
        assertEquals("unknown message type '7'", refused("{\"type\":7}").message());
        // An array is never a message, not even in Jackson's [type, value] shape (the one-pass read only takes objects).
        for (String frame : List.of("{}", "{\"type\":null}", "{\"type\":{}}", "[]", "\"ping\"", "null", "",
                "[\"ping\", {}]", " [\"ping\", {}]")) {
            ServerMessage.Error error = refused(frame);
            assertEquals("protocol.unknown_type", error.code(), frame);
            assertEquals("unknown message type ''", error.message(), frame);
            assertNull(error.retryable());
        }
    }

    @Test
    void malformed_entries_are_protocol_invalid_entries() {
        assertEquals("entries must be an array",
                refused("{\"type\":\"transcript_update\",\"entries\":\"text\"}").message());
        assertEquals("entry 1 is not an object",
                refused("{\"type\":\"transcript_update\",\"entries\":[{\"text\":\"a\"},3]}").message());
        assertEquals("entry 0: 'text' has the wrong type",
                refused("{\"type\":\"transcript_update\",\"entries\":[{\"text\":{}}]}").message());
        assertEquals("entry 0 is not an object",
                refused("{\"type\":\"end_session\",\"final_transcript\":{\"entries\":[true]}}").message());
        assertEquals("entries must be an array",
                refused("{\"type\":\"end_session\",\"final_transcript\":7}").message());
        ServerMessage.Error error = refused("{\"type\":\"transcript_update\",\"entries\":{}}");
        assertEquals("protocol.invalid_entries", error.code());
        assertEquals(Boolean.FALSE, error.retryable());
    }

    @Test
    void entries_the_domain_refuses_carry_the_domains_code() throws Exception {
        failsWith("protocol.invalid_entries", () -> update("null").clientEntries(NOW));
        failsWith("invalid.text", () -> update("{\"speaker\":\"ai\"}").clientEntries(NOW));
        failsWith("invalid.timestamp", () -> update("{\"text\":\"a\",\"speaker\":\"ai\",\"timestamp\":\"yesterday\"}")
                .clientEntries(NOW));
        failsWith("invalid.speaker", () -> update("{\"text\":\"a\",\"speaker\":\"narrator\"}").clientEntries(NOW));
        String many = String.join(",", java.util.Collections.nCopies(501, "{\"text\":\"a\",\"speaker\":\"ai\"}"));
        failsWith("invalid.batch", () -> update(many).clientEntries(NOW));
    }

    @Test
    void a_recording_url_that_is_not_https_is_invalid_recording_url() throws Exception {
        ClientMessage.EndSession end = (ClientMessage.EndSession) decode(
                "{\"type\":\"end_session\",\"recording_url\":\"http://videos.example/v1\"}");
        failsWith("invalid.recording_url", end::recording);
        assertEquals("invalid.recording_url", refused("{\"type\":\"end_session\",\"recording_url\":[]}").code());
    }

    private ClientMessage.TranscriptUpdate update(String entries) {
        try {
            return (ClientMessage.TranscriptUpdate) decode("{\"type\":\"transcript_update\",\"entries\":[" + entries
                    + "]}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- runner to client: byte for byte what the ObjectNode replies wrote -------------------------------------

    private final ObjectMapper json = Json.mapper();

    private void sameBytes(ObjectNode before, ServerMessage now) throws Exception {
        assertEquals(json.writeValueAsString(before), protocol.encode(now));
    }

    @Test
    void sdp_answer_is_written_as_before() throws Exception {
        sameBytes(json.createObjectNode().put("type", "sdp_answer").put("sdp", "v=0\r\no=- 1 2 IN IP4 \"x\"\r\n"),
                new ServerMessage.SdpAnswer("v=0\r\no=- 1 2 IN IP4 \"x\"\r\n"));
        assertEquals("{\"type\":\"sdp_answer\",\"sdp\":\"v=0\\r\\n\"}",
                protocol.encode(new ServerMessage.SdpAnswer("v=0\r\n")));
    }

    @Test
    void transcript_ack_is_written_as_before() throws Exception {
        ObjectNode before = json.createObjectNode().put("type", "transcript_ack");
        before.putArray("stored").add("a").add("b");
        before.putArray("duplicates");
        before.putArray("pending").add("c");
        sameBytes(before, ServerMessage.TranscriptAck.of(List.of(IdempotencyKey.of("a"), IdempotencyKey.of("b")),
                List.of(), List.of(IdempotencyKey.of("c"))));
        assertEquals("{\"type\":\"transcript_ack\",\"stored\":[],\"duplicates\":[\"d\"],\"pending\":[]}",
                protocol.encode(ServerMessage.TranscriptAck.of(List.of(), List.of(IdempotencyKey.of("d")), List.of())));
    }

    @Test
    void transcript_ack_with_keys_that_need_escaping_is_written_as_the_mapper_writes_it() throws Exception {
        // The ack is written by hand (decision 26): every character class the mapper escapes, and those it does not.
        List<String> keys = List.of("plain", "quote\"d", "back\\slash", "slash/", "ctl\u0000\u0001\u001f\u007f",
                "\b\f\n\r\t", "\u00e9t\u00e9 \u2028 \u2029 \ud83d\ude00", "<script>&'", "");
        // Keys are [A-Za-z0-9_:.-] (IdempotencyKey), but the record takes any text, so the encoder escapes anyway.
        for (int split = 0; split <= keys.size(); split++) {
            ObjectNode before = json.createObjectNode().put("type", "transcript_ack");
            keys.subList(0, split).forEach(before.putArray("stored")::add);
            before.putArray("duplicates").add(keys.get(split % keys.size()));
            keys.subList(split, keys.size()).forEach(before.putArray("pending")::add);
            sameBytes(before, new ServerMessage.TranscriptAck(keys.subList(0, split),
                    List.of(keys.get(split % keys.size())), keys.subList(split, keys.size())));
        }
    }

    @Test
    void status_is_written_as_before_in_every_state() throws Exception {
        Instant deadline = Instant.parse("2026-11-29T01:30:00.123456789Z");
        String session = "5b3f8f0e-8a43-4f3c-9b7e-2f1d8c3a6e11";
        for (ServerMessage.Status.State state : ServerMessage.Status.State.values()) {
            String wire = state.name().toLowerCase(java.util.Locale.ROOT);
            sameBytes(json.createObjectNode().put("type", "status").put("status", wire).put("session_id", session),
                    new ServerMessage.Status(state, session, null, null));
            sameBytes(json.createObjectNode().put("type", "status").put("status", wire).put("session_id", session)
                            .put("deadline", deadline.toString()).put("reason", "time_budget_spent"),
                    new ServerMessage.Status(state, session, deadline, null).withReason("time_budget_spent"));
        }
        assertEquals("{\"type\":\"status\",\"status\":\"connected\",\"session_id\":\"s\",\"deadline\":"
                        + "\"2026-11-29T01:30:00Z\"}",
                protocol.encode(new ServerMessage.Status(ServerMessage.Status.State.CONNECTED, "s",
                        Instant.parse("2026-11-29T01:30:00Z"), null)));
    }

    @Test
    void every_kind_of_error_is_written_as_before() throws Exception {
        sameBytes(json.createObjectNode().put("type", "error").put("code", "protocol.unknown_type")
                .put("message", "unknown message type 'x'"),
                ServerMessage.Error.of("protocol.unknown_type", "unknown message type 'x'"));
        SdpRejectedException rejected = new SdpRejectedException(new SdpViolation(3, "no_audio",
                "the offer has no audio section"));
        sameBytes(json.createObjectNode().put("type", "error").put("code", rejected.code())
                .put("message", rejected.getMessage()).put("line", 3).put("rule", "no_audio"),
                ServerMessage.Error.of(rejected));
        DomainException unavailable = new DomainException(ErrorKind.UNAVAILABLE, "openai.unavailable", "try later",
                true, null);
        sameBytes(json.createObjectNode().put("type", "error").put("code", "openai.unavailable")
                .put("message", "try later").put("retryable", true), ServerMessage.Error.of(unavailable));
        sameBytes(json.createObjectNode().put("type", "error").put("code", "invalid.text")
                .put("message", "entry 0 has no text").put("retryable", false),
                ServerMessage.Error.of(DomainException.invalid("invalid.text", "entry 0 has no text")));
    }

    @Test
    void pong_is_written_as_before() throws Exception {
        sameBytes(json.createObjectNode().put("type", "pong"), new ServerMessage.Pong());
        assertEquals("{\"type\":\"pong\"}", protocol.encode(new ServerMessage.Pong()));
    }
}
