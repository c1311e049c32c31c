package ai.interviewinsights.domain.model.realtime;

import ai.interviewinsights.domain.model.DomainException;
import java.util.regex.Pattern;

/**
 * OpenAI's id of one WebRTC call ({@code rtc_...}), taken from the {@code Location} header of the SDP exchange.
 * It is what the sideband connection and the hang-up address.
 */
public record RealtimeCallId(String value) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public RealtimeCallId {
        if (value == null || !ID.matcher(value).matches()) {
            throw DomainException.invalid("invalid.call_id", "a realtime call id is [A-Za-z0-9_-], at most 128 characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
