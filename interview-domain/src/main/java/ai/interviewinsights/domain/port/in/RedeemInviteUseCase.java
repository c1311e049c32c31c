package ai.interviewinsights.domain.port.in;

/**
 * A candidate opens an invite link, without signing in (the candidate-invite flow). The first time, the interview
 * session is started; while that session is live, opening the link again rejoins it.
 */
public interface RedeemInviteUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code invite.invalid_token} (NOT_FOUND),
     *         {@code invite.expired} / {@code invite.revoked} / {@code invite.used} (GONE)
     */
    StartedInterview redeem(String inviteToken);
}
