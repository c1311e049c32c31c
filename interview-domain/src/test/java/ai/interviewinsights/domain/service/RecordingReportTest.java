package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browser tells the runner which api.video video it uploaded to when it ends the interview ({@code end_session}
 * with {@code video_id}); the runner forwards it with the end; the session keeps the report beside the video its
 * upload token was issued for (decision 0019). A video id that is not this session's is never kept.
 */
class RecordingReportTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal admin = Fixtures.admin(ACME);
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void setUp() {
        platform.registerTenant(ACME);
        position = platform.services.positions().create(admin, "Engineer", "",
                List.of(new Competency("Design", "", 1)));
        candidate = platform.services.candidates().create(admin, "Ada Lovelace", "");
    }

    private StartedInterview startAndConnect() {
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null));
        platform.runnerFor(ACME, started.session().id(), new InterviewRunner.Observer() { })
                .negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        return started;
    }

    private InterviewSession session(SessionId id) {
        return platform.services.sessions().get(admin, id);
    }

    @Test
    void the_video_id_the_browser_reports_in_end_session_reaches_the_session_through_the_runner() {
        StartedInterview started = startAndConnect();
        SessionId id = started.session().id();
        VideoId issued = started.recording().map(UploadGrant::videoId).orElseThrow();
        assertTrue(session(id).recording().flatMap(RecordingRef::reported).isEmpty(), "nothing reported yet");

        platform.runnerFor(ACME, id, new InterviewRunner.Observer() { })
                .end(EndReason.CANDIDATE_ENDED, RecordingReport.parse(issued.value(), null), List.of());

        RecordingRef kept = session(id).recording().orElseThrow();
        assertEquals(issued, kept.videoId());
        assertEquals(platform.clock.instant(), kept.reportedAt(), "the session keeps when the browser reported it");
        assertTrue(platform.repositories.allAuditEvents().stream()
                .noneMatch(e -> e.action().equals("session.recording_report_refused")));
    }

    @Test
    void an_end_without_a_report_leaves_the_video_unconfirmed() {
        StartedInterview started = startAndConnect();
        SessionId id = started.session().id();
        platform.runnerFor(ACME, id, new InterviewRunner.Observer() { })
                .end(EndReason.CANDIDATE_ENDED, null, List.of());
        RecordingRef kept = session(id).recording().orElseThrow();
        assertEquals(started.recording().orElseThrow().videoId(), kept.videoId(), "the issued video stays known");
        assertTrue(kept.reported().isEmpty(), "but the browser never said it uploaded to it");
    }

    @Test
    void a_video_id_that_is_not_this_sessions_is_refused_and_audited_and_the_interview_still_ends() {
        StartedInterview started = startAndConnect();
        SessionId id = started.session().id();
        VideoId issued = started.recording().orElseThrow().videoId();

        platform.runnerFor(ACME, id, new InterviewRunner.Observer() { }).end(EndReason.CANDIDATE_ENDED,
                new RecordingReport(new VideoId("viSomeoneElsesVideo"),
                        URI.create("https://vod.api.video/vod/viSomeoneElsesVideo/mp4/source.mp4")), List.of());

        InterviewSession ended = session(id);
        assertTrue(ended.status() == SessionStatus.COMPLETED || ended.status() == SessionStatus.ENDING,
                "the end went on: " + ended.status());
        RecordingRef kept = ended.recording().orElseThrow();
        assertEquals(issued, kept.videoId(), "another video never replaces the issued one");
        assertFalse(kept.reported().isPresent(), "and never confirms it");
        assertTrue(platform.repositories.allAuditEvents().stream().anyMatch(e -> e.action().equals(
                "session.recording_report_refused") && e.details().get("reported_video").equals("viSomeoneElsesVideo")
                && e.subject().equals("session:" + id)));
    }

    @Test
    void a_malformed_video_id_is_refused_where_it_comes_in() {
        DomainException e = assertThrows(DomainException.class, () -> RecordingReport.parse("../upload-tokens", null));
        assertEquals("invalid.video_id", e.code());
        assertEquals(null, RecordingReport.parse(null, null), "nothing sent is no report");
    }
}
