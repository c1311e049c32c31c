package ai.interviewinsights.domain.model.identity;

import java.util.UUID;

/** Identifies an invitation sent to a candidate. */
public record InviteId(UUID value) {

    public InviteId {
        Ids.require(value, "invite_id");
    }

    /**
     * Parses the canonical UUID text form.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.invite_id} when the text is not a UUID
     */
    public static InviteId of(String text) {
        return new InviteId(Ids.parse(text, "invite_id"));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
