package ai.interviewinsights.app.controlplane.api;

import ai.interviewinsights.app.controlplane.Authenticator;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.app.web.ClientAddress;
import ai.interviewinsights.app.web.WireValues;
import ai.interviewinsights.app.controlplane.api.PublicApi.CandidateView;
import ai.interviewinsights.app.controlplane.api.PublicApi.ClientSecretView;
import ai.interviewinsights.app.controlplane.api.PublicApi.InviteView;
import ai.interviewinsights.app.controlplane.api.PublicApi.ListView;
import ai.interviewinsights.app.controlplane.api.PublicApi.PositionView;
import ai.interviewinsights.app.controlplane.api.PublicApi.RealtimeSecretView;
import ai.interviewinsights.app.controlplane.api.PublicApi.ReportView;
import ai.interviewinsights.app.controlplane.api.PublicApi.SessionStarted;
import ai.interviewinsights.app.controlplane.api.PublicApi.SessionView;
import ai.interviewinsights.app.observability.Metrics;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.session.SessionQuery;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.IssueRealtimeSecretUseCase;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.service.InterviewServices;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The control plane's HTTP API. Handlers are thin on purpose: JSON to a command, a use case, the result to JSON.
 * Every rule (tenant walls, lifecycle) lives in the domain.
 */
public final class ControlPlaneRoutes {

    /** Who a per-address limit counts: the peer, or the client a named proxy header says (CLIENT_IP_HEADER). */
    private final ClientAddress clientAddress;
    private final InterviewServices services;
    private final Authenticator auth;
    private final Bodies bodies;
    private final RateLimiter sessionStarts;
    private final boolean recordingConfigured;
    private final java.util.function.Supplier<URI> publicUrl;
    private final Metrics metrics;

    public ControlPlaneRoutes(InterviewServices services, Authenticator auth, Bodies bodies, RateLimiter sessionStarts,
                              boolean recordingConfigured, java.util.function.Supplier<URI> publicUrl,
                              Metrics metrics, ClientAddress clientAddress) {
        this.clientAddress = clientAddress;
        this.services = services;
        this.auth = auth;
        this.bodies = bodies;
        this.sessionStarts = sessionStarts;
        this.recordingConfigured = recordingConfigured;
        this.publicUrl = publicUrl;
        this.metrics = metrics;
    }

    public void install(JavalinConfig config) {
        var r = config.routes;
        r.post("/api/positions", this::createPosition);
        r.get("/api/positions", ctx -> ctx.json(new ListView<>(services.positions().list(auth.principal(ctx))
                .stream().map(PositionView::of).toList())));
        r.get("/api/positions/{id}", ctx -> ctx.json(PositionView.of(services.positions().get(auth.principal(ctx),
                PositionId.of(ctx.pathParam("id"))))));

        r.post("/api/candidates", this::createCandidate);
        r.get("/api/candidates", ctx -> ctx.json(new ListView<>(services.candidates().candidates(
                auth.principal(ctx)).stream().map(CandidateView::of).toList())));
        r.get("/api/candidates/{id}", ctx -> ctx.json(CandidateView.of(services.candidates().candidate(
                auth.principal(ctx), CandidateId.of(ctx.pathParam("id"))))));
        // The right to erasure: the candidate, their interviews, recordings and key, for good; a receipt stays.
        r.delete("/api/candidates/{id}", ctx -> ctx.json(PublicApi.ErasureView.of(services.eraseCandidate().erase(
                auth.principal(ctx), CandidateId.of(ctx.pathParam("id"))))));

        r.post("/api/invites", this::createInvite);
        r.get("/api/invites", ctx -> ctx.json(new ListView<>(services.invites().list(auth.principal(ctx)).stream()
                .map(i -> InviteView.of(i, null, null)).toList())));
        r.get("/api/invites/{id}", ctx -> ctx.json(InviteView.of(services.invites().get(auth.principal(ctx),
                InviteId.of(ctx.pathParam("id"))), null, null)));
        r.post("/api/invites/{id}/revoke", ctx -> ctx.json(InviteView.of(services.revokeInvite().revoke(
                auth.principal(ctx), InviteId.of(ctx.pathParam("id"))), null, null)));
        r.post("/api/invites/redeem", this::redeemInvite);

        r.post("/api/sessions", this::startSession);
        r.get("/api/sessions", this::listSessions);
        r.get("/api/sessions/{id}", ctx -> ctx.json(SessionView.of(services.sessions().get(auth.principal(ctx),
                SessionId.of(ctx.pathParam("id"))))));
        r.post("/api/sessions/{id}/rejoin", this::rejoinSession);
        r.post("/api/sessions/{id}/end", this::endSession);
        r.post("/api/sessions/{id}/recording-grant", this::grantRecording);
        r.post("/api/sessions/{id}/cancel", ctx -> {
            SessionId id = SessionId.of(ctx.pathParam("id"));
            services.cancelInterview().cancel(auth.principal(ctx), id);
            ctx.json(SessionView.of(services.sessions().get(auth.principal(ctx), id)));
        });
        r.get("/api/sessions/{id}/report", ctx -> ctx.json(ReportView.of(services.interviewReport().report(
                auth.principal(ctx), SessionId.of(ctx.pathParam("id"))))));
        r.post("/api/realtime/sessions", this::realtimeSecret);
    }

    private void createPosition(Context ctx) {
        Principal principal = auth.principal(ctx);
        PublicApi.CreatePosition body = bodies.json(ctx, PublicApi.CreatePosition.class);
        ctx.status(201).json(PositionView.of(services.positions().create(principal, body.title(), body.description(),
                body.competencyList())));
    }

    private void createCandidate(Context ctx) {
        Principal principal = auth.principal(ctx);
        PublicApi.CreateCandidate body = bodies.json(ctx, PublicApi.CreateCandidate.class);
        ctx.status(201).json(CandidateView.of(services.candidates().create(principal, body.name(), body.email())));
    }

    private void createInvite(Context ctx) {
        Principal principal = auth.principal(ctx);
        PublicApi.CreateInvite body = bodies.json(ctx, PublicApi.CreateInvite.class);
        Duration validFor = body.validForHours() == null ? null : Duration.ofHours(body.validForHours());
        InviteCandidateUseCase.IssuedInvite issued = services.inviteCandidate().invite(
                new InviteCandidateUseCase.InviteCandidate(principal, CandidateId.of(body.candidateId()),
                        PositionId.of(body.positionId()), PublicApi.SettingsBody.toDomain(body.settings()), validFor));
        String token = issued.token().value().reveal();
        String url = publicUrl.get().resolve("/interview/" + token).toString();
        ctx.status(201).json(InviteView.of(issued.invite(), url, token));
    }

    /** Redemptions an invite link may see a minute, and one client address (reloads, a few tabs; not a flood). */
    static final int REDEEMS_PER_INVITE_PER_MINUTE = 10;
    static final int REDEEMS_PER_ADDRESS_PER_MINUTE = 60;

    private record RedeemKey(String kind, String value) {
    }

    /** Asks one caller may make for a session's recording grant a minute (one gets it; retries, a second tab). */
    static final int GRANT_ASKS_PER_SESSION_PER_MINUTE = 6;

    /** Whose asks: each caller its own bucket, so that nobody else's refused asks use up the candidate's. */
    private record GrantKey(String caller, String session) {
    }

    /**
     * After READY (ADR 0028): the room asks for its recording's grant as it joins, so that its start waited for no
     * video provider. Once per session (409 recording.already_granted after it); limited per session, since each
     * ask that gets through before the grant is attached is a call to the provider.
     */
    private void grantRecording(Context ctx) {
        Principal principal = auth.principal(ctx);
        SessionId session = SessionId.of(ctx.pathParam("id"));
        sessionStarts.acquire(new GrantKey(principal.tenant() + "/" + principal.user(), session.toString()),
                GRANT_ASKS_PER_SESSION_PER_MINUTE,
                "rate_limited.recording_grant", "this interview's recording grant was asked for too often");
        ctx.status(201).header("Cache-Control", "no-store").json(PublicApi.RecordingGrantView.of(
                java.util.Optional.of(services.grantRecording().grant(principal, session)), true));
    }

    private void redeemInvite(Context ctx) {
        PublicApi.RedeemInvite body = bodies.json(ctx, PublicApi.RedeemInvite.class);
        if (body.token() == null || body.token().isBlank()) {
            throw DomainException.invalid("invalid.token", "token is required");
        }
        var recordingGrant = PublicApi.recordingGrant(body.recordingGrant()); // a bad value uses up no permit
        // Unauthenticated and it starts a runner: limited per client address and per invite, before any work.
        sessionStarts.acquire(new RedeemKey("address", clientAddress.of(ctx)), REDEEMS_PER_ADDRESS_PER_MINUTE,
                "rate_limited.redeem", "too many invite links opened from this address");
        sessionStarts.acquire(new RedeemKey("invite", ai.interviewinsights.domain.model.invite.InviteToken
                .of(body.token()).hash()), REDEEMS_PER_INVITE_PER_MINUTE, "rate_limited.redeem",
                "this invite link was opened too often");
        StartedInterview started = services.redeemInvite().redeem(body.token(),
                body.consent() == null ? null : body.consent().toDomain(), recordingGrant);
        if (started.fresh()) {
            metrics.sessionStarted("invite"); // a rejoin is not a new interview
        }
        ctx.json(SessionStarted.of(started, recordingConfigured));
    }

    private void startSession(Context ctx) {
        Principal principal = auth.principal(ctx);
        PublicApi.StartSession body = bodies.json(ctx, PublicApi.StartSession.class);
        if (body.candidateId() == null || body.positionId() == null) {
            throw DomainException.invalid("invalid.request", "candidate_id and position_id are required");
        }
        CandidateId candidate = CandidateId.of(body.candidateId());
        PositionId position = PositionId.of(body.positionId());
        var recordingGrant = PublicApi.recordingGrant(body.recordingGrant());
        // The use case refuses it too; refused here first, a candidate's or a runner's token spends none of the
        // tenant's session starts, which are its staff's.
        principal.requireStaff();
        sessionStarts.acquire(principal.tenant());
        StartedInterview started = services.startInterview().start(new StartInterviewUseCase.StartInterview(principal,
                candidate, position, PublicApi.SettingsBody.toDomain(body.settings()), recordingGrant));
        metrics.sessionStarted("staff");
        ctx.status(201).json(SessionStarted.of(started, recordingConfigured));
    }

    /**
     * Staff come back to an admin-flow interview (a reload, another tab, or its runner is gone): the same session,
     * through its runner or a fresh one that carries on (the invite flow's counterpart is redeeming again). A rejoin
     * is not a new interview: it is neither counted nor rate-limited as one.
     */
    private void rejoinSession(Context ctx) {
        Principal principal = auth.principal(ctx);
        StartedInterview rejoined = services.rejoinInterview().rejoin(
                new ai.interviewinsights.domain.port.in.RejoinInterviewUseCase.RejoinInterview(principal,
                        SessionId.of(ctx.pathParam("id"))));
        ctx.json(SessionStarted.of(rejoined, recordingConfigured));
    }

    private void endSession(Context ctx) {
        Principal principal = auth.principal(ctx);
        PublicApi.EndSession body = ctx.contentLength() > 0 ? bodies.json(ctx, PublicApi.EndSession.class)
                : new PublicApi.EndSession(null, null, null);
        EndReason reason = principal.isStaff() ? EndReason.STAFF_ENDED : EndReason.CANDIDATE_ENDED;
        EndInterviewUseCase.EndedInterview ended = services.endInterview().end(new EndInterviewUseCase.EndInterview(
                principal, SessionId.of(ctx.pathParam("id")), reason,
                        RecordingReport.parse(body.videoId(), body.recordingUrl())));
        ctx.json(SessionView.of(ended.session()));
    }

    private void realtimeSecret(Context ctx) {
        Principal principal = auth.principal(ctx);
        PublicApi.RealtimeSecretRequest body = bodies.json(ctx, PublicApi.RealtimeSecretRequest.class);
        SessionId session = body.sessionId() != null ? SessionId.of(body.sessionId())
                : principal.boundSession().orElseThrow(() -> DomainException.invalid("invalid.session_id",
                "session_id is required"));
        ClientSecret secret = services.issueRealtimeSecret().issue(
                new IssueRealtimeSecretUseCase.IssueRealtimeSecret(principal, session));
        ctx.json(new RealtimeSecretView(new ClientSecretView(secret.value().reveal(), secret.expiresAt()),
                Map.of("session_id", session.toString())));
    }

    /**
     * The caller's sessions, filtered (status, position, date range) and paged by the store, newest first; see
     * docs/openapi.yaml and decision 0019.
     */
    private void listSessions(Context ctx) {
        Principal principal = auth.principal(ctx);
        int limit = limit(ctx);
        int offset = intParam(ctx, "offset", 0);
        java.util.Set<ai.interviewinsights.domain.model.session.SessionStatus> statuses = new java.util.HashSet<>();
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank()) {
            for (String one : status.split(",")) {
                statuses.add(WireValues.enumOf(ai.interviewinsights.domain.model.session.SessionStatus.class,
                        one.strip(), "status"));
            }
        }
        String position = ctx.queryParam("position_id");
        PositionId positionId = position == null || position.isBlank() ? null : PositionId.of(position);
        java.time.Instant from = instantParam(ctx, "from", false);
        java.time.Instant to = instantParam(ctx, "to", true);
        // SessionQuery holds the rules (invalid.paging, invalid.date_range); the route only parses.
        SessionQuery.Page page = services.sessions().search(principal,
                new SessionQuery(statuses, positionId, from, to, limit, offset));
        ctx.json(new SessionPage(page.items().stream().map(SessionView::of).toList(), page.total(), offset, limit));
    }

    /** A page of sessions; {@code total} counts every match of the filters. */
    public record SessionPage(List<SessionView> items, long total, int offset, int limit) {
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw DomainException.invalid("invalid." + name, name + " must be a whole number");
        }
    }

    /** A date (YYYY-MM-DD, UTC; an end date includes the whole day) or an ISO-8601 instant. */
    private static java.time.Instant instantParam(Context ctx, String name, boolean endOfDay) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            if (raw.length() == 10) {
                java.time.LocalDate day = java.time.LocalDate.parse(raw);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            return java.time.Instant.parse(raw);
        } catch (java.time.format.DateTimeParseException e) {
            throw DomainException.invalid("invalid." + name, name + " must be a date (2026-11-28) or an instant");
        }
    }

    private static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return 50;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw DomainException.invalid("invalid.limit", "limit must be a whole number");
        }
    }
}
