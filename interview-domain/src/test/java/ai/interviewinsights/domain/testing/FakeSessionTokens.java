package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.port.out.AccessTokenVerifier;
import ai.interviewinsights.domain.port.out.SessionTokenIssuer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opaque session tokens remembered in memory, plus staff tokens registered by tests; verifies both, checking
 * expiry against the clock like a real verifier.
 */
public final class FakeSessionTokens implements SessionTokenIssuer, AccessTokenVerifier {

    private final Clock clock;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Grant> sessionTokens = new ConcurrentHashMap<>();
    private final Map<String, Principal> staffTokens = new ConcurrentHashMap<>();

    public FakeSessionTokens(Clock clock) {
        this.clock = clock;
    }

    @Override
    public IssuedToken issue(Grant grant) {
        String token = "st_" + grant.role().name().toLowerCase(java.util.Locale.ROOT) + "_" + next.incrementAndGet();
        sessionTokens.put(token, grant);
        return new IssuedToken(Secret.of(token), grant.expiresAt());
    }

    @Override
    public Secret clientVerificationKey(TenantId tenant, SessionId session) {
        return Secret.of("key-" + tenant + "-" + session);
    }

    /** Registers a bearer token for a staff principal. */
    public String staffToken(Principal principal) {
        String token = "staff_" + next.incrementAndGet();
        staffTokens.put(token, principal);
        return token;
    }

    @Override
    public Principal verify(String bearerToken) {
        Principal staff = staffTokens.get(bearerToken);
        if (staff != null) {
            return staff;
        }
        Grant grant = sessionTokens.get(bearerToken);
        if (grant == null) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.unknown_token", "the token is not valid");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.expired", "the token has expired");
        }
        return Principal.sessionBound(grant.tenant(), new UserId(grant.session().value()), grant.role(),
                grant.session());
    }
}
