package ai.interviewinsights.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The static page an invite link opens (resources/web/interview.html), read once. */
final class CandidatePage {

    private static final String HTML = load();

    private CandidatePage() {
    }

    static String html() {
        return HTML;
    }

    private static String load() {
        try (InputStream in = CandidatePage.class.getResourceAsStream("/web/interview.html")) {
            if (in == null) {
                throw new IllegalStateException("web/interview.html is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
