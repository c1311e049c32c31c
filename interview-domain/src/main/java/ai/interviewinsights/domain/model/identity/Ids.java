package ai.interviewinsights.domain.model.identity;

import ai.interviewinsights.domain.model.DomainException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Parsing shared by the typed ids: only the canonical 8-4-4-4-12 hex form is accepted. */
final class Ids {

    // UUID.fromString accepts "1-1-1-1-1"; ids travel in URLs and names, so only the canonical form is allowed.
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    static UUID parse(String text, String field) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw DomainException.invalid("invalid." + field, field + " must be a UUID");
        }
        return UUID.fromString(text.toLowerCase(Locale.ROOT));
    }

    static void require(UUID value, String field) {
        if (value == null) {
            throw DomainException.invalid("invalid." + field, field + " is required");
        }
    }
}
