package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.DomainException;
import java.util.regex.Pattern;

/**
 * Runner and app names become DNS labels ({@code <app>.fly.dev}); Fly once accepted longer names that then broke
 * DNS, so the rule is checked here rather than trusted to the provider.
 */
final class DnsLabel {

    static final int MAX_LENGTH = 63;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private DnsLabel() {
    }

    static void check(String value, String field) {
        if (value == null || value.length() > MAX_LENGTH || !LABEL.matcher(value).matches()) {
            throw DomainException.invalid("invalid." + field,
                    field + " must be lowercase [a-z0-9-], start and end alphanumeric, at most 63 characters");
        }
    }
}
