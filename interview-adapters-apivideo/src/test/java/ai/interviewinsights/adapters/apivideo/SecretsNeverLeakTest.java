package ai.interviewinsights.adapters.apivideo;

import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.json;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.problem;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.request;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.uploadToken;
import static ai.interviewinsights.adapters.apivideo.ApiVideoTestSupport.videoCreated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Runs the error paths with recognisable secrets, at every log level, and looks for the secrets everywhere: log
 * messages, log arguments, exception messages and causes, and the {@code toString()} of what the adapter returns.
 * api.video is scripted to echo the secrets back in its error titles, the worst case for a message built from them.
 */
class SecretsNeverLeakTest {

    private static final String API_KEY = "av_key_LEAKCHECK_7f3e91";
    private static final String ACCESS = "eyJ_ACCESS_LEAKCHECK_1";
    private static final String ACCESS_2 = "eyJ_ACCESS_LEAKCHECK_2";
    private static final String REFRESH = "def502_REFRESH_LEAKCHECK";
    private static final String UPLOAD_TOKEN = "to_UPLOAD_LEAKCHECK";
    private static final String WEBHOOK_SECRET = "sig_sec_WEBHOOK_LEAKCHECK";
    private static final List<String> SECRETS = List.of(API_KEY, ACCESS, ACCESS_2, REFRESH, UPLOAD_TOKEN,
            WEBHOOK_SECRET);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final List<Object> seen = new ArrayList<>();

    private ApiVideoConfig config() {
        return ApiVideoConfig.production(Secret.of(API_KEY))
                .withBaseUrl(URI.create(server.url("/").toString().replaceAll("/$", "")))
                .withWebhookSecret(Secret.of(WEBHOOK_SECRET))
                .withRetries(1, Duration.ofMillis(5), Duration.ofSeconds(2));
    }

    private static MockResponse tokens(String access) {
        return json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"" + access
                + "\",\"refresh_token\":\"" + REFRESH + "\"}");
    }

    private static MockResponse echoing(int status, String secret) {
        return problem(status, "echo", "Invalid value " + secret + " given", secret);
    }

    private void expectFailure(Runnable call) {
        try {
            call.run();
            fail("expected a DomainException");
        } catch (DomainException e) {
            seen.add(e);
        }
    }

    @Test
    void no_key_or_token_appears_in_logs_errors_or_returned_values() {
        // the video and its token are asked for at once: their answers go by route, the rest in order
        ApiVideoTestSupport.Answers answers = ApiVideoTestSupport.Answers.of(server);
        try (LogCapture logs = new LogCapture()) {
            ApiVideoConfig config = config();
            seen.add(config);

            // a wrong key, echoed back by api.video
            answers.enqueue(echoing(400, API_KEY));
            expectFailure(() -> ApiVideo.recordingGateway(config, clock).status(new VideoId("vi1")));

            // an auth answer that is not JSON but quotes the token
            answers.enqueue(json(200, "{\"access_token\": \"" + ACCESS + "\", oops"));
            expectFailure(() -> ApiVideo.recordingGateway(config, clock).status(new VideoId("vi1")));

            RecordingGateway gateway = ApiVideo.recordingGateway(config, clock);
            seen.add(gateway);

            // a grant, then 401 twice with the token echoed
            answers.enqueue(tokens(ACCESS));
            answers.route("POST /videos", videoCreated("vi1"));
            answers.route("POST /upload-tokens",
                    uploadToken(UPLOAD_TOKEN, 1800, "2026-11-22T10:00:00+00:00", "2026-11-22T10:30:00+00:00"));
            UploadGrant grant = gateway.prepareUpload(request(Duration.ofMinutes(30)));
            seen.add(grant);
            answers.enqueue(echoing(401, ACCESS));
            answers.enqueue(tokens(ACCESS_2));
            answers.enqueue(echoing(401, ACCESS_2));
            expectFailure(() -> gateway.status(new VideoId("vi1")));

            // revoking: server errors echoing the upload token (retried), a refusal
            answers.enqueue(tokens(ACCESS));
            answers.enqueue(echoing(500, UPLOAD_TOKEN));
            answers.enqueue(echoing(500, UPLOAD_TOKEN));
            expectFailure(() -> gateway.revokeUploadToken(grant.uploadToken()));
            answers.enqueue(echoing(403, UPLOAD_TOKEN));
            expectFailure(() -> gateway.revokeUploadToken(grant.uploadToken()));

            // rate limited beyond the configured wait, the title echoing the token
            answers.enqueue(new MockResponse.Builder().code(429).addHeader("X-RateLimit-Retry-After", "600")
                    .body("{\"title\": \"slow down " + UPLOAD_TOKEN + "\", \"status\": 429}").build());
            expectFailure(() -> gateway.revokeUploadToken(grant.uploadToken()));

            // renewal: the refresh token refused and echoed, then the API key refused and echoed
            clock.advance(Duration.ofHours(2));
            answers.enqueue(echoing(400, REFRESH));
            answers.enqueue(echoing(400, API_KEY));
            expectFailure(() -> gateway.delete(new VideoId("vi1")));

            // webhooks: rejected deliveries, signed with the real secret and with the wrong one
            ApiVideoWebhooks webhooks = ApiVideo.webhooks(config);
            seen.add(webhooks);
            byte[] body = "{\"type\":\"video.encoding.quality.completed\",\"videoId\":\"vi1\"}"
                    .getBytes(StandardCharsets.UTF_8);
            seen.add(webhooks.handle(body, WEBHOOK_SECRET, e -> { }));
            seen.add(webhooks.handle(body, "0".repeat(64), e -> { }));

            // last, because OkHttp may silently retry on a fresh connection and use up more of the script:
            // a network failure while revoking (after authenticating again)
            answers.enqueue(tokens(ACCESS));
            for (int i = 0; i < 8; i++) {
                answers.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
            }
            expectFailure(() -> gateway.revokeUploadToken(grant.uploadToken()));

            assertEquals(8, seen.stream().filter(DomainException.class::isInstance).count());
            assertEquals(List.of("apivideo.unauthorized", "apivideo.bad_response", "apivideo.unauthorized",
                    "apivideo.unavailable", "apivideo.forbidden", "apivideo.rate_limited", "apivideo.unauthorized",
                    "apivideo.unreachable"), seen.stream().filter(DomainException.class::isInstance)
                    .map(e -> ((DomainException) e).code()).toList());

            List<String> everything = new ArrayList<>(logs.lines());
            for (Object thing : seen) {
                everything.add(thing instanceof Throwable t ? stackTrace(t) : String.valueOf(thing));
            }
            assertFalse(logs.lines().isEmpty(), "the error paths log something");
            for (String secret : SECRETS) {
                for (String text : everything) {
                    assertFalse(text.contains(secret), () -> "found " + secret + " in: " + text);
                }
            }
            assertTrue(everything.stream().anyMatch(text -> text.contains("Invalid value [redacted] given")),
                    "api.video's titles are still quoted, with the secret scrubbed");
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return t + "\n" + out;
    }
}
