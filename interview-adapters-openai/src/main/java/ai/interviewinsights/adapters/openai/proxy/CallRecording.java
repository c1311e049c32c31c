package ai.interviewinsights.adapters.openai.proxy;

import ai.interviewinsights.adapters.openai.media.Resampler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Both sides of a proxied call as they happened, written while the call runs to a 16-bit stereo WAV at 24 kHz: left,
 * exactly the samples OpenAI was sent ({@code input_audio_buffer.append}: what the model heard); right, the frames
 * handed to the browser's track (what the candidate heard, barge-ins included). The proxy is the one place where this
 * audio exists; a hybrid call's audio never passes the server.
 *
 * <p>The two sides come from different clocks (the browser's microphone, the bridge's 10 ms ticker), so each is placed
 * on the call's wall-clock timeline: its first frame where it arrived, and a side that falls more than
 * {@value #SLACK_MS} ms behind the clock (the browser stopped sending, playback was held) is filled with silence up to
 * it. Only the stretch both sides have reached is written; the rest waits in memory (bounded by that slack).
 *
 * <p>Thread-safe: the WebRTC audio thread and the ticker call in concurrently.
 */
final class CallRecording implements AutoCloseable {

    static final int RATE = 24_000;
    static final int SLACK_MS = 200;
    private static final int SLACK = RATE * SLACK_MS / 1000;
    private static final int HEADER = 44;

    private final Path file;
    private final long startNanos;
    private final OutputStream out;
    private final Resampler down = new Resampler(48_000, RATE);
    private final Side heard = new Side();
    private final Side played = new Side();
    private long frames;
    private boolean finished;

    /** One side's samples not written yet, and how far along the timeline it is (written + pending). */
    private static final class Side {
        short[] pending = new short[RATE];
        int size;
        long position;
        /** Where the side's last real samples ended; behind {@code position} while it is filled with silence. */
        long realEnd;

        void add(short[] samples, int from, int count) {
            if (size + count > pending.length) {
                pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, size + count));
            }
            System.arraycopy(samples, from, pending, size, count);
            size += count;
            position += count;
        }

        void silence(long count) {
            add(new short[(int) count], 0, (int) count);
        }

        void drop(int count) {
            System.arraycopy(pending, count, pending, 0, size - count);
            size -= count;
        }
    }

    CallRecording(Path file, long startNanos) {
        this.file = file;
        this.startNanos = startNanos;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            out.write(new byte[HEADER]); // sizes are known at the end
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The samples sent to OpenAI (24 kHz), as they are sent. */
    synchronized void heard(short[] pcm24k, long nowNanos) {
        add(heard, played, pcm24k, nowNanos);
    }

    /** A frame handed to the browser's track (48 kHz), as it is handed over. */
    synchronized void played(short[] pcm48k, long nowNanos) {
        add(played, heard, down.process(pcm48k), nowNanos);
    }

    private void add(Side side, Side other, short[] samples, long nowNanos) {
        if (finished) {
            return;
        }
        long clock = Math.max(0, (nowNanos - startNanos) * RATE / 1_000_000_000L);
        // A side that fell behind the clock (nothing came for a while) resumes where the clock is; one that was quiet
        // (its first frame, or silence filled in while it sent nothing) resumes exactly there.
        long behind = clock - samples.length - side.position;
        boolean wasQuiet = side.position == 0 || side.position > side.realEnd;
        if (behind > SLACK || wasQuiet && behind > 0) {
            side.silence(behind);
        }
        side.add(samples, 0, samples.length);
        side.realEnd = side.position;
        // The other side's silence while it is quiet, so that this side never waits in memory for long.
        if (clock - other.position > SLACK) {
            other.silence(clock - SLACK - other.position);
        }
        write();
    }

    /** Writes the stretch both sides have reached, interleaved (left: heard, right: played). */
    private void write() {
        int n = Math.min(heard.size, played.size);
        if (n == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putShort(heard.pending[i]).putShort(played.pending[i]);
        }
        try {
            out.write(bytes.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        heard.drop(n);
        played.drop(n);
        frames += n;
    }

    /** Pads the shorter side with silence, writes the rest and the header's sizes; idempotent. */
    synchronized Path finish() {
        if (finished) {
            return file;
        }
        finished = true;
        long end = Math.max(heard.position, played.position);
        heard.silence(end - heard.position);
        played.silence(end - played.position);
        try {
            write();
            out.close();
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.write(header(frames));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Seconds written so far (both sides reached). */
    synchronized double seconds() {
        return frames / (double) RATE;
    }

    @Override
    public void close() {
        finish();
    }

    private static byte[] header(long frames) {
        long data = frames * 4;
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + data))
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 2).putInt(RATE).putInt(RATE * 4).putShort((short) 4)
                .putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) data);
        return b.array();
    }
}
