package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.adapters.openai.local.interviewer.ScriptedInterviewer;
import ai.interviewinsights.adapters.openai.local.speech.OfflineVoice;
import ai.interviewinsights.adapters.openai.local.speech.SpeechException;
import ai.interviewinsights.adapters.openai.media.EnergyVad;
import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.VadEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Realtime conversation of one call or WebSocket session, independent of the transport: it takes the client's
 * events and audio, runs turn detection, transcription and the scripted interviewer, and emits OpenAI's GA server
 * events in OpenAI's order. Everything that changes state runs on the conversation's own thread, so events leave in a
 * consistent order whichever side (data channel, sideband, audio sink) caused them.
 *
 * <p>Two deliberate differences from OpenAI, both for an interview that must run without a model: the interviewer
 * speaks first once the call is up (the greeting), and in text mode (no speech engines) a typed candidate message is
 * answered without waiting for {@code response.create}.
 */
final class Conversation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Conversation.class);
    private static final int MAX_BUFFERED_SECONDS = 120;

    /** Where the interviewer's voice goes: WebRTC frames paced in real time, or WebSocket audio deltas. */
    interface VoiceOut {
        /** Starts playing; {@code finished} runs (on any thread) when the last sample has gone out. */
        Playback play(String responseId, String itemId, Pcm16 audio, Runnable finished);
    }

    interface Playback {
        /** Stops now; returns how many milliseconds were actually played. */
        long stop();
    }

    private final String label;
    private final SessionConfig session;
    private final OfflineVoice voice;
    private final VoiceOut voiceOut;
    private final Consumer<ObjectNode> broadcast;
    private final Clock clock;
    private final ExecutorService thread;

    // Conversation state: touched only on the conversation's thread.
    private ScriptedInterviewer interviewer;
    private String lastItemId;
    private boolean greeted;
    private String pendingCandidateText;
    private String lastReply;
    private Speaking speaking;
    private String speechItemId;
    private boolean closing;

    // Audio input: touched only on the thread that delivers audio (one per transport).
    private final AudioWindow window = new AudioWindow();
    private EnergyVad vad;
    private int vadRate;
    private long turnStartMs;

    private record Speaking(String responseId, String itemId, String text, Playback playback) {
    }

    Conversation(String label, SessionConfig session, OfflineVoice voice, VoiceOut voiceOut,
                 Consumer<ObjectNode> broadcast, Clock clock) {
        this.label = label;
        this.session = session;
        this.voice = voice;
        this.voiceOut = voiceOut;
        this.broadcast = broadcast;
        this.clock = clock;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "realtime-" + label);
            t.setDaemon(true);
            return t;
        });
    }

    boolean textMode() {
        return !voice.speaks() || !voice.hears();
    }

    ObjectNode sessionCreated() {
        ObjectNode event = Wire.event("session.created");
        event.set("session", session.snapshot());
        return event;
    }

    /** The interviewer opens the conversation unless someone already asked for a response. */
    void greet() {
        run(() -> {
            if (!greeted && speaking == null) {
                respond(null);
            }
        });
    }

    /**
     * One client event (JSON text) from the data channel, the sideband or the WebSocket transport; errors go back
     * to {@code replyTo} only, as OpenAI sends an {@code error} on the connection that caused it.
     */
    void clientEvent(String text, Consumer<ObjectNode> replyTo) {
        JsonNode event;
        try {
            event = text == null ? null : Wire.JSON.readTree(text);
        } catch (Exception e) {
            event = null;
        }
        if (event == null || !event.isObject()) {
            replyTo.accept(Wire.errorEvent("invalid_request_error", "invalid_json",
                    "The event is not valid JSON: send one JSON object per message.", null, null));
            return;
        }
        String type = Wire.text(event, "type");
        String eventId = Wire.text(event, "event_id");
        if (type == null) {
            replyTo.accept(Wire.errorEvent("invalid_request_error", "missing_required_parameter",
                    "Missing required parameter: 'type'.", "type", eventId));
            return;
        }
        JsonNode parsed = event;
        switch (type) {
            case "session.update" -> run(() -> updateSession(parsed, replyTo));
            case "response.create" -> run(() -> {
                if (speaking != null) {
                    replyTo.accept(Wire.errorEvent("invalid_request_error", "conversation_already_has_active_response",
                            "Conversation already has an active response in progress.", null, eventId));
                    return;
                }
                respond(pendingCandidateText);
            });
            case "response.cancel" -> run(() -> cancel("client_cancelled"));
            case "conversation.item.create" -> run(() -> createItem(parsed, replyTo));
            case "conversation.item.truncate" -> run(() -> truncateByClient(parsed, replyTo));
            case "input_audio_buffer.append" -> append(parsed, replyTo);
            case "input_audio_buffer.clear" -> run(() -> broadcast.accept(Wire.event("input_audio_buffer.cleared")));
            case "input_audio_buffer.commit", "output_audio_buffer.clear" -> run(() -> {
                if ("output_audio_buffer.clear".equals(type)) {
                    cancel("client_cancelled");
                }
            });
            default -> replyTo.accept(Wire.errorEvent("invalid_request_error", "invalid_value",
                    "Invalid value: '" + abbreviate(type) + "'. Supported values are: 'session.update',"
                            + " 'input_audio_buffer.append', 'input_audio_buffer.commit', 'input_audio_buffer.clear',"
                            + " 'conversation.item.create', 'conversation.item.truncate', 'response.create',"
                            + " 'response.cancel' and 'output_audio_buffer.clear'.", "type", eventId));
        }
    }

    /**
     * The candidate's audio, mono PCM16, in arrival order from one thread. Runs turn detection here (cheap) and hands
     * each detected turn to the conversation's thread.
     */
    void audio(short[] samples, int rate) {
        if (!voice.hears()) {
            return;
        }
        JsonNode detection = session.turnDetection();
        if (vad == null || vadRate != rate) {
            double threshold = detection == null ? 0.5 : detection.path("threshold").asDouble(0.5);
            int prefix = detection == null ? 300 : detection.path("prefix_padding_ms").asInt(300);
            int silence = detection == null ? 500 : detection.path("silence_duration_ms").asInt(500);
            vad = new EnergyVad(rate, threshold, prefix, silence);
            vadRate = rate;
            window.reset(rate);
        }
        window.append(samples);
        if (detection == null) {
            return;
        }
        Optional<VadEvent> turn = vad.accept(samples);
        if (turn.isEmpty()) {
            return;
        }
        if (turn.get() instanceof VadEvent.SpeechStarted started) {
            turnStartMs = started.audioStartMs();
            run(() -> speechStarted(started.audioStartMs()));
        } else if (turn.get() instanceof VadEvent.SpeechStopped stopped) {
            Pcm16 spoken = window.slice(turnStartMs, stopped.audioEndMs());
            run(() -> speechStopped(stopped.audioEndMs(), spoken));
        }
    }

    private void speechStarted(long audioStartMs) {
        speechItemId = Wire.id("item_");
        ObjectNode event = Wire.event("input_audio_buffer.speech_started");
        event.put("audio_start_ms", audioStartMs);
        event.put("item_id", speechItemId);
        broadcast.accept(event);
        JsonNode detection = session.turnDetection();
        if (speaking != null && (detection == null || detection.path("interrupt_response").asBoolean(true))) {
            cancel("turn_detected");
        }
    }

    private void speechStopped(long audioEndMs, Pcm16 spoken) {
        String itemId = speechItemId == null ? Wire.id("item_") : speechItemId;
        speechItemId = null;
        ObjectNode stopped = Wire.event("input_audio_buffer.speech_stopped");
        stopped.put("audio_end_ms", audioEndMs);
        stopped.put("item_id", itemId);
        broadcast.accept(stopped);
        ObjectNode committed = Wire.event("input_audio_buffer.committed");
        putPrevious(committed);
        committed.put("item_id", itemId);
        broadcast.accept(committed);
        String previous = lastItemId;
        lastItemId = itemId;
        broadcast.accept(Wire.itemEvent("conversation.item.added", previous,
                Wire.message(itemId, "user", "completed", Wire.inputAudio(null))));
        broadcast.accept(Wire.itemEvent("conversation.item.done", previous,
                Wire.message(itemId, "user", "completed", Wire.inputAudio(null))));
        String transcript = null;
        try {
            transcript = voice.recognizer().orElseThrow().recognize(spoken).trim();
            if (session.transcribes()) {
                ObjectNode delta = Wire.event("conversation.item.input_audio_transcription.delta");
                delta.put("item_id", itemId).put("content_index", 0).put("delta", transcript);
                broadcast.accept(delta);
                ObjectNode completed = Wire.event("conversation.item.input_audio_transcription.completed");
                completed.put("item_id", itemId).put("content_index", 0).put("transcript", transcript);
                completed.putObject("usage").put("type", "duration")
                        .put("seconds", Math.max(1, Math.round(spoken.durationMillis() / 1000.0)));
                broadcast.accept(completed);
            }
        } catch (SpeechException | RuntimeException e) {
            LOG.warn("call {}: transcription failed: {}", label, e instanceof SpeechException s ? s.code() : e);
            if (session.transcribes()) {
                ObjectNode failed = Wire.event("conversation.item.input_audio_transcription.failed");
                failed.put("item_id", itemId).put("content_index", 0);
                failed.putObject("error").put("type", "transcription_error").put("code", "audio_unintelligible")
                        .put("message", "The local recogniser could not transcribe this turn.").putNull("param");
                broadcast.accept(failed);
            }
        }
        pendingCandidateText = transcript == null || transcript.isEmpty() ? "" : transcript;
        JsonNode detection = session.turnDetection();
        if (detection != null && detection.path("create_response").asBoolean(true) && speaking == null) {
            respond(pendingCandidateText);
        }
    }

    private void updateSession(JsonNode event, Consumer<ObjectNode> replyTo) {
        try {
            session.apply(event.get("session"));
        } catch (IllegalArgumentException e) {
            replyTo.accept(Wire.errorEvent("invalid_request_error", "missing_required_parameter",
                    "Missing or invalid required parameter: '" + e.getMessage() + "'.", e.getMessage(),
                    Wire.text(event, "event_id")));
            return;
        }
        if (!greeted) {
            interviewer = null; // the instructions may have changed: the script follows them
        }
        ObjectNode updated = Wire.event("session.updated");
        updated.set("session", session.snapshot());
        broadcast.accept(updated);
    }

    private void createItem(JsonNode event, Consumer<ObjectNode> replyTo) {
        JsonNode item = event.get("item");
        String eventId = Wire.text(event, "event_id");
        if (item == null || !item.isObject() || !"message".equals(Wire.text(item, "type"))) {
            replyTo.accept(Wire.errorEvent("invalid_request_error", "invalid_value",
                    "Invalid 'item': this endpoint accepts message items.", "item.type", eventId));
            return;
        }
        String role = Wire.text(item, "role");
        StringBuilder text = new StringBuilder();
        for (JsonNode part : item.path("content")) {
            String partType = Wire.text(part, "type");
            if (("input_text".equals(partType) || "text".equals(partType) || "output_text".equals(partType))
                    && Wire.text(part, "text") != null) {
                text.append(Wire.text(part, "text"));
            }
        }
        if (!"user".equals(role) && !"assistant".equals(role) && !"system".equals(role)) {
            replyTo.accept(Wire.errorEvent("invalid_request_error", "invalid_value",
                    "Invalid 'item.role': expected 'user', 'assistant' or 'system'.", "item.role", eventId));
            return;
        }
        String id = Wire.text(item, "id") != null ? Wire.text(item, "id") : Wire.id("item_");
        String previous = lastItemId;
        lastItemId = id;
        ObjectNode content = "user".equals(role) || "system".equals(role) ? Wire.inputText(text.toString())
                : Wire.outputText(text.toString());
        broadcast.accept(Wire.itemEvent("conversation.item.added", previous,
                Wire.message(id, role, "completed", content)));
        broadcast.accept(Wire.itemEvent("conversation.item.done", previous,
                Wire.message(id, role, "completed", content.deepCopy())));
        if ("assistant".equals(role)) {
            // A conversation re-created by a client (a proxy reconnecting, ADR 0023): the interviewer has already
            // spoken, so it does not open again, and a bare response.create carries on from its last words. A line
            // cut by the drop comes back as the words the candidate heard of it: when those begin the opening, the
            // whole opening is said again, as a model restating a cut question would.
            greeted = true;
            String said = text.toString();
            if (interviewer == null) {
                interviewer = ScriptedInterviewer.fromInstructions(session.instructions());
            }
            String opening = interviewer.opening();
            lastReply = !said.isBlank() && opening.startsWith(said) ? opening : said;
            pendingCandidateText = null;
        }
        if ("user".equals(role)) {
            pendingCandidateText = text.toString();
            JsonNode detection = session.turnDetection();
            if (textMode() && speaking == null && (detection == null
                    || detection.path("create_response").asBoolean(true))) {
                respond(pendingCandidateText);
            }
        }
    }

    private void truncateByClient(JsonNode event, Consumer<ObjectNode> replyTo) {
        String itemId = Wire.text(event, "item_id");
        JsonNode end = event.get("audio_end_ms");
        if (itemId == null || end == null || !end.canConvertToLong() || end.asLong() < 0) {
            replyTo.accept(Wire.errorEvent("invalid_request_error", "missing_required_parameter",
                    "conversation.item.truncate needs 'item_id' and a non-negative 'audio_end_ms'.", "audio_end_ms",
                    Wire.text(event, "event_id")));
            return;
        }
        if (speaking != null && speaking.itemId().equals(itemId)) {
            speaking.playback().stop();
            finishCancelled(speaking, end.asLong(), "client_cancelled");
        }
        ObjectNode truncated = Wire.event("conversation.item.truncated");
        truncated.put("item_id", itemId).put("content_index", 0).put("audio_end_ms", end.asLong());
        broadcast.accept(truncated);
    }

    private void append(JsonNode event, Consumer<ObjectNode> replyTo) {
        String audio = Wire.text(event, "audio");
        byte[] bytes;
        try {
            bytes = audio == null ? null : Base64.getDecoder().decode(audio);
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length % 2 != 0) {
            replyTo.accept(Wire.errorEvent("invalid_request_error", "invalid_value",
                    "'audio' must be base64 PCM16 (an even number of bytes).", "audio", Wire.text(event, "event_id")));
            return;
        }
        short[] samples = new short[bytes.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
        }
        audio(samples, 24_000);
    }

    /** Starts the interviewer's next turn: the greeting, a reply to the candidate, or the last line again. */
    private void respond(String candidateText) {
        if (closing) {
            return;
        }
        if (interviewer == null) {
            interviewer = ScriptedInterviewer.fromInstructions(session.instructions());
        }
        String text;
        if (!greeted) {
            text = interviewer.opening();
            greeted = true;
        } else if (candidateText != null) {
            ScriptedInterviewer.Reply reply = interviewer.onCandidateTurn(candidateText);
            text = reply.text();
            closing = reply.closing();
        } else {
            text = lastReply == null ? interviewer.opening() : lastReply;
        }
        pendingCandidateText = null;
        lastReply = text;
        String responseId = Wire.id("resp_");
        String itemId = Wire.id("item_");
        String previous = lastItemId;
        lastItemId = itemId;
        boolean audioOut = session.audioOut() && voice.speaks();
        ObjectNode created = Wire.event("response.created");
        created.set("response", Wire.response(responseId, "in_progress", null, 0, 0, null));
        broadcast.accept(created);
        ObjectNode itemInProgress = Wire.message(itemId, "assistant", "in_progress");
        ObjectNode outputAdded = Wire.event("response.output_item.added");
        outputAdded.put("response_id", responseId).put("output_index", 0).set("item", itemInProgress);
        broadcast.accept(outputAdded);
        if (!audioOut) {
            // Text: the item carries its text from the start, so a transcript taken from item.added is complete.
            ObjectNode textItem = Wire.message(itemId, "assistant", "completed", Wire.outputText(text));
            broadcast.accept(Wire.itemEvent("conversation.item.added", previous, textItem));
            ObjectNode delta = Wire.event("response.output_text.delta");
            delta.put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).put("delta", text);
            broadcast.accept(delta);
            ObjectNode done = Wire.event("response.output_text.done");
            done.put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).put("text", text);
            broadcast.accept(done);
            finishCompleted(responseId, previous, textItem, text);
            return;
        }
        broadcast.accept(Wire.itemEvent("conversation.item.added", previous, itemInProgress.deepCopy()));
        Pcm16 speech;
        try {
            speech = voice.synthesizer().orElseThrow().speak(text);
        } catch (SpeechException | RuntimeException e) {
            LOG.warn("call {}: synthesis failed: {}", label, e instanceof SpeechException s ? s.code() : e);
            ObjectNode failed = Wire.response(responseId, "failed", null, Wire.tokens(text), 0, "error");
            ObjectNode done = Wire.event("response.done");
            done.set("response", failed);
            broadcast.accept(Wire.errorEvent("server_error", "speech_synthesis_failed",
                    "The local speech synthesiser failed; the reply was not spoken.", null, null));
            broadcast.accept(done);
            return;
        }
        ObjectNode partAdded = Wire.event("response.content_part.added");
        partAdded.put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                .put("content_index", 0).set("part", Wire.JSON.createObjectNode().put("type", "audio")
                        .put("transcript", ""));
        broadcast.accept(partAdded);
        for (String piece : text.split("(?<=[.!?,;]) ")) {
            ObjectNode delta = Wire.event("response.output_audio_transcript.delta");
            delta.put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).put("delta", piece.equals(text) ? piece : piece + " ");
            broadcast.accept(delta);
        }
        ObjectNode transcriptDone = Wire.event("response.output_audio_transcript.done");
        transcriptDone.put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                .put("content_index", 0).put("transcript", text);
        broadcast.accept(transcriptDone);
        ObjectNode started = Wire.event("output_audio_buffer.started");
        started.put("response_id", responseId);
        broadcast.accept(started);
        String[] holder = {previous};
        Speaking[] self = new Speaking[1];
        Playback playback = voiceOut.play(responseId, itemId, speech, () -> run(() -> {
            if (speaking != null && speaking == self[0]) {
                speaking = null;
                ObjectNode stopped = Wire.event("output_audio_buffer.stopped");
                stopped.put("response_id", responseId);
                broadcast.accept(stopped);
                ObjectNode audioDone = Wire.event("response.output_audio.done");
                audioDone.put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                        .put("content_index", 0);
                broadcast.accept(audioDone);
                finishCompleted(responseId, holder[0], Wire.message(itemId, "assistant", "completed",
                        Wire.outputAudio(text)), text);
            }
        }));
        self[0] = new Speaking(responseId, itemId, text, playback);
        speaking = self[0];
    }

    private void finishCompleted(String responseId, String previous, ObjectNode item, String text) {
        ObjectNode itemDone = Wire.event("response.output_item.done");
        itemDone.put("response_id", responseId).put("output_index", 0).set("item", item);
        broadcast.accept(itemDone);
        broadcast.accept(Wire.itemEvent("conversation.item.done", previous, item.deepCopy()));
        ObjectNode done = Wire.event("response.done");
        done.set("response", Wire.response(responseId, "completed", item.deepCopy(),
                Wire.tokens(session.instructions()), Wire.tokens(text), null));
        broadcast.accept(done);
    }

    /** Barge-in or a client's cancel: stop the voice where it is and say how much of it was heard. */
    private void cancel(String reason) {
        if (speaking == null) {
            return;
        }
        Speaking interrupted = speaking;
        long played = interrupted.playback().stop();
        finishCancelled(interrupted, played, reason);
        ObjectNode truncated = Wire.event("conversation.item.truncated");
        truncated.put("item_id", interrupted.itemId()).put("content_index", 0).put("audio_end_ms", played);
        broadcast.accept(truncated);
    }

    private void finishCancelled(Speaking interrupted, long playedMs, String reason) {
        speaking = null;
        ObjectNode cleared = Wire.event("output_audio_buffer.cleared");
        cleared.put("response_id", interrupted.responseId());
        broadcast.accept(cleared);
        ObjectNode item = Wire.message(interrupted.itemId(), "assistant", "incomplete",
                Wire.outputAudio(interrupted.text()));
        ObjectNode done = Wire.event("response.done");
        done.set("response", Wire.response(interrupted.responseId(), "cancelled", item,
                Wire.tokens(session.instructions()), Wire.tokens(interrupted.text()), reason));
        broadcast.accept(done);
        LOG.debug("call {}: response {} cancelled after {} ms ({})", label, interrupted.responseId(), playedMs, reason);
    }

    private void putPrevious(ObjectNode event) {
        if (lastItemId == null) {
            event.putNull("previous_item_id");
        } else {
            event.put("previous_item_id", lastItemId);
        }
    }

    private void run(Runnable step) {
        try {
            thread.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.warn("call {}: conversation step failed", label, e);
                    broadcast.accept(Wire.errorEvent("server_error", "server_error",
                            "The local endpoint failed to process an event.", null, null));
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("call {} is over; dropping a step", label);
        }
    }

    private static String abbreviate(String value) {
        String clean = value.replaceAll("[^A-Za-z0-9._-]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }

    @Override
    public void close() {
        run(() -> {
            if (speaking != null) {
                speaking.playback().stop();
                speaking = null;
            }
        });
        thread.shutdown();
    }

    /** The last two minutes of the candidate's audio, addressable by audio time, for cutting out a turn. */
    private static final class AudioWindow {
        private int rate = 48_000;
        private short[] buffer = new short[0];
        private long start;   // absolute index of buffer[0]
        private int length;

        synchronized void reset(int newRate) {
            rate = newRate;
            buffer = new short[newRate * 10];
            start = 0;
            length = 0;
        }

        synchronized void append(short[] samples) {
            int max = rate * MAX_BUFFERED_SECONDS;
            if (length + samples.length > buffer.length) {
                int wanted = Math.min(max, Math.max(buffer.length * 2, length + samples.length));
                if (length + samples.length > wanted) {
                    int drop = length + samples.length - wanted;
                    System.arraycopy(buffer, drop, buffer, 0, length - drop);
                    length -= drop;
                    start += drop;
                }
                if (wanted != buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, wanted);
                }
            }
            System.arraycopy(samples, 0, buffer, length, samples.length);
            length += samples.length;
        }

        synchronized Pcm16 slice(long fromMs, long toMs) {
            long from = Math.max(start, fromMs * rate / 1000);
            long to = Math.min(start + length, toMs * rate / 1000);
            if (to <= from) {
                return new Pcm16(rate, new short[0]);
            }
            short[] out = new short[(int) (to - from)];
            System.arraycopy(buffer, (int) (from - start), out, 0, out.length);
            return new Pcm16(rate, out);
        }
    }
}
