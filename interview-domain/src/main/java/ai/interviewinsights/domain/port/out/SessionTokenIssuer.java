package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * Issues tokens bound to one session: the candidate's (in the WebSocket URL) and the runner's (to talk to the
 * control plane). Such a token can act on its session only, so a leaked one exposes nothing else.
 */
public interface SessionTokenIssuer {

    IssuedToken issue(Grant grant);

    /**
     * The key a runner uses to check its clients' tokens. It verifies tokens of this session only: a runner that
     * holds it cannot mint tokens for any other session.
     */
    Secret clientVerificationKey(TenantId tenant, SessionId session);

    /** What a token may do. */
    record Grant(TenantId tenant, SessionId session, Role role, Instant expiresAt) {
        public Grant {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (role == null || !role.isSessionBound()) {
                throw new IllegalArgumentException("session tokens are for candidates and runners");
            }
        }
    }

    /** A token and when it stops working. */
    record IssuedToken(Secret token, Instant expiresAt) {
        public IssuedToken {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
