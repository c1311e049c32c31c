package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.interview.SettingsRequest;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteToken;
import java.time.Duration;
import java.util.Objects;

/** Staff invite a candidate to interview for a position; the link's token is shown once and only its hash kept. */
public interface InviteCandidateUseCase {

    IssuedInvite invite(InviteCandidate command);

    /** @param validFor how long the link works; null for the configured default */
    record InviteCandidate(Principal principal, CandidateId candidate, PositionId position, SettingsRequest settings,
                           Duration validFor) {
        public InviteCandidate {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(position, "position");
        }
    }

    /** The stored invite and the token for the link (not stored anywhere). */
    record IssuedInvite(Invite invite, InviteToken token) {
    }
}
