package ai.interviewinsights.adapters.openai.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.interviewinsights.adapters.openai.local.speech.FestivalSynthesizer;
import ai.interviewinsights.adapters.openai.local.speech.OfflineVoice;
import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Resampler;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The media loop with real engines, over a real WebRTC call: the interviewer's synthesised voice reaches the
 * "browser" as audio energy; the browser's spoken answer (Festival's voice, pushed as 48 kHz frames) is detected as a
 * turn, transcribed by PocketSphinx and answered; speaking over the interviewer truncates it to what was played.
 * The engines are installed by {@code scripts/test}; on a machine without them this test cannot run (the text mode
 * is covered by the other tests).
 */
class LocalRealtimeVoiceTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ANSWER = "I designed the billing service and I wrote most of the tests for it";
    static OfflineVoice voice;
    static LocalRealtime local;

    @BeforeAll
    static void start() {
        voice = OfflineVoice.detect();
        assumeTrue(voice.speaks() && voice.hears(), "festival and pocketsphinx are installed by scripts/test");
        local = LocalRealtime.start(LocalRealtime.Options.defaults().withVoice(voice));
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void the_interviewer_is_heard_the_answer_is_transcribed_and_a_barge_in_truncates_to_what_was_played()
            throws Exception {
        short[] answer = speech(ANSWER);
        try (BrowserPeer browser = new BrowserPeer()) {
            browser.call(local.baseUrl(), local.apiKey());
            assertTrue(browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS), "oai-events did not open");
            browser.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":"
                    + "\"Interview Ada.\",\"audio\":{\"input\":{\"transcription\":{\"model\":\"gpt-4o-transcribe\"}}}}}");
            browser.awaitType("session.updated", WAIT);
            browser.awaitType("output_audio_buffer.started", WAIT);
            JsonNode greeting = browser.awaitType("response.done", WAIT);
            assertEquals("completed", greeting.path("response").path("status").asText());
            assertTrue(browser.loudSamples.get() > 48_000 / 2,
                    "the greeting's audio did not reach the browser (" + browser.loudSamples.get() + " loud samples)");

            browser.speak(answer);
            browser.speak(new short[48_000]);
            JsonNode started = browser.awaitType("input_audio_buffer.speech_started", WAIT);
            JsonNode stopped = browser.awaitType("input_audio_buffer.speech_stopped", WAIT);
            assertEquals(started.path("item_id").asText(), stopped.path("item_id").asText());
            assertTrue(stopped.path("audio_end_ms").asLong() > started.path("audio_start_ms").asLong());
            JsonNode transcript = browser.awaitType("conversation.item.input_audio_transcription.completed", WAIT);
            double overlap = overlap(ANSWER, transcript.path("transcript").asText());
            assertTrue(overlap >= 0.7, "heard '" + transcript.path("transcript").asText() + "' (" + overlap + ")");

            // The reply starts; the candidate talks over it after half a second.
            browser.awaitType("output_audio_buffer.started", WAIT);
            Thread.sleep(500);
            browser.speak(answer);
            JsonNode truncated = browser.awaitType("conversation.item.truncated", WAIT);
            long played = truncated.path("audio_end_ms").asLong();
            assertTrue(played >= 300 && played < 10_000, "played " + played + " ms before the barge-in");
        }
    }

    static short[] speech(String text) throws Exception {
        Pcm16 spoken = new FestivalSynthesizer().speak(text);
        return Resampler.convert(spoken.samples(), spoken.sampleRate(), 48_000);
    }

    /** Share of the expected words found in what was heard. */
    static double overlap(String expected, String heard) {
        Set<String> got = new HashSet<>(Arrays.asList(heard.toLowerCase(Locale.ROOT).split("\\W+")));
        String[] want = expected.toLowerCase(Locale.ROOT).split("\\W+");
        return Arrays.stream(want).filter(got::contains).count() / (double) want.length;
    }
}
