package ai.interviewinsights.app;

import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.domain.service.InterviewServices;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's scheduled jobs, on one thread: start-up recovery of orphaned local runners, the reaper (stale
 * sessions), the reconciler (runners without a live session), retention and unfinished key re-encryption.
 */
final class Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    /** How often unfinished re-encryptions are looked for. */
    static final Duration REENCRYPTION_INTERVAL = Duration.ofMinutes(5);

    /** How often the retention job looks for candidates due for erasure. */
    static final Duration RETENTION_INTERVAL = Duration.ofHours(1);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, Jobs.daemon("housekeeping"));

    /** The lease renewal of this instance's local runners, on a thread of its own (null without local runners). */
    private final ScheduledExecutorService leaseRenewal;

    /** Schedules every job; the first runs of the periodic ones are one interval away. */
    Housekeeping(InterviewServices services, Persistence persistence, Metrics metrics,
                 ControlPlaneSettings.Limits limits, Optional<LocalProcessRunnerProvisioner> localRunners,
                 Duration runnerLease) {
        localRunners.ifPresent(runners ->
                // Start-up recovery: runners an earlier instance on this data directory left behind (it was killed)
                // are destroyed now, not at the first reconcile; their sessions stay live for the candidate to come
                // back to.
                scheduler.execute(() -> Jobs.run("orphaned runners", () -> {
                    int found = runners.destroyOrphans();
                    if (found > 0) {
                        LOG.warn("destroyed {} orphaned runner process(es) of an earlier run", found);
                    }
                })));
        if (localRunners.isPresent()) {
            // The runners this instance runs are vouched for three times per lease (ADR 0018), on a thread of their
            // own: a slow reaper or evaluation never lets a live runner's lease lapse.
            leaseRenewal = Executors.newSingleThreadScheduledExecutor(Jobs.daemon("runner-leases"));
            long every = runnerLease.dividedBy(3).toMillis();
            leaseRenewal.scheduleWithFixedDelay(() -> Jobs.run("runner leases", () -> metrics.housekeeping(
                    "lease_stopped", services.renewRunnerLeases().renewLeases().stopped().size())),
                    every, every, TimeUnit.MILLISECONDS);
        } else {
            leaseRenewal = null;
        }
        every(limits.reaperInterval(), "reaper", () -> {
            var report = services.expireStaleSessions().expireStale();
            metrics.housekeeping("expired", report.expired().size());
            metrics.housekeeping("completed", report.completed().size());
        });
        every(limits.reconcileInterval(), "reconciler", () -> metrics.housekeeping("reconciled",
                services.reconcileRunners().reconcile().destroyed().size()));
        // Per-tenant retention: candidates whose last interview ended longer ago than their tenant keeps them.
        every(RETENTION_INTERVAL, "retention", () -> metrics.housekeeping("erased",
                services.retention().applyRetention().size()));
        // Key rotation: the re-encryption a rotation started is finished in the background (resumes after a crash).
        every(REENCRYPTION_INTERVAL, "reencryption", () -> metrics.housekeeping("reencrypted",
                persistence.store().keys().resumeUnfinished().stream().mapToInt(r -> r.values()).sum()));
    }

    private void every(Duration interval, String name, Runnable work) {
        scheduler.scheduleWithFixedDelay(() -> Jobs.run(name, work), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (leaseRenewal != null) {
            leaseRenewal.shutdownNow();
        }
    }
}
