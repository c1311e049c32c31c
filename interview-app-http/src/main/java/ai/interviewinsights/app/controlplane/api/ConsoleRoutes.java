package ai.interviewinsights.app.controlplane.api;

import ai.interviewinsights.app.controlplane.Authenticator;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.port.in.ReviewEvaluationUseCase.ScoreOverride;
import ai.interviewinsights.domain.service.InterviewServices;
import io.javalin.config.JavalinConfig;
import java.time.Instant;


/**
 * What the admin console needs beyond the catalog and session API: how staff sign in here, retrying a failed
 * evaluation, and reviewers' score overrides (kept beside the model's score, in the audit log).
 */
public final class ConsoleRoutes {

    private final InterviewServices services;
    private final Authenticator auth;
    private final Bodies bodies;
    private final ConsoleConfig config;

    public ConsoleRoutes(InterviewServices services, Authenticator auth, Bodies bodies, ConsoleConfig config) {
        this.services = services;
        this.auth = auth;
        this.bodies = bodies;
        this.config = config;
    }

    /**
     * How the console signs staff in: {@code local} (paste the token the app printed) or {@code supabase} (a magic
     * link, or OAuth with PKCE through {@code oauthProviders}, through the project's Auth; the anon key is public by
     * design, it only identifies the project).
     */
    public record ConsoleConfig(String auth, String supabaseUrl, String supabaseAnonKey,
                                java.util.List<String> oauthProviders) {
        public ConsoleConfig {
            oauthProviders = oauthProviders == null ? java.util.List.of() : java.util.List.copyOf(oauthProviders);
        }
    }

    public void install(JavalinConfig javalin) {
        var r = javalin.routes;
        r.get("/api/console/config", ctx -> ctx.json(config));
        r.post("/api/sessions/{id}/evaluation/retry", ctx -> {
            EvaluationResult result = services.reviewEvaluation().retry(auth.principal(ctx),
                    SessionId.of(ctx.pathParam("id")));
            ctx.json(new RetryView(result.ref().toString(), result.isSuccess() ? "succeeded" : "failed",
                    result.failure().orElse(null)));
        });
        r.get("/api/sessions/{id}/evaluation/overrides", ctx -> ctx.json(new PublicApi.ListView<>(services
                .reviewEvaluation().overrides(auth.principal(ctx), SessionId.of(ctx.pathParam("id"))).stream()
                .map(OverrideView::of).toList())));
        r.post("/api/sessions/{id}/evaluation/overrides", ctx -> {
            OverrideBody body = bodies.json(ctx, OverrideBody.class);
            if (body.competency() == null || body.score() == null) {
                throw DomainException.invalid("invalid.request", "competency, score and reason are required");
            }
            ctx.status(201).json(OverrideView.of(services.reviewEvaluation().override(auth.principal(ctx),
                    SessionId.of(ctx.pathParam("id")), body.competency(), body.score(), body.reason())));
        });
    }

    public record RetryView(String evaluationId, String status, String failureReason) {
    }

    public record OverrideBody(String competency, Integer score, String reason) {
    }

    public record OverrideView(String competency, int modelScore, int score, String reason, String actor,
                               String evaluationId, Instant at) {
        static OverrideView of(ScoreOverride o) {
            return new OverrideView(o.competency(), o.modelScore(), o.score(), o.reason(), o.actor(),
                    o.evaluationId(), o.at());
        }
    }

}
