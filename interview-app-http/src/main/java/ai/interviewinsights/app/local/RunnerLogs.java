package ai.interviewinsights.app.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The output of local runners without a thread per runner. Each runner writes its standard output and error to a
 * file of its own (it never blocks on a pipe nobody reads); the thread that starts a runner reads that file until
 * the runner says where it listens; afterwards one thread for all runners passes new lines through to the control
 * plane's standard output (the runners' structured log lines, as before), a few times a second. A runner's file is
 * deleted once it has exited in order and been read to its end; the file of a runner that died is kept for the
 * operator (docs/operations.md).
 */
final class RunnerLogs implements AutoCloseable {

    private static final Duration FORWARD_EVERY = Duration.ofMillis(200);
    private static final long START_POLL_NANOS = Duration.ofMillis(2).toNanos();

    private final Path folder;
    /** Where lines go: looked up for every line, as {@code System.out} may be replaced while runners run. */
    private final java.util.function.Supplier<PrintStream> out;
    private final Map<Path, Tail> tails = new ConcurrentHashMap<>();
    private Thread forwarder;
    private volatile boolean closed;

    RunnerLogs(Path folder, java.util.function.Supplier<PrintStream> out) {
        this.folder = folder;
        this.out = out;
    }

    /** The file a new runner writes to (created empty). */
    Path newFile(String name) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
        Files.deleteIfExists(file);
        return Files.createFile(file);
    }

    /**
     * Reads a starting runner's file, passing its lines through, until a line holds {@code marker}; returns the rest
     * of that line. Gives up (null) when {@code alive} turns false or the deadline passes. From then on the file's
     * new lines are forwarded by the shared thread.
     */
    String awaitLine(Path file, String marker, BooleanSupplier alive, long deadlineNanos) throws IOException,
            InterruptedException {
        Tail tail = new Tail(file);
        try {
            while (true) {
                for (String line : tail.lines()) {
                    int at = line.indexOf(marker);
                    if (at >= 0) {
                        tails.put(file, tail);
                        startForwarder();
                        return line.substring(at + marker.length());
                    }
                    out.get().println(line);
                }
                if (!alive.getAsBoolean()) {
                    tail.lines().forEach(line -> out.get().println(line));
                    tail.close();
                    return null;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    tail.close();
                    return null;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(START_POLL_NANOS);
                if (Thread.interrupted()) {
                    tail.close();
                    throw new InterruptedException();
                }
            }
        } catch (IOException | RuntimeException e) {
            tail.close();
            throw e;
        }
    }

    /** The runner has exited: its last lines are passed through; its file is deleted unless {@code keep}. */
    void finished(Path file, boolean keep) {
        Tail tail = tails.remove(file);
        if (tail != null) {
            synchronized (tail) {
                try {
                    tail.lines().forEach(line -> out.get().println(line));
                } catch (IOException e) {
                    // the file went away: nothing more to pass through
                }
                tail.close();
            }
        }
        if (!keep) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left for the operator
            }
        }
    }

    private synchronized void startForwarder() {
        if (forwarder != null || closed) {
            return;
        }
        forwarder = new Thread(this::forward, "runner-logs");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    private void forward() {
        while (!closed) {
            for (Tail tail : tails.values()) {
                synchronized (tail) {
                    try {
                        tail.lines().forEach(line -> out.get().println(line));
                    } catch (IOException e) {
                        // finished meanwhile
                    }
                }
            }
            try {
                Thread.sleep(FORWARD_EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread thread;
        synchronized (this) {
            thread = forwarder;
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** What of one file has been read: whole lines are handed out, a partial last line waits for its end. */
    private static final class Tail {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private boolean open = true;

        Tail(Path file) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        }

        java.util.List<String> lines() throws IOException {
            java.util.List<String> lines = new java.util.ArrayList<>();
            if (!open) {
                return lines;
            }
            while (true) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read <= 0) {
                    return lines;
                }
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        lines.add(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
            }
        }

        void close() {
            open = false;
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
