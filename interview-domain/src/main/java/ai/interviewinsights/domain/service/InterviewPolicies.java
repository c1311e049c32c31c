package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.interview.SettingsCatalog;
import java.time.Duration;
import java.util.Objects;

/**
 * The operator's knobs, with defaults that suit a normal deployment.
 *
 * @param settings           known voices and models, and default interview settings
 * @param idleTimeout        a session not yet talking (created, provisioning, ready) with no activity this long expires
 * @param overrunGrace       an ACTIVE session this long past its time budget is expired (its runner failed to hang up)
 * @param endingGrace        a session ENDING this long without its runner reporting is evaluated anyway
 * @param reconcileGrace     a runner younger than this is never reconciled away (its session may still be saving)
 * @param inviteValidity     how long an invite link works by default
 * @param tokenMargin        session tokens live for the interview's budget plus this margin
 * @param realtimeSecretTtl  lifetime of a browser-direct realtime secret (the realtime adapter refuses what its
 *                           provider does not allow: OpenAI takes 10 s to 2 h)
 * @param recordingMargin    the upload token lives for the interview's budget plus this margin
 * @param runnerLease        how long a runner's lease lasts unless its holder renews it (renewed three times as
 *                           often); after it a runner whose instance stopped vouching for it counts as gone
 */
public record InterviewPolicies(SettingsCatalog settings, Duration idleTimeout, Duration overrunGrace,
                                Duration endingGrace, Duration reconcileGrace, Duration inviteValidity,
                                Duration tokenMargin, Duration realtimeSecretTtl, Duration recordingMargin,
                                Duration runnerLease) {

    public InterviewPolicies {
        Objects.requireNonNull(settings, "settings");
        positive(idleTimeout, "idleTimeout");
        positive(overrunGrace, "overrunGrace");
        positive(endingGrace, "endingGrace");
        positive(reconcileGrace, "reconcileGrace");
        positive(inviteValidity, "inviteValidity");
        positive(tokenMargin, "tokenMargin");
        positive(recordingMargin, "recordingMargin");
        positive(realtimeSecretTtl, "realtimeSecretTtl");
        positive(runnerLease, "runnerLease");
    }

    public static InterviewPolicies defaults() {
        return new InterviewPolicies(SettingsCatalog.defaults(), Duration.ofMinutes(15), Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofDays(7), Duration.ofMinutes(30),
                Duration.ofMinutes(2), Duration.ofMinutes(15), Duration.ofSeconds(30));
    }

    public InterviewPolicies withIdleTimeout(Duration value) {
        return new InterviewPolicies(settings, value, overrunGrace, endingGrace, reconcileGrace, inviteValidity,
                tokenMargin, realtimeSecretTtl, recordingMargin, runnerLease);
    }

    public InterviewPolicies withSettings(SettingsCatalog value) {
        return new InterviewPolicies(value, idleTimeout, overrunGrace, endingGrace, reconcileGrace, inviteValidity,
                tokenMargin, realtimeSecretTtl, recordingMargin, runnerLease);
    }

    public InterviewPolicies withRunnerLease(Duration value) {
        return new InterviewPolicies(settings, idleTimeout, overrunGrace, endingGrace, reconcileGrace, inviteValidity,
                tokenMargin, realtimeSecretTtl, recordingMargin, value);
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
