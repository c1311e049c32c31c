package ai.interviewinsights.domain.model.consent;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A candidate's consent, kept with the interview session: when, to which words (the exact text and its version),
 * and to what (AI conduct and evaluation always; recording when the interview is recorded).
 *
 * @param actor who gave it: {@code candidate:<session>} for an invite link or a staff-started room
 */
public record ConsentRecord(UUID id, TenantId tenant, SessionId session, String noticeVersion, String noticeText,
                            boolean aiEvaluation, boolean recording, Instant consentedAt, String actor) {

    public ConsentRecord {
        Require.present(id, "consent_id");
        Require.present(tenant, "tenant_id");
        Require.present(session, "session_id");
        noticeVersion = Require.text(noticeVersion, "notice_version", 40);
        noticeText = Require.text(noticeText, "notice_text", 2 * ConsentNotice.MAX_LENGTH + 2);
        Require.present(consentedAt, "consented_at");
        actor = Require.text(actor, "actor", 200);
        if (!aiEvaluation) {
            throw new IllegalArgumentException("a consent record always covers the AI interview");
        }
    }
}
