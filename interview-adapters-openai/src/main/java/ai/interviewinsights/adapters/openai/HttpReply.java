package ai.interviewinsights.adapters.openai;

import java.time.Instant;
import java.util.Optional;
import okhttp3.Headers;

/**
 * One HTTP reply from OpenAI, read in full, so that retry decisions and error mapping can look at it freely.
 *
 * @param receivedAt when it arrived, by the injected clock (a {@code Retry-After} date without a {@code Date} header
 *                   is measured from here)
 */
record HttpReply(int code, Headers headers, String body, Instant receivedAt) {

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * OpenAI's request id, which its support asks for - when it looks like one. The header is text from across the
     * wire that goes into our messages: anything but a short plain token is not repeated (and messages are scrubbed
     * whole as well, see {@link OpenAiErrors}).
     */
    String requestId() {
        return header("x-request-id").map(id -> REQUEST_ID.matcher(id).matches() ? id : "unrecognised")
                .orElse("none");
    }

    boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    @Override
    public String toString() {
        // Bodies may hold transcripts or secrets (a minted client secret): never print them.
        return "HttpReply[" + code + ", request id " + requestId() + ", " + body.length() + " chars]";
    }
}
