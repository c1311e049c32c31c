package ai.interviewinsights.app.controlplane.webhooks;

import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.web.ErrorResponses;
import ai.interviewinsights.app.web.Failures;
import ai.interviewinsights.app.web.Problem;
import ai.interviewinsights.app.web.JavalinRequestIds;
import ai.interviewinsights.adapters.apivideo.ApiVideoWebhooks;
import ai.interviewinsights.adapters.apivideo.WebhookVerdict;
import ai.interviewinsights.domain.port.in.RecordRecordingReadyUseCase;
import io.javalin.config.JavalinConfig;
import java.util.Map;

/**
 * api.video's signed webhooks. The raw body is verified before anything is parsed; a verified
 * {@code video.encoding.quality.completed} updates the session's recording, idempotently (api.video retries).
 */
public final class WebhookRoutes {

    private final ApiVideoWebhooks webhooks;
    private final RecordRecordingReadyUseCase recordingReady;
    private final ErrorResponses errors;

    /** api.video's events are a few hundred bytes. */
    private static final int WEBHOOK_LIMIT = 64 * 1024;

    public WebhookRoutes(ApiVideoWebhooks webhooks, RecordRecordingReadyUseCase recordingReady,
                         ErrorResponses errors) {
        this.webhooks = webhooks;
        this.recordingReady = recordingReady;
        this.errors = errors;
    }

    public void install(JavalinConfig config) {
        config.routes.post("/api/webhooks/apivideo", ctx -> {
            byte[] body = Bodies.raw(ctx, WEBHOOK_LIMIT); // read as every body is: a broken one is a 400
            WebhookVerdict verdict = webhooks.handle(body, ctx.header("X-Api-Video-Signature"), event -> {
                if ("video.encoding.quality.completed".equals(event.type())
                        || "video.source.recorded".equals(event.type())) {
                    recordingReady.recordingReady(event.videoId());
                }
            });
            if (verdict instanceof WebhookVerdict.Rejected rejected) {
                int status = rejected.unauthenticated() ? 401 : 400;
                errors.send(ctx, Problem.of(status, rejected.code(), Failures.title(status), rejected.reason(),
                        ctx.path(), JavalinRequestIds.of(ctx)));
                return;
            }
            ctx.status(200).json(Map.of("status", verdict.getClass().getSimpleName().toLowerCase(
                    java.util.Locale.ROOT)));
        });
    }
}
