package ai.interviewinsights.adapters.supabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL a control plane left behind when it was killed ({@code kill -9}): the postmaster outlives
 * its parent and keeps the data directory ({@code postmaster.pid}), so the next start fails every time. Before the
 * embedded database starts, a postmaster still serving this very data directory is shut down (fast shutdown, then
 * killed if it does not go), so a restart after a crash just works.
 */
final class OrphanedPostgres {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostgres.class);

    private OrphanedPostgres() {
    }

    /** Stops the postmaster named by {@code dataDirectory/postmaster.pid}, if it is alive and is a postgres. */
    static void stopIfAny(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster = postmaster(pidFile);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        LOG.warn("an embedded PostgreSQL (pid {}) from an earlier run still holds {}; stopping it", process.pid(),
                dataDirectory);
        // SIGTERM is PostgreSQL's smart shutdown; its clients died with the old control plane.
        process.destroy();
        try {
            process.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // what remains is reported by the start itself
            }
        }
    }

    static Optional<ProcessHandle> postmaster(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.size() < 2) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            Path dir = Path.of(lines.get(1).strip());
            if (!Files.isSameFile(dir, pidFile.getParent()) || pid == ProcessHandle.current().pid()) {
                return Optional.empty();
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
