package ai.interviewinsights.domain.model.identity;

import java.util.UUID;

/** Identifies one interview session. */
public record SessionId(UUID value) {

    public SessionId {
        Ids.require(value, "session_id");
    }

    /**
     * Parses the canonical UUID text form.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.session_id} when the text is not a UUID
     */
    public static SessionId of(String text) {
        return new SessionId(Ids.parse(text, "session_id"));
    }

    /** The first 8 hex characters of the UUID, as used in runner names. */
    public String shortId() {
        return value.toString().substring(0, 8);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
