package ai.interviewinsights.domain.model.recording;

import ai.interviewinsights.domain.model.DomainException;
import java.util.regex.Pattern;

/**
 * The recording provider's id of one interview's video (api.video's {@code vi...}). Parsed once where it comes in
 * (the provider's reply, a webhook, a database row); only letters, digits, {@code _} and {@code -}, so it can never
 * change the path it is put into.
 */
public record VideoId(String value) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public VideoId {
        if (value == null || !ID.matcher(value).matches()) {
            throw DomainException.invalid("invalid.video_id", "a video id is [A-Za-z0-9_-], at most 128 characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
