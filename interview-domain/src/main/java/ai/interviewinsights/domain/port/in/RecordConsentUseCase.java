package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.consent.GivenConsent;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.util.Optional;

/**
 * Consent in the staff flow (staff start the session, the candidate consents in the room before joining), the
 * tenant's notice wording, and reading a session's consent back.
 */
public interface RecordConsentUseCase {

    /** The lobby of a session the principal may see (its candidate, or the tenant's staff). */
    InviteLobby lobby(Principal principal, SessionId session);

    /**
     * The session's candidate consents; repeating it keeps the first record.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.forbidden} unless the principal is
     *         the session's candidate, {@code session.not_live}, {@code consent.required}, {@code consent.stale_notice}
     */
    ConsentRecord consent(Principal candidate, SessionId session, GivenConsent consent);

    /** The session's consent record (staff of the tenant, or the session's candidate). */
    Optional<ConsentRecord> find(Principal principal, SessionId session);

    /** The wording the tenant's candidates see. */
    ConsentNotice notice(Principal principal);

    /** Sets the wording (admins). */
    ConsentNotice setNotice(Principal admin, ConsentNotice notice);
}
