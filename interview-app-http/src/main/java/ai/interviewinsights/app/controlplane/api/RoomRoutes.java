package ai.interviewinsights.app.controlplane.api;

import ai.interviewinsights.app.controlplane.Authenticator;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.controlplane.api.PublicApi.InterviewContextView;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.consent.GivenConsent;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.port.in.InviteLobby;
import ai.interviewinsights.domain.service.InterviewServices;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Locale;

/**
 * What the interview room needs before the interview starts: the lobby (who, what, how long, the notice) read
 * without using anything up, the candidate's consent, and the tenant's notice wording.
 */
public final class RoomRoutes {

    private final InterviewServices services;
    private final Authenticator auth;
    private final Bodies bodies;
    private final RoomConfig config;

    /** @param config what the room's recorder needs: where api.video takes uploads and how big a part is */
    public RoomRoutes(InterviewServices services, Authenticator auth, Bodies bodies, RoomConfig config) {
        this.services = services;
        this.auth = auth;
        this.bodies = bodies;
        this.config = config;
    }

    /**
     * @param uploadUrl  api.video's delegated-upload endpoint ({@code <base>/upload}), null when recording is off
     * @param partBytes  the size of an upload part (api.video wants at least 5 MiB but for the last)
     */
    public record RoomConfig(String uploadUrl, int uploadPartBytes) {
    }

    public void install(JavalinConfig javalin) {
        var r = javalin.routes;
        r.get("/api/room/config", ctx -> ctx.json(this.config));
        // POST, not GET: the link's token travels in the body, never in a URL that logs or proxies keep.
        r.post("/api/invites/lobby", ctx -> ctx.header("Cache-Control", "no-store").json(LobbyView.of(
                services.redeemInvite().lobby(bodies.json(ctx, TokenBody.class).requiredToken()))));
        r.get("/api/sessions/{id}/lobby", ctx -> ctx.header("Cache-Control", "no-store").json(LobbyView.of(
                services.consents().lobby(auth.principal(ctx), SessionId.of(ctx.pathParam("id"))))));
        r.post("/api/sessions/{id}/consent", ctx -> {
            ConsentBody body = bodies.json(ctx, ConsentBody.class);
            ctx.status(201).json(ConsentView.of(services.consents().consent(auth.principal(ctx),
                    SessionId.of(ctx.pathParam("id")), body.toDomain())));
        });
        r.get("/api/sessions/{id}/consent", ctx -> ctx.json(ConsentView.of(services.consents()
                .find(auth.principal(ctx), SessionId.of(ctx.pathParam("id")))
                .orElseThrow(() -> DomainException.notFound("consent.not_found", "no consent recorded")))));
        r.get("/api/consent-notice", ctx -> ctx.json(NoticeBody.of(services.consents()
                .notice(auth.principal(ctx)))));
        r.put("/api/consent-notice", ctx -> {
            NoticeBody body = bodies.json(ctx, NoticeBody.class);
            ctx.json(NoticeBody.of(services.consents().setNotice(auth.principal(ctx),
                    new ConsentNotice(body.aiNotice(), body.recordingNotice()))));
        });
    }

    public record TokenBody(String token) {
        String requiredToken() {
            if (token == null || token.isBlank()) {
                throw DomainException.invalid("invalid.token", "token is required");
            }
            return token;
        }
    }

    /** What the candidate agreed to, as the room sends it with Start. */
    public record ConsentBody(String noticeVersion, Boolean aiEvaluation, Boolean recording) {
        public GivenConsent toDomain() {
            return new GivenConsent(noticeVersion, Boolean.TRUE.equals(aiEvaluation), Boolean.TRUE.equals(recording));
        }
    }

    public record NoticeBody(String aiNotice, String recordingNotice, String versionRecorded,
                             String versionUnrecorded) {
        static NoticeBody of(ConsentNotice n) {
            return new NoticeBody(n.aiNotice(), n.recordingNotice(), n.shown(true).version(),
                    n.shown(false).version());
        }
    }

    public record NoticeView(String version, String text) {
    }

    public record ConsentView(String id, String sessionId, String noticeVersion, String noticeText,
                              boolean aiEvaluation, boolean recording, Instant consentedAt) {
        static ConsentView of(ConsentRecord r) {
            return new ConsentView(r.id().toString(), r.session().toString(), r.noticeVersion(), r.noticeText(),
                    r.aiEvaluation(), r.recording(), r.consentedAt());
        }
    }

    /**
     * @param state     {@code ready}, {@code live}, {@code finished}, {@code expired}, {@code revoked}
     * @param reference an id the candidate can quote to support
     */
    public record LobbyView(String state, InterviewContextView interviewContext, boolean recorded, NoticeView notice,
                            String reference, String sessionStatus) {
        static LobbyView of(InviteLobby l) {
            return new LobbyView(l.state().name().toLowerCase(Locale.ROOT), InterviewContextView.of(l.context()),
                    l.recorded(), new NoticeView(l.notice().version(), l.notice().text()), l.reference(),
                    l.session().map(s -> s.name().toLowerCase(Locale.ROOT)).orElse(null));
        }
    }
}
