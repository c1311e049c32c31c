package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static ai.interviewinsights.domain.testing.Fixtures.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.interview.SettingsRequest;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import ai.interviewinsights.domain.model.recording.CallAudioRef;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.in.StoreCallAudioUseCase;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A proxy runner stores its call's own audio with the recording provider (ADR 0021): only its own session's, only a
 * proxy session that is recorded, one video per session, findable from the session, deleted with it; a failure is
 * audited and never touches the end.
 */
class CallAudioTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final StoreCallAudioUseCase useCase = platform.services.storeCallAudio();
    private final Principal admin = Fixtures.admin(ACME);
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void setUp() {
        platform.registerTenant(ACME);
        platform.registerTenant(GLOBEX);
        position = platform.services.positions().create(admin, "Engineer", "",
                List.of(new Competency("Design", "", 1)));
        candidate = platform.services.candidates().create(admin, "Ada Lovelace", "");
    }

    private SessionId start(String architecture) {
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), new SettingsRequest(null, null, null, null, null, architecture)));
        SessionId id = started.session().id();
        runner(id).negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
        return id;
    }

    private InterviewRunner runner(SessionId id) {
        return platform.runnerFor(ACME, id, new InterviewRunner.Observer() { });
    }

    private InterviewSession session(SessionId id) {
        return platform.services.sessions().get(admin, id);
    }

    private List<AuditEvent> audited(String action) {
        return platform.repositories.allAuditEvents().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    void a_recorded_proxy_session_tells_its_runner_to_record_and_a_hybrid_one_does_not() {
        SessionId proxy = start("proxy");
        SessionId hybrid = start("hybrid");
        assertTrue(platform.services.runnerAssignment().assignment(Fixtures.runnerPrincipal(ACME, proxy), proxy)
                .recordCallAudio());
        assertFalse(platform.services.runnerAssignment().assignment(Fixtures.runnerPrincipal(ACME, hybrid), hybrid)
                .recordCallAudio(), "a hybrid call's audio never passes the runner");
    }

    @Test
    void a_runner_started_before_its_sessions_video_is_prepared_records_when_a_provider_is_configured() {
        // The runner fetches its assignment as it starts, while the session is PROVISIONING: the video follows.
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), new SettingsRequest(null, null, null, null, null, "proxy")));
        SessionId id = started.session().id();
        InterviewSession provisioning = platform.repositories.sessions().find(InMemoryInterviewPlatform.inspector(),
                id).orElseThrow();
        InterviewSession.Snapshot s = provisioning.snapshot();
        platform.repositories.sessions().save(InMemoryInterviewPlatform.inspector(), InterviewSession.restore(
                new InterviewSession.Snapshot(s.id(), s.tenant(), s.candidate(), s.position(), s.settings(),
                        s.origin(), s.startedBy(), SessionStatus.PROVISIONING, s.createdAt(), s.updatedAt(),
                        s.lastActivityAt(), null, null, null, null, null, null, null, null, s.version())));
        assertTrue(platform.services.runnerAssignment().assignment(Fixtures.runnerPrincipal(ACME, id), id)
                .recordCallAudio());
    }

    /**
     * The browser asks for its grant after READY (ADR 0028), maybe only after the call has started: the runner's
     * call audio is granted on the candidate's consent to recording, not on the browser's video being there yet.
     */
    @Test
    void a_session_whose_browser_asks_for_its_grant_after_ready_records_its_call_audio_before_that_grant() {
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), new SettingsRequest(null, null, null, null, null, "proxy"),
                ai.interviewinsights.domain.model.recording.RecordingGrantTiming.AFTER_READY));
        SessionId id = started.session().id();
        Principal runner = Fixtures.runnerPrincipal(ACME, id);
        assertTrue(session(id).recording().isEmpty(), "no browser's video yet");
        assertTrue(platform.services.runnerAssignment().assignment(runner, id).recordCallAudio());

        DomainException withoutConsent = assertThrows(DomainException.class, () -> useCase.grant(runner, id));
        assertEquals("recording.off", withoutConsent.code(), "no consent of the candidate's to being recorded");

        platform.services.consents().consent(Fixtures.candidatePrincipal(ACME, id), id, platform.consent());
        CallAudioGrant grant = useCase.grant(runner, id);
        assertEquals(grant.upload().videoId(), session(id).callAudio().orElseThrow().videoId());
    }

    @Test
    void recording_off_means_no_call_audio_is_asked_for_nor_granted() {
        InMemoryInterviewPlatform unrecorded = new InMemoryInterviewPlatform(InterviewPolicies.defaults(), false);
        unrecorded.registerTenant(ACME);
        Position p = unrecorded.services.positions().create(admin, "Engineer", "", List.of(new Competency("D", "", 1)));
        Candidate c = unrecorded.services.candidates().create(admin, "Ada", "");
        SessionId id = unrecorded.services.startInterview().start(new StartInterview(admin, c.id(), p.id(),
                new SettingsRequest(null, null, null, null, null, "proxy"))).session().id();
        Principal runner = Fixtures.runnerPrincipal(ACME, id);
        assertFalse(unrecorded.services.runnerAssignment().assignment(runner, id).recordCallAudio());
        DomainException e = assertThrows(DomainException.class,
                () -> unrecorded.services.storeCallAudio().grant(runner, id));
        assertEquals("recording.off", e.code());
    }

    /** Titles longer than api.video keeps (position and name up to 200 characters each) are cut, the suffix kept. */
    @Test
    void long_names_make_titles_of_at_most_256_characters_and_the_call_audios_keeps_its_suffix() {
        position = platform.services.positions().create(admin, "P".repeat(200), "",
                List.of(new Competency("D", "", 1)));
        candidate = platform.services.candidates().create(admin, "N".repeat(200), "");
        SessionId id = start("proxy");
        new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, id), platform.services).callAudioGrant();

        String browsers = platform.recording.requests().get(0).title();
        String callAudio = platform.recording.requests().get(1).title();
        assertEquals(("P".repeat(200) + " - " + "N".repeat(200)).substring(0, 256), browsers);
        assertEquals(256, callAudio.length());
        assertEquals(("P".repeat(200) + " - " + "N".repeat(200)).substring(0, 256 - 13) + " - call audio", callAudio);
    }

    @Test
    void the_runner_is_granted_a_token_into_a_video_of_the_sessions_own_and_reports_it_uploaded() {
        SessionId id = start("proxy");
        CallAudioGrant grant = new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, id), platform.services)
                .callAudioGrant();

        VideoId browsers = session(id).recording().orElseThrow().videoId();
        assertFalse(grant.videoId().equals(browsers), "a video apart from the browser's recording");
        assertTrue(platform.recording.acceptsUploadsWith(grant.upload().uploadToken()));
        assertTrue(platform.recording.requests().get(1).title().endsWith(" - call audio"));
        assertFalse(grant.toString().contains(grant.upload().uploadToken().reveal()), "the token never in toString");
        CallAudioRef ref = session(id).callAudio().orElseThrow();
        assertEquals(grant.videoId(), ref.videoId());
        assertTrue(ref.pending());

        runner(id).end(EndReason.CANDIDATE_ENDED, null, List.of());
        assertEquals(SessionStatus.COMPLETED, session(id).status());
        assertTrue(platform.runners.destroyedIds().isEmpty(),
                "the runner is not destroyed while it uploads the call audio: it exits by itself");

        useCase.uploaded(new StoreCallAudioUseCase.Uploaded(Fixtures.runnerPrincipal(ACME, id), id, grant.videoId(),
                1234, 2.5));
        assertEquals(platform.clock.instant(), session(id).callAudio().orElseThrow().uploadedAt());
        assertEquals("1234", audited("session.call_audio_stored").get(0).details().get("bytes"));
        assertEquals(List.of(browsers, grant.videoId()), session(id).videos());

        // The provider's webhook for the call audio's video: it becomes playable, the browser's recording untouched.
        platform.recording.markPlayable(grant.videoId());
        assertEquals(id, platform.services.recordingReady().recordingReady(grant.videoId()).orElseThrow());
        assertEquals(id, platform.services.recordingReady().recordingReady(grant.videoId()).orElseThrow());
        CallAudioRef playable = session(id).callAudio().orElseThrow();
        assertTrue(playable.url().orElseThrow().toString().endsWith(grant.videoId().value() + "/mp4/source.mp4"));
        assertEquals(platform.clock.instant(), playable.uploadedAt());
        assertTrue(session(id).recording().orElseThrow().url().isEmpty(), "the browser's recording is not playable");
        assertEquals(1, audited("recording.call_audio_playable").size(), "a retried delivery changes nothing");
        assertTrue(audited("recording.playable").isEmpty());
    }

    @Test
    void the_reconciler_leaves_a_runner_uploading_its_call_audio_until_it_is_done_or_too_late() {
        SessionId id = start("proxy");
        Principal runner = Fixtures.runnerPrincipal(ACME, id);
        useCase.grant(runner, id);
        platform.clock.advance(java.time.Duration.ofMinutes(30)); // a whole interview: the runner is long past young
        runner(id).end(EndReason.CANDIDATE_ENDED, null, List.of());
        assertEquals(SessionStatus.COMPLETED, session(id).status());

        platform.services.reconcileRunners().reconcile();
        assertTrue(platform.runners.destroyedIds().isEmpty(), "uploading: left to exit by itself");

        platform.clock.advance(InterviewPolicies.defaults().recordingMargin().plusSeconds(1));
        platform.services.reconcileRunners().reconcile();
        assertEquals(1, platform.runners.destroyedIds().size(), "an upload that never ends does not keep it forever");
    }

    @Test
    void a_hybrid_session_has_no_call_audio_and_an_uploaded_one_is_final() {
        SessionId hybrid = start("hybrid");
        assertEquals("recording.call_audio_not_proxy", assertThrows(DomainException.class,
                () -> useCase.grant(Fixtures.runnerPrincipal(ACME, hybrid), hybrid)).code());

        SessionId proxy = start("proxy");
        Principal runner = Fixtures.runnerPrincipal(ACME, proxy);
        CallAudioGrant first = useCase.grant(runner, proxy);
        // A replacement runner (the first never uploaded) gets a fresh video; the empty one is not left behind.
        CallAudioGrant second = useCase.grant(runner, proxy);
        assertFalse(first.videoId().equals(second.videoId()));
        assertFalse(platform.recording.exists(first.videoId()));
        assertEquals(second.videoId(), session(proxy).callAudio().orElseThrow().videoId());
        useCase.uploaded(new StoreCallAudioUseCase.Uploaded(runner, proxy, second.videoId(), 10, 1));
        DomainException again = assertThrows(DomainException.class, () -> useCase.grant(runner, proxy));
        assertEquals("recording.call_audio_exists", again.code(), "an uploaded call audio is final");
        assertTrue(platform.recording.exists(second.videoId()));
    }

    @Test
    void a_hostile_runner_cannot_attach_audio_to_someone_elses_session() {
        SessionId victim = start("proxy");
        SessionId own = start("proxy");
        CallAudioGrant ownGrant = useCase.grant(Fixtures.runnerPrincipal(ACME, own), own);
        for (Principal hostile : List.of(Fixtures.runnerPrincipal(ACME, own), Fixtures.runnerPrincipal(GLOBEX,
                victim), Fixtures.candidatePrincipal(ACME, victim), admin)) {
            DomainException grant = assertThrows(DomainException.class, () -> useCase.grant(hostile, victim));
            // Another session's runner is forbidden; another tenant's does not even find the session.
            assertTrue(List.of(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND).contains(grant.kind()),
                    hostile + ": " + grant.code());
            DomainException uploaded = assertThrows(DomainException.class, () -> useCase.uploaded(
                    new StoreCallAudioUseCase.Uploaded(hostile, victim, ownGrant.videoId(), 1, 1)));
            assertTrue(List.of(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND).contains(uploaded.kind()),
                    hostile + ": " + uploaded.code());
            assertThrows(DomainException.class, () -> useCase.failed(
                    new StoreCallAudioUseCase.Failed(hostile, victim, "recording.upload_unavailable")));
        }
        // Its own runner cannot name another video as its call audio either.
        useCase.grant(Fixtures.runnerPrincipal(ACME, victim), victim);
        DomainException foreign = assertThrows(DomainException.class, () -> useCase.uploaded(
                new StoreCallAudioUseCase.Uploaded(Fixtures.runnerPrincipal(ACME, victim), victim,
                        ownGrant.videoId(), 1, 1)));
        assertEquals("recording.not_this_session", foreign.code());
        assertTrue(session(victim).callAudio().orElseThrow().pending());
        assertTrue(audited("session.call_audio_stored").isEmpty());
    }

    @Test
    void a_failed_upload_is_audited_with_its_code_and_the_session_completes_all_the_same() {
        SessionId id = start("proxy");
        CallAudioGrant grant = useCase.grant(Fixtures.runnerPrincipal(ACME, id), id);
        runner(id).end(EndReason.CANDIDATE_ENDED, null, List.of());

        useCase.failed(new StoreCallAudioUseCase.Failed(Fixtures.runnerPrincipal(ACME, id), id,
                "recording.upload_unavailable"));

        assertEquals(SessionStatus.COMPLETED, session(id).status());
        assertEquals("recording.upload_unavailable", session(id).callAudio().orElseThrow().failure());
        assertEquals("recording.upload_unavailable", audited("session.call_audio_failed").get(0).details()
                .get("code"));
        assertFalse(platform.recording.exists(grant.videoId()), "the incomplete video is not kept");
    }

    @Test
    void erasing_the_candidate_deletes_the_call_audio_with_the_browsers_video() {
        SessionId id = start("proxy");
        CallAudioGrant grant = useCase.grant(Fixtures.runnerPrincipal(ACME, id), id);
        runner(id).end(EndReason.CANDIDATE_ENDED, null, List.of());
        VideoId browsers = session(id).recording().orElseThrow().videoId();

        platform.services.eraseCandidate().erase(admin, candidate.id());

        assertFalse(platform.recording.exists(grant.videoId()));
        assertFalse(platform.recording.exists(browsers));
    }
}
