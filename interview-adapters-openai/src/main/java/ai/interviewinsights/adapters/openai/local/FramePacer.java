package ai.interviewinsights.adapters.openai.local;

import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Resampler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Plays synthesised speech into a WebRTC call in real time: resampled to 48 kHz and pushed as 10 ms frames on a fixed
 * rate, so that the frames pushed so far are the audio the candidate has heard (what a barge-in truncates to).
 * Pushing faster would fill WebRTC's buffers and make {@code audio_end_ms} a lie.
 */
final class FramePacer implements Conversation.VoiceOut {

    private final ScheduledExecutorService ticks;
    private final Consumer<short[]> push;
    private final java.util.function.BooleanSupplier mayPush;

    /**
     * @param push    receives 480-sample frames (10 ms at 48 kHz)
     * @param mayPush false while another connection is starting: the voice pauses for that moment (the
     *                frame is held, not dropped), see {@code WebRtcEngine.unsettle}
     */
    FramePacer(ScheduledExecutorService ticks, Consumer<short[]> push, java.util.function.BooleanSupplier mayPush) {
        this.ticks = ticks;
        this.push = push;
        this.mayPush = mayPush;
    }

    @Override
    public Conversation.Playback play(String responseId, String itemId, Pcm16 audio, Runnable finished) {
        short[] samples = audio.sampleRate() == LocalPeer.RATE ? audio.samples()
                : Resampler.convert(audio.samples(), audio.sampleRate(), LocalPeer.RATE);
        int frames = (samples.length + LocalPeer.FRAME_SAMPLES - 1) / LocalPeer.FRAME_SAMPLES;
        AtomicInteger played = new AtomicInteger();
        AtomicBoolean over = new AtomicBoolean();
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        Runnable tick = () -> {
            if (over.get() || !mayPush.getAsBoolean()) {
                return;
            }
            int i = played.get();
            if (i >= frames) {
                if (over.compareAndSet(false, true)) {
                    task[0].cancel(false);
                    finished.run();
                }
                return;
            }
            short[] frame = new short[LocalPeer.FRAME_SAMPLES];
            int from = i * LocalPeer.FRAME_SAMPLES;
            System.arraycopy(samples, from, frame, 0, Math.min(LocalPeer.FRAME_SAMPLES, samples.length - from));
            push.accept(frame);
            played.incrementAndGet();
        };
        synchronized (task) {
            task[0] = ticks.scheduleAtFixedRate(() -> {
                synchronized (task) {
                    tick.run();
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
        }
        return () -> {
            over.set(true);
            task[0].cancel(false);
            return played.get() * 10L;
        };
    }
}
