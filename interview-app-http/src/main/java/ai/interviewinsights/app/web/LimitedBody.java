package ai.interviewinsights.app.web;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read within a size limit: refused before reading by its declared length, and while reading for a
 * chunked one, so a 1 GB upload costs us nothing. One rule for every server of ours ({@link Bodies} on the control
 * plane's Javalin, a runner's Jetty); nothing here touches Javalin.
 */
public final class LimitedBody {

    private LimitedBody() {
    }

    /**
     * The body's bytes, at most {@code limit}; a longer one is refused with {@code status}, {@code code} and
     * {@code message}, and one that cannot be read with 400 {@code request.unreadable}.
     *
     * @param declared the declared length (Content-Length), or -1 when none
     */
    public static byte[] read(long declared, InputStream body, int limit, int status, String code, String message) {
        if (declared > limit) {
            throw new BadRequest(status, code, message);
        }
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new BadRequest(status, code, message);
            }
            return bytes;
        } catch (IOException e) {
            throw new BadRequest(400, "request.unreadable", "the request body could not be read");
        }
    }
}
