package ai.interviewinsights.adapters.flyio;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One answer of the Machines API, read in full so that it can be retried, logged and mapped without holding a
 * connection.
 *
 * @param call       method and path, for logs and messages (never carries the token; paths carry only app names,
 *                   machine ids and session ids)
 * @param requestId  Fly's {@code fly-request-id}, or {@code null} when the reply had none
 * @param retryAfter the {@code Retry-After} delay, or {@code null}
 */
record FlyResponse(String call, int status, String body, String requestId, Duration retryAfter) {

    private static final int MAX_ERROR_TEXT = 300;
    /**
     * What Fly says when a region has no room: the documented {@code insufficient_capacity} status, and the shapes
     * seen in the field without it (a full host, exhausted memory, a regional quota) — all of which another region
     * may not share.
     */
    private static final List<String> CAPACITY_MARKERS = List.of("insufficient_capacity", "insufficient capacity",
            "insufficient resources", "insufficient memory", "no capacity", "over the allowed quota");

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Worth trying again as is: rate limited, or Fly's side failed (but not for lack of capacity). */
    boolean isRetryable() {
        return status == 429 || status >= 500 && !isCapacityShortage();
    }

    boolean isCapacityShortage() {
        if (isSuccess()) {
            return false;
        }
        String text = (flyStatus() + " " + errorText()).toLowerCase(Locale.ROOT);
        return CAPACITY_MARKERS.stream().anyMatch(text::contains);
    }

    /** The {@code status} field of Fly's error body ({@code insufficient_capacity}, {@code name_taken}, ...). */
    String flyStatus() {
        FlyJson.ErrorBody error = errorBody();
        return error == null || error.status() == null ? "" : error.status();
    }

    /** Fly's error text, shortened; the raw body when it is not Fly's error JSON. */
    String errorText() {
        FlyJson.ErrorBody error = errorBody();
        String text;
        if (error != null && error.error() != null) {
            text = error.error();
        } else if (error != null && error.message() != null) {
            text = error.message();
        } else {
            text = body == null ? "" : body.strip();
        }
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
    }

    String requestIdSuffix() {
        return requestId == null ? "" : " (fly-request-id " + requestId + ")";
    }

    private FlyJson.ErrorBody errorBody() {
        if (body == null || !body.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            return FlyJson.MAPPER.readValue(body, FlyJson.ErrorBody.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
