package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.VideoId;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import ai.interviewinsights.domain.port.out.DeliveryLedger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives api.video's webhook deliveries: checks the signature, reads the event, and hands each event to a handler
 * once, however often api.video delivers it.
 *
 * <p>api.video signs each delivery with the webhook's {@code signatureSecret}: the {@code X-Api-Video-Signature}
 * header is the lowercase hex HMAC-SHA256 of the raw body. The check runs on the raw bytes as received (never on
 * re-serialised JSON) and compares in constant time. A delivery that fails it is {@link WebhookVerdict.Rejected}, with
 * a stable code and nothing of the secret, the header or the body in the reason.
 *
 * <p>api.video retries a delivery that was not answered with 2xx (three times, 3 s apart). Each event is keyed by
 * type, video, encoding, quality and emission time; a key seen recently is a {@link WebhookVerdict.Duplicate} and the
 * handler does not run. If the handler throws, the key is released and the exception propagates, so the edge
 * answers 5xx and api.video's retry is processed. The keys are kept in a {@link
 * ai.interviewinsights.domain.port.out.DeliveryLedger}: the database's when the app gives one (every instance then
 * sees every claim), else this instance's memory ({@link RecentDeliveries}). Handlers stay idempotent all the same,
 * as {@code RecordRecordingReadyUseCase} is.
 */
public final class ApiVideoWebhooks {

    /** The header api.video signs deliveries with. */
    public static final String SIGNATURE_HEADER = "X-Api-Video-Signature";
    /** api.video's events are a few hundred bytes; anything far larger is not one of them. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int DEFAULT_MEMORY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ApiVideoWebhooks.class);
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    private final ObjectMapper json;
    static final String SOURCE = "apivideo";

    private final RecentDeliveries recent;
    private final DeliveryLedger ledger;

    ApiVideoWebhooks(Secret signatureSecret, ObjectMapper json, int memory) {
        this(signatureSecret, json, memory, null);
    }

    /** @param ledger where claims are kept (shared by every instance), or null for this instance's memory only */
    ApiVideoWebhooks(Secret signatureSecret, ObjectMapper json, int memory, DeliveryLedger ledger) {
        Objects.requireNonNull(signatureSecret, "signatureSecret");
        this.key = new SecretKeySpec(signatureSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.json = json;
        this.recent = new RecentDeliveries(memory);
        this.ledger = ledger == null ? recent : ledger;
    }

    /**
     * Verifies, reads and de-duplicates one delivery, running {@code handler} for an event seen for the first time.
     *
     * @param rawBody         the request body exactly as received
     * @param signatureHeader the {@value #SIGNATURE_HEADER} header, or null when absent
     * @throws RuntimeException whatever the handler throws (the delivery is then not remembered)
     */
    public WebhookVerdict handle(byte[] rawBody, String signatureHeader, Consumer<ApiVideoEvent> handler) {
        Objects.requireNonNull(handler, "handler");
        WebhookVerdict verdict = read(rawBody, signatureHeader);
        if (!(verdict instanceof WebhookVerdict.Processed processed)) {
            return verdict;
        }
        ApiVideoEvent event = processed.event();
        String deliveryKey = deliveryKey(event, signatureHeader);
        if (!ledger.claim(SOURCE, deliveryKey)) {
            LOG.info("api.video webhook {} for video {} already processed; ignoring the repeat", event.type(),
                    event.videoId());
            return new WebhookVerdict.Duplicate(event);
        }
        try {
            handler.accept(event);
        } catch (RuntimeException e) {
            ledger.release(SOURCE, deliveryKey); // let api.video's retry try again
            throw e;
        }
        LOG.info("api.video webhook {} for video {} processed", event.type(), event.videoId());
        return processed;
    }

    /**
     * Verifies and reads one delivery without running anything or remembering it: {@link WebhookVerdict.Processed}
     * here only means "a valid event".
     */
    WebhookVerdict read(byte[] rawBody, String signatureHeader) {
        if (rawBody == null) {
            return reject("webhook.malformed", "the delivery has no body");
        }
        if (rawBody.length > MAX_BODY_BYTES) {
            return reject("webhook.too_large", "the delivery's body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return reject("webhook.missing_signature", "the delivery has no " + SIGNATURE_HEADER + " header");
        }
        if (!verify(rawBody, signatureHeader)) {
            return reject("webhook.bad_signature", "the delivery's signature does not match its body");
        }
        Wire.WebhookJson body;
        try {
            body = json.readValue(rawBody, Wire.WebhookJson.class);
        } catch (java.io.IOException e) {
            return reject("webhook.malformed", "the delivery's body is not the expected JSON");
        }
        if (body == null || body.type() == null || body.type().isBlank()) {
            return reject("webhook.malformed", "the delivery has no event type");
        }
        if (!ApiVideoEvent.ENCODING_QUALITY_COMPLETED.equals(body.type())
                && !ApiVideoEvent.SOURCE_RECORDED.equals(body.type())) {
            LOG.debug("api.video webhook {} ignored", body.type());
            return new WebhookVerdict.Ignored(body.type());
        }
        VideoId video;
        try {
            video = new VideoId(body.videoId()); // the domain's rule for a video id, parsed once, here
        } catch (DomainException invalid) {
            return reject("webhook.malformed", "the delivery has no valid videoId");
        }
        Instant emittedAt = ApiVideoRecordingGateway.parseInstant(body.emittedAt());
        return new WebhookVerdict.Processed(
                new ApiVideoEvent(body.type(), video, body.encoding(), body.quality(), emittedAt));
    }

    /** Whether the header is the lowercase hex HMAC-SHA256 of the body under the webhook's secret (constant time). */
    public boolean verify(byte[] rawBody, String signatureHeader) {
        if (rawBody == null || signatureHeader == null) {
            return false;
        }
        byte[] expected = HEX.formatHex(hmac(rawBody)).getBytes(StandardCharsets.US_ASCII);
        byte[] presented = signatureHeader.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented);
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * Type, video, encoding, quality and emission time identify an event across api.video's retries. Without an
     * emission time the signature stands in: a retry resends the same bytes, so it carries the same signature.
     */
    private static String deliveryKey(ApiVideoEvent event, String signatureHeader) {
        String when = event.emittedAt() != null ? event.emittedAt().toString()
                : "sig:" + signatureHeader.strip().toLowerCase(Locale.ROOT);
        return String.join("|", event.type(), event.videoId().value(), Objects.toString(event.encoding(), ""),
                Objects.toString(event.quality(), ""), when);
    }

    private static WebhookVerdict.Rejected reject(String code, String reason) {
        LOG.warn("api.video webhook rejected: {}", code);
        return new WebhookVerdict.Rejected(code, reason);
    }

    @Override
    public String toString() {
        return "ApiVideoWebhooks[remembered=" + recent.size() + "]";
    }
}
