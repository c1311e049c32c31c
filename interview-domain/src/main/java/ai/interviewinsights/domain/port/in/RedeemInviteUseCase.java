package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.consent.GivenConsent;
import ai.interviewinsights.domain.model.recording.RecordingGrantTiming;

/**
 * A candidate opens an invite link, without signing in (the candidate-invite flow). Opening the link only reads
 * the {@link #lobby}; the interview starts when the candidate, having consented, presses Start ({@link #redeem}).
 * While that session is live, redeeming again rejoins it.
 */
public interface RedeemInviteUseCase {

    /**
     * What the link leads to; uses nothing up and starts nothing.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invite.invalid_token} (NOT_FOUND)
     */
    InviteLobby lobby(String inviteToken);

    /**
     * Starts the interview (the consent is stored with the session and in the audit log), or rejoins it while it
     * is live (the consent given at the start stands).
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invite.invalid_token} (NOT_FOUND),
     *         {@code invite.expired} / {@code invite.revoked} / {@code invite.used} (GONE), {@code consent.required}
     *         (INVALID), {@code consent.stale_notice} (CONFLICT)
     */
    default StartedInterview redeem(String inviteToken, GivenConsent consent) {
        return redeem(inviteToken, consent, RecordingGrantTiming.WITH_THE_START);
    }

    /**
     * The same, the recording's grant given with the start or asked for by the room after READY (ADR 0028).
     */
    StartedInterview redeem(String inviteToken, GivenConsent consent, RecordingGrantTiming recordingGrant);
}
