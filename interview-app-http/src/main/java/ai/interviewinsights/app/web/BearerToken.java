package ai.interviewinsights.app.web;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;

/**
 * The one reading of an {@code Authorization} header (RFC 6750 section 2.1): the scheme {@code Bearer} in any case,
 * one space, the token with surrounding white space removed. The control plane's API and the runner's HTTP SDP
 * exchange both read it here, so they cannot disagree about what a missing token is.
 */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /**
     * @param header the {@code Authorization} header, or {@code null}
     * @return the token
     * @throws DomainException {@code auth.missing} (UNAUTHENTICATED) when there is no bearer token
     */
    public static String from(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || header.substring(SCHEME.length()).isBlank()) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "auth.missing",
                    "send 'Authorization: Bearer <token>'");
        }
        return header.substring(SCHEME.length()).strip();
    }
}
