package ai.interviewinsights.app.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty answers some requests itself, before any route sees them: a URI it cannot parse (400), one too long
 * (414), headers too large (431), a body it cannot read. Its own answer is an HTML page; this makes it the same
 * problem document with a stable code and the same security headers as every other answer.
 */
public final class JettyProblems extends ErrorHandler {

    private final ObjectMapper json;
    private final SecurityHeaders headers;

    public JettyProblems(ObjectMapper json, SecurityHeaders headers) {
        this.json = json;
        this.headers = headers;
    }

    /** Makes this the server's error handler (Javalin: {@code config.jetty.modifyServer(JettyProblems...::install)}). */
    public void install(Server server) {
        server.setErrorHandler(this);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object status = request.getAttribute(ERROR_STATUS);
        int code = status instanceof Integer i ? i : response.getStatus();
        byte[] body = body(code, request.getHttpURI() == null ? null : request.getHttpURI().getPath());
        HttpFields.Mutable fields = response.getHeaders();
        decorate(fields);
        response.setStatus(code);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The answer to a request that could not even be parsed (Jetty has no request object then). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        decorate(fields);
        return ByteBuffer.wrap(body(status, null));
    }

    private void decorate(HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        headers.headersFor(Problem.CONTENT_TYPE, true).forEach(fields::put);
    }

    private byte[] body(int status, String path) {
        String requestId = UUID.randomUUID().toString();
        Problem problem = Problem.of(status, code(status), Failures.title(status), detail(status),
                path, requestId);
        try {
            return json.writeValueAsBytes(problem);
        } catch (JsonProcessingException impossible) {
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "request.malformed";
            case 404 -> "route.not_found";
            case 405 -> "route.method_not_allowed";
            case 408 -> "request.timeout";
            case 413 -> "request.too_large";
            case 414 -> "request.uri_too_long";
            case 431 -> "request.headers_too_large";
            case 505 -> "request.http_version_not_supported";
            default -> status >= 500 ? "internal" : "request.invalid";
        };
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request could not be parsed (a malformed URI, header or body)";
            case 414 -> "the URI is longer than the server accepts";
            case 431 -> "the request's headers are larger than the server accepts";
            case 413 -> "the request is larger than the server accepts";
            default -> status >= 500 ? "something went wrong on our side" : "the request was refused";
        };
    }
}
