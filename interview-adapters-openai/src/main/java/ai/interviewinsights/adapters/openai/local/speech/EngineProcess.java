package ai.interviewinsights.adapters.openai.local.speech;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external speech engine to completion: the command as an argument list (never through a shell), the
 * input written to its standard input, both outputs drained on their own threads (an engine that fills a pipe
 * nobody reads would block forever), and a deadline after which the process is killed.
 */
final class EngineProcess {

    /** What the engine printed on standard error is kept for error messages, up to this many bytes (the end). */
    private static final int STDERR_KEPT = 4_096;
    /** A reply larger than this is an engine gone wrong (a minute of 32 kHz audio is 3.8 MB). */
    private static final int MAX_STDOUT = 64 * 1024 * 1024;

    private EngineProcess() {
    }

    record Result(int exitCode, byte[] stdout, String stderrTail) {
    }

    static Result run(String engine, List<String> command, byte[] stdin, Duration timeout) throws SpeechException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new SpeechException("speech.engine_missing", engine + " could not be started (" + command.get(0)
                    + "): " + e.getMessage(), e);
        }
        Drain out = new Drain(process.getInputStream(), MAX_STDOUT, false);
        Drain err = new Drain(process.getErrorStream(), STDERR_KEPT, true);
        Thread outThread = start(out, engine + "-stdout");
        Thread errThread = start(err, engine + "-stderr");
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // The engine closed its input early (it failed or needs none): its exit code and stderr say why.
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                process.waitFor(5, TimeUnit.SECONDS);
                throw new SpeechException("speech.timeout", engine + " did not finish within " + timeout.toMillis()
                        + " ms and was stopped");
            }
            outThread.join(TimeUnit.SECONDS.toMillis(5));
            errThread.join(TimeUnit.SECONDS.toMillis(5));
            if (out.overflowed) {
                throw new SpeechException("speech.engine_failed", engine + " wrote more than " + MAX_STDOUT
                        + " bytes");
            }
            return new Result(process.exitValue(), out.bytes(), err.text());
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new SpeechException("speech.interrupted", engine + " was interrupted", e);
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
        }
    }

    /** Kills the engine and whatever it started (a wrapper script's child would otherwise live on). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Thread start(Runnable drain, String name) {
        Thread thread = new Thread(drain, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Reads a stream to its end, keeping at most {@code limit} bytes (the first ones, or the last ones). */
    private static final class Drain implements Runnable {
        private final InputStream stream;
        private final int limit;
        private final boolean keepTail;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean overflowed;

        Drain(InputStream stream, int limit, boolean keepTail) {
            this.stream = stream;
            this.limit = limit;
            this.keepTail = keepTail;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = stream) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    synchronized (kept) {
                        if (kept.size() + read <= limit) {
                            kept.write(buffer, 0, read);
                        } else if (keepTail) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            int keep = Math.max(0, limit - read);
                            kept.write(all, Math.max(0, all.length - keep), Math.min(keep, all.length));
                            kept.write(buffer, Math.max(0, read - limit), Math.min(read, limit));
                        } else {
                            overflowed = true; // keep reading so the engine is not blocked on a full pipe
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its output: what was read is all there is.
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
