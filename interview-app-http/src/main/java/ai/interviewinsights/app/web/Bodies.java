package ai.interviewinsights.app.web;

import ai.interviewinsights.domain.model.sdp.SdpLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads the control plane's request bodies within a size limit ({@link LimitedBody}: refused before reading by
 * Content-Length, and while reading for chunked bodies, so a 1 GB upload costs us nothing).
 */
public final class Bodies {

    public static final int JSON_LIMIT = 1024 * 1024;
    /** The domain's SDP bound, so that the body limit and {@code SdpOffer.validate} can never disagree. */
    public static final int SDP_LIMIT = SdpLimits.DEFAULT_MAX_BYTES;

    private final ObjectMapper json;

    public Bodies(ObjectMapper json) {
        this.json = json;
    }

    public <T> T json(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new BadRequest(415, "request.unsupported_media_type", "send the body as application/json");
        }
        byte[] body = read(ctx, JSON_LIMIT, 413, "request.too_large", "a JSON body is at most 1 MiB");
        if (body.length == 0) {
            throw new BadRequest(400, "request.missing_body", "this endpoint needs a JSON body");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new BadRequest(400, "request.missing_body", "this endpoint needs a JSON object");
            }
            return value;
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException processing) {
                throw new BadRequest(400, "request.malformed_json", "the body is not valid JSON of the expected "
                        + "shape: " + JsonErrors.describe(processing));
            }
            throw new BadRequest(400, "request.malformed_json", "the body could not be read");
        }
    }

    /**
     * A body's bytes as they came (a webhook's, whose signature is over exactly those), within {@code limit}: a
     * longer one is 413 {@code request.too_large}, one that cannot be read (a broken chunk) 400
     * {@code request.unreadable}, as for every JSON body.
     */
    public static byte[] raw(Context ctx, int limit) {
        return read(ctx, limit, 413, "request.too_large", "a body here is at most " + limit + " bytes");
    }

    private static byte[] read(Context ctx, int limit, int status, String code, String message) {
        try {
            return LimitedBody.read(ctx.req().getContentLengthLong(), ctx.req().getInputStream(), limit, status, code,
                    message);
        } catch (IOException e) {
            throw new BadRequest(400, "request.unreadable", "the request body could not be read");
        }
    }
}
