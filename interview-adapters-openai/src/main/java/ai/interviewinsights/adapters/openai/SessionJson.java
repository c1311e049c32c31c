package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * The GA {@code session} object an interview asks for, and the client-secret request around it. One builder for both
 * the client secret and the SDP relay, so the browser-direct and relayed calls get the same interviewer.
 *
 * <pre>{@code
 * {"type": "realtime", "model": ..., "instructions": ...,
 *  "audio": {"input": {"transcription": {"model": ..., "language": ...}, "turn_detection": {"type": "server_vad"}},
 *            "output": {"voice": ...}},
 *  "output_modalities": ["audio"]}
 * }</pre>
 *
 * Candidate transcription is always set: without it OpenAI transcribes only the interviewer.
 */
final class SessionJson {

    static final long MIN_SECRET_SECONDS = 10;
    static final long MAX_SECRET_SECONDS = 7200;

    private final ObjectMapper json;

    SessionJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode session(RealtimeSessionConfig config) {
        ObjectNode session = json.createObjectNode();
        session.put("type", "realtime");
        session.put("model", config.model());
        session.put("instructions", config.instructions());
        ObjectNode audio = session.putObject("audio");
        ObjectNode input = audio.putObject("input");
        ObjectNode transcription = input.putObject("transcription");
        transcription.put("model", config.transcriptionModel());
        transcription.put("language", config.transcriptionLanguage());
        input.putObject("turn_detection").put("type", "server_vad");
        audio.putObject("output").put("voice", config.voice());
        session.putArray("output_modalities").add("audio");
        return session;
    }

    /** {@code POST /v1/realtime/client_secrets}: the session and when the secret expires. */
    ObjectNode clientSecretRequest(RealtimeSessionConfig config, Duration ttl) {
        ObjectNode body = json.createObjectNode();
        ObjectNode expiresAfter = body.putObject("expires_after");
        expiresAfter.put("anchor", "created_at");
        expiresAfter.put("seconds", ttl.toSeconds());
        body.set("session", session(config));
        return body;
    }

    static boolean isValidTtl(Duration ttl) {
        return ttl != null && ttl.toSeconds() >= MIN_SECRET_SECONDS && ttl.toSeconds() <= MAX_SECRET_SECONDS;
    }
}
