package ai.interviewinsights.adapters.openai.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording of a proxied call: both sides, as they happened, in one stereo WAV (left: what OpenAI heard, right:
 * what the candidate heard), on the call's timeline even when a side goes quiet; and through the bridge with real
 * media, handed over when the call ends.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class CallRecordingTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    /** A stereo 16-bit WAV: its two channels, after checking the header. */
    static short[][] channels(Path wav) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] tag = new byte[4];
        b.get(tag);
        assertEquals("RIFF", new String(tag, StandardCharsets.US_ASCII));
        assertEquals(b.capacity() - 8, b.getInt());
        b.position(22);
        assertEquals(2, b.getShort(), "stereo");
        assertEquals(CallRecording.RATE, b.getInt());
        b.position(34);
        assertEquals(16, b.getShort());
        b.position(40);
        int frames = b.getInt() / 4;
        assertEquals(b.capacity() - 44, frames * 4);
        short[][] out = {new short[frames], new short[frames]};
        for (int i = 0; i < frames; i++) {
            out[0][i] = b.getShort();
            out[1][i] = b.getShort();
        }
        return out;
    }

    @Test
    void both_sides_land_on_the_calls_timeline_and_a_quiet_side_is_filled_with_silence() throws Exception {
        long start = 1_000 * MS;
        CallRecording recording = new CallRecording(dir.resolve("call.wav"), start);
        short[] up = Tones.sine(1000, 24_000, 1000, 8000);
        short[] down = Tones.sine(440, 48_000, 1000, 8000);
        // The candidate speaks from 0.5 s to 1.5 s, stops sending (a muted microphone) until 3 s, then speaks 1 s more;
        // the interviewer's voice plays from 2 s to 3 s; the ticker runs (silence) from 0 s to 4 s.
        for (int t = 0; t < 4000; t += 10) {
            long now = start + (t + 10) * MS;
            if (t >= 500 && t < 1500) {
                recording.heard(Arrays.copyOfRange(up, (t - 500) * 24, (t - 490) * 24), now);
            } else if (t >= 3000) {
                recording.heard(Arrays.copyOfRange(up, (t - 3000) * 24, (t - 2990) * 24), now);
            }
            recording.played(t >= 2000 && t < 3000 ? Arrays.copyOfRange(down, (t - 2000) * 48, (t - 1990) * 48)
                    : new short[480], now);
        }
        short[][] wav = channels(recording.finish());

        int rate = CallRecording.RATE;
        assertEquals(4.0, wav[0].length / (double) rate, 0.05, "as long as the call");
        // Left: the candidate at 1 kHz where they spoke, silence where they sent nothing.
        assertEquals(1000, Tones.peakHz(wav[0], rate * 6 / 10, rate * 8 / 10, rate), 15);
        assertTrue(Tones.rms(wav[0], rate * 17 / 10, rate * 12 / 10) < 10, "silence while the microphone was muted");
        assertEquals(1000, Tones.peakHz(wav[0], rate * 31 / 10, rate * 8 / 10, rate), 15);
        assertEquals(0.5, ProxyBridgeTest.firstLoud(wav[0], rate / 100) / (double) rate, 0.03, "starts at 0.5 s");
        // Right: the interviewer at 440 Hz from 2 s to 3 s, nothing else.
        assertEquals(440, Tones.peakHz(wav[1], rate * 21 / 10, rate * 8 / 10, rate), 15);
        assertEquals(2.0, ProxyBridgeTest.firstLoud(wav[1], rate / 100) / (double) rate, 0.03, "starts at 2 s");
        assertTrue(Tones.rms(wav[1], 0, rate * 19 / 10) < 10);
        assertTrue(Tones.rms(wav[1], rate * 31 / 10, rate * 8 / 10) < 10);
    }

    @Test
    void a_proxied_call_is_recorded_both_ways_and_handed_over_when_it_ends() throws Exception {
        List<Path> recorded = new CopyOnWriteArrayList<>();
        BridgeOutput output = new BridgeOutput();
        short[] sentToOpenAi;
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            FakeOpenAi fake = new FakeOpenAi(true); // echoes the candidate as the interviewer's voice
            server.enqueue(fake.upgrade());
            try (OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(ProxyBridgeTest.KEY))
                         .withBaseUrl(server.url("/").uri()), Clock.systemUTC());
                 ProxyRealtimeGateway gateway = openai.proxy(ProxyOptions.defaults(refused -> { })
                         .withRecording(dir, recorded::add));
                 BrowserPeer browser = new BrowserPeer(true, true, false)) {
                gateway.tapNewBridges(output);
                RelayedCall call = gateway.relay(SdpOffer.validate(browser.offer()), ProxyBridgeTest.SESSION);
                browser.answer(call.answer().text());
                assertTrue(browser.connected.await(10, TimeUnit.SECONDS));
                fake.awaitType("session.update", 5_000);
                browser.speak(Tones.sine(1000, 48_000, 2000, 8000));
                ProxyBridgeTest.eventually(() -> browser.voicedMillis(1000) >= 1500, "the echo is heard");
                assertEquals(List.of(), recorded, "nothing is handed over while the call runs");
                gateway.hangUp(call.callId());

                assertEquals(List.of(dir.resolve(call.callId().value() + ".wav")), recorded);
                // The close frame comes after every append the bridge queued: only then has OpenAI's side all of them.
                assertTrue(fake.closed.await(10, TimeUnit.SECONDS), "OpenAI's socket is closed");
                sentToOpenAi = fake.appendedAudio();
            }
        }
        short[][] wav = channels(recorded.get(0));
        int rate = CallRecording.RATE;
        int heardFrom = ProxyBridgeTest.firstLoud(wav[0], rate / 100);
        int playedFrom = ProxyBridgeTest.firstLoud(wav[1], rate / 100);
        assertEquals(1000, Tones.peakHz(wav[0], heardFrom + rate / 10, rate, rate), 15, "what OpenAI heard");
        assertEquals(1000, Tones.peakHz(wav[1], playedFrom + rate / 10, rate, rate), 15, "what the candidate heard");
        assertTrue(playedFrom > heardFrom, "the echo comes after the speech on the timeline: " + heardFrom + " / "
                + playedFrom);
        // Both ways, exactly: left is every sample OpenAI received, right every frame the playout handed to the track
        // (through the recorder's 48 -> 24 kHz), in order, unchanged, with only the silence the call's timeline puts
        // in between. (A gap in the candidate's audio itself is made upstream of the bridge, by its WebRTC receiver
        // concealing when a loaded machine starves it, and only bounded: the recording must hold it as OpenAI got it.)
        BridgeOutput.assertSameWithSilenceInserted(wav[0], sentToOpenAi, 24 * 20, "left, what OpenAI heard");
        BridgeOutput.assertSameWithSilenceInserted(wav[1], output.playedAt24k(), 24 * 20,
                "right, what the candidate was played");
        BridgeOutput.assertMostlyLoud(Arrays.copyOfRange(wav[0], heardFrom, heardFrom + rate * 19 / 10), rate, 0.8,
                "the candidate's tone as the bridge's receiver delivered it");
    }

    /** Last: the recording test above measures gaps in real time and runs first on this JVM's WebRTC, as it did. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void a_call_its_recorder_does_not_want_writes_nothing_and_hands_nothing_over() throws Exception {
        List<Path> recorded = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            FakeOpenAi fake = new FakeOpenAi(true);
            server.enqueue(fake.upgrade());
            try (OpenAiAdapters openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(ProxyBridgeTest.KEY))
                         .withBaseUrl(server.url("/").uri()), Clock.systemUTC());
                 ProxyRealtimeGateway gateway = openai.proxy(ProxyOptions.defaults(refused -> { })
                         .withRecording(new ProxyOptions.CallAudio(dir, recorded::add, () -> {
                             asked.incrementAndGet();
                             return false; // the session's recording is off
                         })));
                 BrowserPeer browser = new BrowserPeer(true, true, false)) {
                RelayedCall call = gateway.relay(SdpOffer.validate(browser.offer()), ProxyBridgeTest.SESSION);
                browser.answer(call.answer().text());
                assertTrue(browser.connected.await(10, TimeUnit.SECONDS));
                fake.awaitType("session.update", 5_000);
                browser.speak(Tones.sine(1000, 48_000, 1000, 8000));
                ProxyBridgeTest.eventually(() -> browser.voicedMillis(1000) >= 500, "the call works all the same");
                gateway.hangUp(call.callId());
            }
        }
        assertEquals(1, asked.get(), "asked once, as the call was bridged");
        assertEquals(List.of(), recorded);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "not a byte written");
        }
    }
}
