package ai.interviewinsights.domain.port.out;

import ai.interviewinsights.domain.model.identity.Principal;

/** Turns a bearer token into the principal it speaks for. */
public interface AccessTokenVerifier {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException UNAUTHENTICATED with a code naming the reason
     *         ({@code auth.expired}, {@code auth.bad_signature}, {@code auth.algorithm_not_allowed},
     *         {@code auth.missing_tenant}, ...)
     */
    Principal verify(String bearerToken);
}
