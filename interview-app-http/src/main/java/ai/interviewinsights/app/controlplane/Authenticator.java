package ai.interviewinsights.app.controlplane;

import ai.interviewinsights.app.web.BearerToken;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.port.out.AccessTokenVerifier;
import io.javalin.http.Context;
import org.slf4j.MDC;

/** Reads the bearer token of a request and asks the verifier who it speaks for. */
public final class Authenticator {

    private static final String ATTRIBUTE = "principal";

    private final AccessTokenVerifier verifier;

    public Authenticator(AccessTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** @throws DomainException UNAUTHENTICATED when the token is missing or not valid */
    public Principal principal(Context ctx) {
        Principal cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        Principal principal = verifier.verify(BearerToken.from(ctx.header("Authorization")));
        ctx.attribute(ATTRIBUTE, principal);
        MDC.put("tenant_id", principal.tenant().toString());
        principal.boundSession().ifPresent(s -> MDC.put("session_id", s.toString()));
        return principal;
    }
}
