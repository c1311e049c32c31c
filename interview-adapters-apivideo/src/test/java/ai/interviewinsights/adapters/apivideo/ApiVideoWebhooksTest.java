package ai.interviewinsights.adapters.apivideo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.VideoId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Signed deliveries are accepted, anything else is rejected, and a replayed event is processed once. */
class ApiVideoWebhooksTest {

    private static final String SIGNATURE_SECRET = "sig_sec_Abcd12348RLP7VPLi7nYVh";
    private static final String QUALITY_COMPLETED = "{\"type\":\"video.encoding.quality.completed\","
            + "\"emittedAt\":\"2021-01-29T16:46:25.217+01:00\",\"videoId\":\"viXXXXXXXX\",\"encoding\":\"hls\","
            + "\"quality\":\"720p\"}";

    private final ApiVideoWebhooks webhooks = ApiVideo.webhooks(
            ApiVideoConfig.production(Secret.of("av_key_unused")).withWebhookSecret(Secret.of(SIGNATURE_SECRET)));
    private final List<ApiVideoEvent> handled = new ArrayList<>();

    /** Signs as api.video does, written independently of the adapter: lowercase hex HMAC-SHA256 of the raw body. */
    static String sign(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_correctly_signed_quality_completed_event_is_accepted_and_handled() throws Exception {
        byte[] body = bytes(QUALITY_COMPLETED);

        WebhookVerdict verdict = webhooks.handle(body, sign(SIGNATURE_SECRET, body), handled::add);

        ApiVideoEvent expected = new ApiVideoEvent("video.encoding.quality.completed", new VideoId("viXXXXXXXX"),
                "hls", "720p",
                Instant.parse("2021-01-29T15:46:25.217Z"));
        assertEquals(new WebhookVerdict.Processed(expected), verdict);
        assertEquals(List.of(expected), handled);
    }

    @Test
    void a_source_recorded_event_is_accepted_without_encoding_or_quality() throws Exception {
        byte[] body = bytes("""
                {"type": "video.source.recorded", "emittedAt": "2026-11-22T10:31:02.118Z",
                 "liveStreamId": "li2DAIhNB6eM0U5OAOzMeiHY", "videoId": "vi5uZLbBk51sIP2NGYQsLMM9"}
                """);

        WebhookVerdict verdict = webhooks.handle(body, sign(SIGNATURE_SECRET, body), handled::add);

        ApiVideoEvent event = assertInstanceOf(WebhookVerdict.Processed.class, verdict).event();
        assertEquals("video.source.recorded", event.type());
        assertEquals("vi5uZLbBk51sIP2NGYQsLMM9", event.videoId().value());
        assertTrue(event.encodingType().isEmpty());
        assertTrue(event.qualityLabel().isEmpty());
        assertEquals(Instant.parse("2026-11-22T10:31:02.118Z"), event.emittedAt());
    }

    @Test
    void an_uppercase_signature_of_the_same_bytes_is_accepted() throws Exception {
        byte[] body = bytes(QUALITY_COMPLETED);
        String signature = sign(SIGNATURE_SECRET, body).toUpperCase(Locale.ROOT);

        assertInstanceOf(WebhookVerdict.Processed.class, webhooks.handle(body, signature, handled::add));
    }

    @Test
    void a_tampered_body_is_rejected_and_not_handled() throws Exception {
        String signature = sign(SIGNATURE_SECRET, bytes(QUALITY_COMPLETED));
        byte[] tampered = bytes(QUALITY_COMPLETED.replace("viXXXXXXXX", "viYYYYYYYY"));

        WebhookVerdict verdict = webhooks.handle(tampered, signature, handled::add);

        WebhookVerdict.Rejected rejected = assertInstanceOf(WebhookVerdict.Rejected.class, verdict);
        assertEquals("webhook.bad_signature", rejected.code());
        assertTrue(rejected.unauthenticated());
        assertTrue(handled.isEmpty());
    }

    @Test
    void the_same_json_reformatted_is_rejected_because_the_raw_bytes_are_signed() throws Exception {
        String signature = sign(SIGNATURE_SECRET, bytes(QUALITY_COMPLETED));
        byte[] reformatted = bytes(QUALITY_COMPLETED.replace(",", ", "));

        assertEquals("webhook.bad_signature", assertInstanceOf(WebhookVerdict.Rejected.class,
                webhooks.handle(reformatted, signature, handled::add)).code());
    }

    @Test
    void a_signature_made_with_another_secret_is_rejected() throws Exception {
        byte[] body = bytes(QUALITY_COMPLETED);

        WebhookVerdict verdict = webhooks.handle(body, sign("sig_sec_SomeoneElse", body), handled::add);

        assertEquals(new WebhookVerdict.Rejected("webhook.bad_signature",
                "the delivery's signature does not match its body"), verdict);
        assertTrue(handled.isEmpty());
    }

    @Test
    void a_missing_or_garbled_signature_is_rejected() {
        byte[] body = bytes(QUALITY_COMPLETED);

        assertEquals("webhook.missing_signature", assertInstanceOf(WebhookVerdict.Rejected.class,
                webhooks.handle(body, null, handled::add)).code());
        assertEquals("webhook.missing_signature", assertInstanceOf(WebhookVerdict.Rejected.class,
                webhooks.handle(body, "  ", handled::add)).code());
        assertEquals("webhook.bad_signature", assertInstanceOf(WebhookVerdict.Rejected.class,
                webhooks.handle(body, "sha256=abc", handled::add)).code());
        assertTrue(handled.isEmpty());
    }

    @Test
    void a_replayed_event_is_processed_once() throws Exception {
        byte[] body = bytes(QUALITY_COMPLETED);
        String signature = sign(SIGNATURE_SECRET, body);

        WebhookVerdict first = webhooks.handle(body, signature, handled::add);
        WebhookVerdict second = webhooks.handle(body, signature, handled::add);
        WebhookVerdict third = webhooks.handle(body.clone(), signature, handled::add);

        assertInstanceOf(WebhookVerdict.Processed.class, first);
        assertInstanceOf(WebhookVerdict.Duplicate.class, second);
        assertInstanceOf(WebhookVerdict.Duplicate.class, third);
        assertEquals(1, handled.size());
    }

    @Test
    void each_quality_of_the_same_video_is_its_own_event() throws Exception {
        byte[] hls720 = bytes(QUALITY_COMPLETED);
        byte[] hls240 = bytes(QUALITY_COMPLETED.replace("720p", "240p"));
        byte[] mp4 = bytes(QUALITY_COMPLETED.replace("\"hls\"", "\"mp4\""));

        webhooks.handle(hls720, sign(SIGNATURE_SECRET, hls720), handled::add);
        webhooks.handle(hls240, sign(SIGNATURE_SECRET, hls240), handled::add);
        webhooks.handle(mp4, sign(SIGNATURE_SECRET, mp4), handled::add);

        assertEquals(3, handled.size());
    }

    @Test
    void when_the_handler_fails_the_retry_is_processed() throws Exception {
        byte[] body = bytes(QUALITY_COMPLETED);
        String signature = sign(SIGNATURE_SECRET, body);
        RuntimeException down = new IllegalStateException("database down");

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> webhooks.handle(body, signature, e -> {
            throw down;
        }));
        WebhookVerdict retry = webhooks.handle(body, signature, handled::add);

        assertSame(down, thrown);
        assertInstanceOf(WebhookVerdict.Processed.class, retry);
        assertEquals(1, handled.size());
    }

    @Test
    void a_signed_event_of_another_type_is_ignored() throws Exception {
        byte[] body = bytes("{\"type\":\"live-stream.broadcast.started\",\"emittedAt\":\"2026-11-22T10:00:00Z\","
                + "\"liveStreamId\":\"li2DAIhNB6eM0U5OAOzMeiHY\"}");

        assertEquals(new WebhookVerdict.Ignored("live-stream.broadcast.started"),
                webhooks.handle(body, sign(SIGNATURE_SECRET, body), handled::add));
        assertTrue(handled.isEmpty());
    }

    @Test
    void a_signed_body_that_is_not_an_event_is_malformed() throws Exception {
        for (String text : List.of("not json", "{}", "{\"type\":\"video.encoding.quality.completed\"}",
                "{\"type\":\"video.encoding.quality.completed\",\"videoId\":\"../x\"}")) {
            byte[] body = bytes(text);
            WebhookVerdict.Rejected rejected = assertInstanceOf(WebhookVerdict.Rejected.class,
                    webhooks.handle(body, sign(SIGNATURE_SECRET, body), handled::add), text);
            assertEquals("webhook.malformed", rejected.code(), text);
            assertFalse(rejected.unauthenticated());
        }
        assertTrue(handled.isEmpty());
    }

    @Test
    void an_oversized_body_is_rejected_before_any_work() {
        byte[] body = new byte[ApiVideoWebhooks.MAX_BODY_BYTES + 1];

        assertEquals("webhook.too_large", assertInstanceOf(WebhookVerdict.Rejected.class,
                webhooks.handle(body, "00", handled::add)).code());
    }

    @Test
    void the_memory_of_deliveries_is_bounded() {
        RecentDeliveries recent = new RecentDeliveries(3);
        for (int i = 0; i < 5; i++) {
            assertTrue(recent.claim("event-" + i));
        }
        assertEquals(3, recent.size());
        assertTrue(recent.claim("event-0"), "the oldest were forgotten");
        assertFalse(recent.claim("event-4"));
    }

    @Test
    void without_a_signature_secret_webhooks_are_not_available() {
        DomainException e = assertThrows(DomainException.class,
                () -> ApiVideo.webhooks(ApiVideoConfig.production(Secret.of("av_key_unused"))));

        assertEquals("apivideo.webhooks_not_configured", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
    }
}
