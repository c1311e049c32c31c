package ai.interviewinsights.app.controlplane.api;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.interview.SettingsRequest;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.recording.RecordingGrantTiming;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase.InterviewReport;
import ai.interviewinsights.domain.port.in.StartedInterview;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static ai.interviewinsights.app.web.WireValues.wire;

/**
 * The public HTTP API's request and response shapes (serialised snake_case), and their mapping to and from the
 * domain. Domain types are never serialised directly: these records are the published contract (docs/openapi.yaml).
 * The runner's internal API is a contract of its own ({@code RunnerApi}); no record is shared between the two.
 */
public final class PublicApi {

    private PublicApi() {
    }

    // ---- requests ----------------------------------------------------------------------------------------------

    public record CompetencyBody(String name, String description, Integer weight) {
        public Competency toDomain() {
            return new Competency(name, description, weight == null ? 1 : weight);
        }
    }

    public record CreatePosition(String title, String description, List<CompetencyBody> competencies) {
        public List<Competency> competencyList() {
            if (competencies == null) {
                throw DomainException.invalid("invalid.competencies", "competencies must not be empty");
            }
            return competencies.stream().map(c -> {
                if (c == null) {
                    throw DomainException.invalid("invalid.competencies", "a competency must not be null");
                }
                return c.toDomain();
            }).toList();
        }
    }

    public record CreateCandidate(String name, String email) {
    }

    public record SettingsBody(String voice, String language, Double temperature, String model,
                               Integer maxDurationMinutes, String architecture) {
        public static SettingsRequest toDomain(SettingsBody body) {
            return body == null ? SettingsRequest.defaults() : new SettingsRequest(body.voice, body.language,
                    body.temperature, body.model, body.maxDurationMinutes, body.architecture);
        }
    }

    /** @param recordingGrant {@code with_the_start} (the default) or {@code after_ready} (ADR 0028) */
    public record StartSession(String candidateId, String positionId, SettingsBody settings, String recordingGrant) {
    }

    public record CreateInvite(String candidateId, String positionId, SettingsBody settings, Integer validForHours) {
    }

    /** @param consent what the candidate agreed to; required to start, ignored when rejoining a live interview */
    public record RedeemInvite(String token, RoomRoutes.ConsentBody consent, String recordingGrant) {
    }

    /**
     * When the browser gets its recording's grant: {@code with_the_start} (absent: the design documents' reply, the
     * grant and its {@code video_token} in it) or {@code after_ready} (the reply names where to ask for it, and the
     * start waits for no recording provider; ADR 0028).
     */
    static RecordingGrantTiming recordingGrant(String wire) {
        return wire == null ? RecordingGrantTiming.WITH_THE_START
                : ai.interviewinsights.app.web.WireValues.enumOf(RecordingGrantTiming.class, wire, "recording_grant");
    }

    public record RealtimeSecretRequest(String sessionId) {
    }

    public record EndSession(String reason, String recordingUrl, String videoId) {
    }

    // ---- responses ---------------------------------------------------------------------------------------------

    public record PositionView(String id, String title, String description, List<CompetencyBody> competencies) {
        public static PositionView of(Position p) {
            return new PositionView(p.id().toString(), p.title(), p.description(), p.competencies().stream()
                    .map(c -> new CompetencyBody(c.name(), c.description(), c.weight())).toList());
        }
    }

    public record CandidateView(String id, String name, String email) {
        public static CandidateView of(Candidate c) {
            return new CandidateView(c.id().toString(), c.name(), c.email().isEmpty() ? null : c.email());
        }
    }

    /** The erasure receipt, as the audit log keeps it: counts, never what was erased. */
    public record ErasureView(String candidate, String erasedAt, String trigger, int sessions, int transcriptEntries,
                              int evaluations, int invites, int keysDestroyed, int videosDeleted, int videosLeft,
                              int runnersStopped) {
        public static ErasureView of(ai.interviewinsights.domain.model.erasure.ErasureReceipt r) {
            return new ErasureView(r.candidate().toString(), r.erasedAt().toString(), r.trigger(),
                    r.records().sessions(), r.records().transcriptEntries(), r.records().evaluations(),
                    r.records().invites(), r.records().keysDestroyed(), r.videosDeleted(), r.videosLeft(),
                    r.runnersStopped());
        }
    }

    public record SettingsView(String voice, String language, Double temperature, String model,
                               String transcriptionModel, long maxDurationMinutes, String architecture) {
        public static SettingsView of(InterviewSettings s) {
            return new SettingsView(s.voice(), s.language().value(), s.temperature(), s.model(),
                    s.transcriptionModel(), s.maxDuration().toMinutes(), s.architecture().wireName());
        }
    }

    public record InterviewContextView(Map<String, String> company, Map<String, String> position,
                                       List<CompetencyBody> competencies, Map<String, String> candidate,
                                       SettingsView settings) {
        public static InterviewContextView of(InterviewContext c) {
            return new InterviewContextView(Map.of("name", c.company().name()),
                    Map.of("title", c.position().title(), "description", c.position().description()),
                    PositionView.of(c.position()).competencies(), Map.of("name", c.candidate().name()),
                    SettingsView.of(c.settings()));
        }
    }

    /**
     * @param reason   why recording is off, when it is
     * @param grantUrl where the room asks for the grant (POST, the candidate's token) when it comes after READY
     */
    public record RecordingGrantView(boolean enabled, String videoId, String uploadToken, Instant expiresAt,
                                     String reason, String grantUrl) {
        private static final String NOT_CONFIGURED = "recording is not configured (APIVIDEO_API_KEY)";

        public static RecordingGrantView of(Optional<UploadGrant> grant, boolean configured) {
            return grant.map(g -> new RecordingGrantView(true, g.videoId().value(), g.uploadToken().reveal(),
                    g.expiresAt(), null, null)).orElseGet(() -> new RecordingGrantView(false, null, null, null,
                    configured ? "the recording provider could not be reached; the interview runs without video"
                            : NOT_CONFIGURED, null));
        }

        /** No grant for this browser: the session's went to the one that asked first (a rejoin, a second tab). */
        static RecordingGrantView givenToAnother() {
            return new RecordingGrantView(false, null, null, null,
                    "the recording was granted to the browser that joined first; this one does not record", null);
        }

        /** A grant to be asked for after READY, at the session's own address. */
        static RecordingGrantView afterReady(ai.interviewinsights.domain.model.identity.SessionId session,
                                             boolean configured) {
            return configured ? new RecordingGrantView(true, null, null, null, null,
                    "/api/sessions/" + session + "/recording-grant")
                    : new RecordingGrantView(false, null, null, null, NOT_CONFIGURED, null);
        }
    }

    /** The design documents' start-session reply, plus status, token expiry and the recording grant. */
    public record SessionStarted(String sessionId, String websocketUrl,
                                 @com.fasterxml.jackson.annotation.JsonInclude(
                                         com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                                 String videoToken,
                                 InterviewContextView interviewContext, RecordingGrantView recording, String status,
                                 Instant tokenExpiresAt) {
        public static SessionStarted of(StartedInterview s, boolean recordingConfigured) {
            RecordingGrantView recording = s.recordingGrant() == RecordingGrantTiming.AFTER_READY
                    ? RecordingGrantView.afterReady(s.session().id(), recordingConfigured)
                    : s.recording().isEmpty() && s.session().recording().isPresent()
                    ? RecordingGrantView.givenToAnother()
                    : RecordingGrantView.of(s.recording(), recordingConfigured);
            return new SessionStarted(s.session().id().toString(), s.websocketUrl(), recording.uploadToken(),
                    InterviewContextView.of(s.context()), recording, wire(s.session().status().name()),
                    s.clientToken().expiresAt());
        }
    }

    public record RunnerView(String id, String name) {
    }

    /** @param reportedAt when the browser reported, at the end, that it uploaded to this video (null: it never did) */
    /** A proxy session's own call audio (ADR 0021): its video, and whether the runner's upload got there. */
    /** @param url where it plays, once the provider has encoded it (its webhook; ADR 0021), else null */
    public record CallAudioView(String videoId, Instant grantedAt, Instant uploadedAt, String failure, URI url) {
    }

    public record RecordingView(String videoId, URI url, Instant reportedAt) {
    }

    public record SessionView(String id, String status, String origin, String candidateId, String positionId,
                              SettingsView settings, Instant createdAt, Instant updatedAt, Instant connectedAt,
                              Instant endedAt, Instant deadline, String endReason, String failureReason,
                              String callId, RunnerView runner, RecordingView recording, CallAudioView callAudio,
                              String evaluationId) {
        public static SessionView of(InterviewSession s) {
            return new SessionView(s.id().toString(), wire(s.status().name()), wire(s.origin().name()),
                    s.candidate().toString(), s.position().toString(), SettingsView.of(s.settings()), s.createdAt(),
                    s.updatedAt(), s.connectedAt().orElse(null), s.endedAt().orElse(null),
                    s.deadline().orElse(null), s.endReason().map(r -> wire(r.name())).orElse(null),
                    s.failureReason().orElse(null), s.callId().map(Object::toString).orElse(null),
                    s.runner().map(r -> new RunnerView(r.runnerId().value(), r.name().value())).orElse(null),
                    s.recording().map(r -> new RecordingView(r.video().map(VideoId::value).orElse(null),
                            r.playbackUrl(), r.reportedAt())).orElse(null),
                    s.callAudio().map(a -> new CallAudioView(a.videoId().value(), a.grantedAt(), a.uploadedAt(),
                            a.failure(), a.url().orElse(null))).orElse(null),
                    s.evaluation().map(Object::toString).orElse(null));
        }
    }

    /** @param url and token are present only in the reply that creates the invite */
    public record InviteView(String id, String candidateId, String positionId, String status, Instant createdAt,
                             Instant expiresAt, String sessionId, String url, String token) {
        public static InviteView of(Invite i, String url, String token) {
            return new InviteView(i.id().toString(), i.candidate().toString(), i.position().toString(),
                    wire(i.status().name()), i.createdAt(), i.expiresAt(),
                    i.redeemedSession().map(Object::toString).orElse(null), url, token);
        }
    }

    public record EntryView(String key, long position, String speaker, String text, Instant spokenAt, String source,
                            String status, Long audioEndMs, String failureReason) {
        public static EntryView of(TranscriptEntry e) {
            return new EntryView(e.key().value(), e.position(), e.speaker().wireName(), e.text(), e.spokenAt(),
                    wire(e.source().name()), wire(e.status().name()),
                    e.truncatedAt().map(Duration::toMillis).orElse(null), e.failure().orElse(null));
        }
    }

    public record EvidenceView(String entry, String quote) {
    }

    public record ScoreView(String competency, int score, String rationale, List<EvidenceView> evidence) {
        public static ScoreView of(CompetencyScore s) {
            return new ScoreView(s.competency(), s.score(), s.rationale(), s.evidence().stream()
                    .map(q -> new EvidenceView(q.entry().value(), q.quote())).toList());
        }
    }

    public record EvaluationView(String id, String status, String failureReason, String recommendation,
                                 String summary, List<ScoreView> scores, String model, String promptVersion,
                                 Instant createdAt) {
        public static EvaluationView of(EvaluationResult r) {
            return r.value().map(e -> new EvaluationView(r.ref().toString(), "succeeded", null,
                    e.recommendation().wireName(), e.summary(), e.scores().stream().map(ScoreView::of).toList(),
                    e.model(), e.promptVersion(), r.createdAt()))
                    .orElseGet(() -> new EvaluationView(r.ref().toString(), "failed", r.failureReason(), null, null,
                            null, null, null, r.createdAt()));
        }
    }

    public record RecordingStatusView(String videoId, String phase, Map<String, URI> assets) {
        public static RecordingStatusView of(RecordingStatus s) {
            return new RecordingStatusView(s.videoId().value(), wire(s.phase().name()), s.assets());
        }
    }

    public record ReportView(SessionView session, PositionView position, CandidateView candidate,
                             List<EntryView> transcript, RecordingStatusView recording, EvaluationView evaluation) {
        public static ReportView of(InterviewReport r) {
            return new ReportView(SessionView.of(r.session()), PositionView.of(r.position()),
                    CandidateView.of(r.candidate()), r.transcript().stream().map(EntryView::of).toList(),
                    r.recording().map(RecordingStatusView::of).orElse(null),
                    r.evaluation().map(EvaluationView::of).orElse(null));
        }
    }

    public record ClientSecretView(String value, Instant expiresAt) {
    }

    public record RealtimeSecretView(ClientSecretView clientSecret, Map<String, Object> session) {
    }

    public record ListView<T>(List<T> items) {
    }
}
