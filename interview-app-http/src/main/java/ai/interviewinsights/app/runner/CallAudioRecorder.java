package ai.interviewinsights.app.runner;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import ai.interviewinsights.domain.port.out.CallAudioUploader;
import ai.interviewinsights.domain.port.out.ControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxy runner's server-side recording of its call, from the bridge to the session (ADR 0021). The bridge asks
 * {@link #wanted()} as it bridges a call (yes only when the session's assignment says its recording is on) and hands
 * over the finished WAV ({@link #recorded}); the first yes asks the control plane for a call-audio grant (a delegated
 * upload token; the runner never holds the provider's API key) on a thread of its own, off the offer's path.
 *
 * <p>Once the end has been reported ({@link #endReported()}: the transcript is stored and the evaluation queued, so
 * nothing waits for the audio), a non-daemon thread uploads the file (several calls of one runner, after a
 * reconnect, are joined into one WAV in order), reports it uploaded or failed (a stable code, audited by the control
 * plane; the session is not affected), and deletes the local files (personal data). The runner exits after it
 * ({@link #awaitIdle}). A runner stopped before its end ({@link #discard()}) uploads nothing and deletes its files: a
 * replacement runner records the rest of the call and is granted afresh.
 *
 * <p>One per runner process (a standby's gateway is built before it knows its session, so the session is
 * {@linkplain #bind bound} later). Thread-safe.
 */
public final class CallAudioRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(CallAudioRecorder.class);
    /** How long, after the end, the last bridge may take to hand over its file. */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final int WAV_HEADER = 44;
    private static final int BYTES_PER_SECOND = 24_000 * 4;

    private final Path directory;
    private ControlPlane controlPlane;
    private BooleanSupplier recordThisSession = () -> false;
    private CallAudioUploader uploader;
    private CompletableFuture<CallAudioGrant> grant;
    private final List<Path> files = new ArrayList<>();
    private int started;
    private boolean over;
    private boolean done;
    /** The outcome has been (or is being) reported: by the upload, or by {@link #abandon}. Only one of them does. */
    private boolean outcomeClaimed;
    private Thread worker;

    public CallAudioRecorder(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Where the bridge writes its files (this runner's own temporary directory). */
    public Path directory() {
        return directory;
    }

    /**
     * The session this runner serves: its control plane, whether its recording is on (read from the assignment the
     * runner already holds: no request on the offer's path), and what uploads the file.
     */
    public synchronized void bind(ControlPlane controlPlane, BooleanSupplier recordThisSession,
                                  CallAudioUploader uploader) {
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
        this.recordThisSession = Objects.requireNonNull(recordThisSession, "recordThisSession");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
    }

    /** Asked by the bridge for each call it bridges. */
    public synchronized boolean wanted() {
        if (over || controlPlane == null || !recordThisSession.getAsBoolean()) {
            return false;
        }
        started++;
        if (grant == null) {
            ControlPlane plane = controlPlane;
            grant = CompletableFuture.supplyAsync(plane::callAudioGrant,
                    task -> daemon("runner-call-audio-grant", task).start());
        }
        return true;
    }

    /** A call's finished recording; this runner's to store, then delete. */
    public synchronized void recorded(Path file) {
        if (done || over && worker == null) {
            delete(file); // discarded (the runner was stopped before its end), or too late to be stored
            return;
        }
        files.add(file);
        notifyAll();
    }

    /** The end is reported: upload what was recorded, then let the runner exit. Once. */
    public synchronized void endReported() {
        if (over) {
            return;
        }
        over = true;
        if (started == 0) {
            deleteDirectory();
            return;
        }
        worker = new Thread(this::store, "runner-call-audio");
        worker.setDaemon(false); // the upload is the runner's last duty: the JVM waits for it
        worker.start();
    }

    /** The runner is stopped before its end: nothing is uploaded, the files are deleted. */
    public synchronized void discard() {
        if (over) {
            return;
        }
        over = true;
        files.forEach(CallAudioRecorder::delete);
        files.clear();
        deleteDirectory();
    }

    /** Waits, at most {@code limit}, for the upload after the end to finish; true when nothing is left to do. */
    public boolean awaitIdle(Duration limit) {
        Thread running;
        synchronized (this) {
            running = worker;
        }
        if (running == null) {
            return true;
        }
        try {
            running.join(Math.max(1, limit.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !running.isAlive();
    }

    /**
     * The runner goes away while the upload is still running (stopped in the middle of it, or past its time limit):
     * the session is told the call audio failed with {@code code}, rather than showing it pending for ever, and the
     * local files are deleted. The upload's own outcome, if it still comes, is then not reported. A no-op when no
     * upload is running or its outcome is already reported.
     */
    public void abandon(String code) {
        ControlPlane plane;
        synchronized (this) {
            if (worker == null || !worker.isAlive() || outcomeClaimed) {
                return;
            }
            outcomeClaimed = true;
            plane = controlPlane;
        }
        LOG.warn("the call audio's upload is abandoned ({})", code);
        report(() -> plane.callAudioFailed(code));
        cleanUp();
    }

    /** Reports the upload's outcome unless {@link #abandon} has reported one already. */
    private void reportOutcome(Runnable step) {
        synchronized (this) {
            if (outcomeClaimed) {
                return;
            }
            outcomeClaimed = true;
        }
        report(step);
    }

    private void store() {
        List<Path> recorded;
        CallAudioGrant granted;
        try {
            recorded = settle();
            granted = grant.get(SETTLE.toMillis() * 6, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            String code = cause instanceof DomainException domain ? domain.code() : "recording.grant_unavailable";
            LOG.warn("the call audio cannot be stored: no upload grant ({})", code);
            reportOutcome(() -> controlPlane.callAudioFailed(code));
            cleanUp();
            return;
        }
        try {
            // A call that failed before its media flowed leaves a header and nothing else.
            recorded = recorded.stream().filter(CallAudioRecorder::hasAudio).toList();
            if (recorded.isEmpty()) {
                LOG.warn("the call audio cannot be stored: no call was recorded");
                reportOutcome(() -> controlPlane.callAudioFailed("recording.no_audio"));
                return;
            }
            Path file = recorded.size() == 1 ? recorded.get(0) : join(recorded, directory.resolve("call.wav"));
            long bytes = Files.size(file);
            double seconds = Math.max(0, bytes - WAV_HEADER) / (double) BYTES_PER_SECOND;
            long startedAt = System.nanoTime();
            uploader.upload(granted, file);
            LOG.info("call audio uploaded to video {}: {} bytes, {} s of audio, in {} ms", granted.videoId(), bytes,
                    String.format(java.util.Locale.ROOT, "%.1f", seconds),
                    (System.nanoTime() - startedAt) / 1_000_000);
            reportOutcome(() -> controlPlane.callAudioUploaded(granted.videoId(), bytes, seconds));
        } catch (DomainException e) {
            LOG.warn("the call audio could not be uploaded ({}): {}", e.code(), e.getMessage());
            reportOutcome(() -> controlPlane.callAudioFailed(e.code()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("the call audio could not be uploaded: {}", e.getClass().getSimpleName());
            reportOutcome(() -> controlPlane.callAudioFailed("recording.upload_failed"));
        } finally {
            cleanUp();
        }
    }

    private static boolean hasAudio(Path wav) {
        try {
            return Files.size(wav) > WAV_HEADER;
        } catch (IOException e) {
            return false;
        }
    }

    /** The files handed over, waiting (bounded) for every bridged call's file to arrive. */
    private synchronized List<Path> settle() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (files.size() < started) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("{} of {} recorded calls were handed over; storing those", files.size(), started);
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(files);
    }

    private static void report(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("reporting the call audio's outcome to the control plane failed: {}", DomainException.describe(e));
        }
    }

    private synchronized void cleanUp() {
        done = true;
        files.forEach(CallAudioRecorder::delete);
        files.clear();
        deleteDirectory();
    }

    private void deleteDirectory() {
        try (var left = Files.list(directory)) {
            left.forEach(CallAudioRecorder::delete);
        } catch (IOException e) {
            // gone already
        }
        delete(directory);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file.getFileName(), e.getClass().getSimpleName());
        }
    }

    /**
     * Several 24 kHz stereo WAVs of one runner (a call per browser connection) as one, in order: their audio one
     * after the other, under one header.
     */
    static Path join(List<Path> parts, Path into) throws IOException {
        long data = 0;
        for (Path part : parts) {
            data += Math.max(0, Files.size(part) - WAV_HEADER);
        }
        try (OutputStream out = Files.newOutputStream(into)) {
            try (InputStream first = Files.newInputStream(parts.get(0))) {
                out.write(first.readNBytes(WAV_HEADER));
            }
            for (Path part : parts) {
                try (InputStream in = Files.newInputStream(part)) {
                    in.skipNBytes(WAV_HEADER);
                    in.transferTo(out);
                }
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(into.toFile(), "rw")) {
            ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            raf.seek(4);
            raf.write(size.putInt(0, (int) (36 + data)).array());
            raf.seek(40);
            raf.write(size.putInt(0, (int) data).array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }

    private static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String toString() {
        return "CallAudioRecorder[" + directory.getFileName() + "]";
    }
}
