package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.time.Duration;

/**
 * Asks the recording provider for a video and an upload token for one interview.
 *
 * @param title        the video's title (position and candidate)
 * @param tokenLifetime how long the upload token must work: the interview's budget plus a margin
 */
public record RecordingRequest(TenantId tenant, SessionId session, String title, Duration tokenLifetime) {

    public RecordingRequest {
        Require.present(tenant, "tenant_id");
        Require.present(session, "session_id");
        title = Require.text(title, "title", 256);
        Require.present(tokenLifetime, "token_lifetime");
        if (tokenLifetime.isZero() || tokenLifetime.isNegative()) {
            // api.video reads a TTL of 0 as "never expires"; a zero lifetime here is always a bug.
            throw new IllegalArgumentException("an upload token's lifetime must be positive");
        }
    }
}
