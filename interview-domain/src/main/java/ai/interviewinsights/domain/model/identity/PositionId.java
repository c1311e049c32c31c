package ai.interviewinsights.domain.model.identity;

import java.util.UUID;

/** Identifies an open position with its competencies. */
public record PositionId(UUID value) {

    public PositionId {
        Ids.require(value, "position_id");
    }

    /**
     * Parses the canonical UUID text form.
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.position_id} when the text is not a UUID
     */
    public static PositionId of(String text) {
        return new PositionId(Ids.parse(text, "position_id"));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
