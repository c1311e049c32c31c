package ai.interviewinsights.app.tokens;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.port.out.AccessTokenVerifier;

/**
 * Staff tokens come from Supabase Auth, candidate and runner tokens from us: the token's issuer says which verifier
 * must check it. A token claiming our issuer is never handed to the other verifier, and vice versa.
 */
public final class CompositeAccessTokenVerifier implements AccessTokenVerifier {

    private final SessionTokens sessionTokens;
    private final AccessTokenVerifier staffTokens;

    public CompositeAccessTokenVerifier(SessionTokens sessionTokens, AccessTokenVerifier staffTokens) {
        this.sessionTokens = sessionTokens;
        this.staffTokens = staffTokens;
    }

    @Override
    public Principal verify(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.missing", "a bearer token is required");
        }
        if (bearerToken.length() > 16_384) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.malformed", "the token is too long");
        }
        // A session token accepted before (a runner's, on every transcript write) needs no decoding to route it.
        Principal recent = sessionTokens.verifiedRecently(bearerToken);
        if (recent != null) {
            return recent;
        }
        if (SessionTokens.isSessionToken(bearerToken)) {
            return sessionTokens.verify(bearerToken);
        }
        Principal principal = staffTokens.verify(bearerToken);
        if (principal.role().isSessionBound()) {
            // Session-bound principals exist only through our own tokens.
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.invalid_claims",
                    "a staff token cannot carry a candidate or runner role");
        }
        return principal;
    }
}
