package ai.interviewinsights.app.web;

/** A request the edge itself refuses before any use case runs (size, media type, missing body). */
public final class BadRequest extends RuntimeException {

    private final int status;
    private final String code;

    public BadRequest(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
