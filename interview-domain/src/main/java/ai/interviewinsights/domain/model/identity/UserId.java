package ai.interviewinsights.domain.model.identity;

import java.util.UUID;

/** Identifies a signed-in user (Supabase Auth subject) or the synthetic user of a candidate or runner. */
public record UserId(UUID value) {

    public UserId {
        Ids.require(value, "user_id");
    }

    /**
     * Parses the canonical UUID text form.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.user_id} when the text is not a UUID
     */
    public static UserId of(String text) {
        return new UserId(Ids.parse(text, "user_id"));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
