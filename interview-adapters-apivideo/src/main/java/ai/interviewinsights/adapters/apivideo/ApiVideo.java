package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Clock;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The api.video adapter's entry point: builds the {@link RecordingGateway} and the webhook receiver from an
 * {@link ApiVideoConfig}. Everything behind it is package-private.
 *
 * <pre>{@code
 * ApiVideoConfig config = ApiVideoConfig.production(Secret.of(System.getenv("APIVIDEO_API_KEY")))
 *         .withWebhookSecret(Secret.of(System.getenv("APIVIDEO_WEBHOOK_SECRET")));
 * RecordingGateway recordings = ApiVideo.recordingGateway(config, Clock.systemUTC());
 * ApiVideoWebhooks webhooks = ApiVideo.webhooks(config);
 * }</pre>
 *
 * <p>This is a small client of its own rather than api.video's official Java client, which brings OkHttp 3 and Gson:
 * the platform keeps one OkHttp and one Jackson for every adapter.
 */
public final class ApiVideo {

    private ApiVideo() {
    }

    /** A gateway with its own OkHttp client. */
    public static RecordingGateway recordingGateway(ApiVideoConfig config, Clock clock) {
        return recordingGateway(config, clock, new OkHttpClient());
    }

    /**
     * A gateway sharing the connection pool and dispatcher of {@code base}; this adapter's timeouts are applied on a
     * derived client, so {@code base} is left as it is.
     */
    public static RecordingGateway recordingGateway(ApiVideoConfig config, Clock clock, OkHttpClient base) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        OkHttpClient http = base.newBuilder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.callTimeout())
                .writeTimeout(config.callTimeout())
                .callTimeout(config.callTimeout())
                .build();
        ApiVideoClient client = new ApiVideoClient(config, http, mapper(), clock);
        return new ApiVideoRecordingGateway(client, config.privateVideos(), clock);
    }

    /**
     * The webhook receiver.
     *
     * @throws DomainException {@code apivideo.webhooks_not_configured} (UNAVAILABLE) when the config has no webhook
     *                         secret: unsigned deliveries are never accepted
     */
    public static ApiVideoWebhooks webhooks(ApiVideoConfig config) {
        return webhooks(config, null);
    }

    /**
     * Webhooks whose de-duplication is kept in {@code ledger}, shared by every control-plane instance (a delivery
     * repeated to another instance is then a duplicate there too); null keeps it in this instance's memory.
     */
    public static ApiVideoWebhooks webhooks(ApiVideoConfig config, ai.interviewinsights.domain.port.out.DeliveryLedger ledger) {
        return new ApiVideoWebhooks(config.webhookSigningSecret().orElseThrow(() -> new DomainException(
                ErrorKind.UNAVAILABLE, "apivideo.webhooks_not_configured",
                "api.video webhooks need the webhook's signature secret in the configuration")),
                mapper(), ApiVideoWebhooks.DEFAULT_MEMORY, ledger);
    }

    /**
     * What a proxy runner uploads its call's audio with: api.video's delegated upload, with the token and endpoint of
     * a {@link ai.interviewinsights.domain.model.recording.CallAudioGrant}; it holds no API key (ADR 0021).
     */
    public static ai.interviewinsights.domain.port.out.CallAudioUploader callAudioUploader(
            ApiVideoUploadConfig config, Clock clock) {
        return callAudioUploader(config, clock, new OkHttpClient());
    }

    /** The same, sharing the connection pool and dispatcher of {@code base}. */
    public static ai.interviewinsights.domain.port.out.CallAudioUploader callAudioUploader(
            ApiVideoUploadConfig config, Clock clock, OkHttpClient base) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        OkHttpClient http = base.newBuilder()
                .readTimeout(config.callTimeout())
                .writeTimeout(config.callTimeout())
                .callTimeout(config.callTimeout())
                .build();
        return new ApiVideoUploader(http, config, clock);
    }

    static ObjectMapper mapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
