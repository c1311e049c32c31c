package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Resampler;
import ai.interviewinsights.adapters.openai.webrtc.AnsweringPeer;
import ai.interviewinsights.adapters.openai.webrtc.Pacer;
import ai.interviewinsights.adapters.openai.webrtc.WebRtcEngine;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays synthesised speech into a WebRTC call in real time: resampled to 48 kHz and pushed as 10 ms frames by the
 * engine's {@link Pacer}, so that the frames pushed so far are the audio the candidate has heard (what a barge-in
 * truncates to). While another connection is starting the voice pauses for that moment (the frame is held, not
 * dropped).
 */
final class FramePacer implements Conversation.VoiceOut {

    private final ScheduledExecutorService ticks;
    private final AnsweringPeer peer;

    FramePacer(ScheduledExecutorService ticks, AnsweringPeer peer) {
        this.ticks = ticks;
        this.peer = peer;
    }

    @Override
    public Conversation.Playback play(String responseId, String itemId, Pcm16 audio, Runnable finished) {
        short[] samples = audio.sampleRate() == WebRtcEngine.RATE ? audio.samples()
                : Resampler.convert(audio.samples(), audio.sampleRate(), WebRtcEngine.RATE);
        int size = WebRtcEngine.FRAME_SAMPLES;
        int frames = (samples.length + size - 1) / size;
        AtomicInteger played = new AtomicInteger();
        Pacer.Pacing pacing = Pacer.start(ticks, peer, now -> {
            int i = played.get();
            if (i >= frames) {
                return null;
            }
            short[] frame = new short[size];
            int from = i * size;
            System.arraycopy(samples, from, frame, 0, Math.min(size, samples.length - from));
            played.incrementAndGet();
            return frame;
        }, finished);
        return () -> {
            pacing.stop();
            return played.get() * 10L;
        };
    }
}
