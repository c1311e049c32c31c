package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static ai.interviewinsights.domain.testing.Fixtures.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.recording.RecordingGrantTiming;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.TenantRepository;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import ai.interviewinsights.domain.testing.InMemoryRunnerLeases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A start that leaves the recording's grant for after READY waits for no provider, and the room then asks for the
 * grant once (ADR 0028): the candidate or the tenant's staff, never a runner, another session or another tenant.
 */
class RecordingGrantAfterReadyTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal admin = Fixtures.admin(ACME);
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void setUp() {
        platform.registerTenant(ACME);
        platform.registerTenant(GLOBEX);
        position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
    }

    /** A staff start leaving the grant for after READY, and the candidate's consent from the room, as it joins. */
    private StartedInterview startAfterReady(InterviewServices services) {
        StartedInterview started = startAfterReadyWithoutConsent(services);
        services.consents().consent(candidateOf(started), started.session().id(), platform.consent());
        return started;
    }

    private StartedInterview startAfterReadyWithoutConsent(InterviewServices services) {
        return services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(), null,
                RecordingGrantTiming.AFTER_READY));
    }

    private Principal candidateOf(StartedInterview started) {
        return Fixtures.candidatePrincipal(ACME, started.session().id());
    }

    private Optional<VideoId> videoOf(SessionId session) {
        return platform.repositories.sessions().find(InMemoryInterviewPlatform.inspector(), session).orElseThrow()
                .recording().flatMap(r -> r.video());
    }

    @Test
    void a_start_leaving_the_grant_for_after_ready_asks_the_provider_nothing() {
        StartedInterview started = startAfterReady(platform.services);

        assertEquals(RecordingGrantTiming.AFTER_READY, started.recordingGrant());
        assertTrue(started.recording().isEmpty());
        assertTrue(platform.recording.requests().isEmpty(), "no video, no token before the room asks");
        assertTrue(videoOf(started.session().id()).isEmpty());
    }

    /**
     * The staff room reads its lobby before the candidate consents: a live session whose grant is still to come is
     * told as recorded, so the candidate's consent covers the recording the room then asks for.
     */
    @Test
    void the_staff_rooms_lobby_tells_of_the_recording_to_come_and_the_consent_covers_it() {
        StartedInterview started = startAfterReadyWithoutConsent(platform.services);

        var lobby = platform.services.consents().lobby(candidateOf(started), started.session().id());
        assertTrue(lobby.recorded(), "the grant may still come: the notice tells of the recording");
        var consent = platform.services.consents().consent(candidateOf(started), started.session().id(),
                platform.consent());
        assertTrue(consent.recording());
        platform.services.grantRecording().grant(candidateOf(started), started.session().id());
    }

    @Test
    void without_the_candidates_consent_nothing_is_granted() {
        StartedInterview started = startAfterReadyWithoutConsent(platform.services);

        DomainException e = assertThrows(DomainException.class, () -> platform.services.grantRecording()
                .grant(Fixtures.interviewer(ACME), started.session().id()));

        assertEquals("recording.not_consented", e.code());
        assertEquals(ErrorKind.CONFLICT, e.kind());
        assertTrue(platform.recording.requests().isEmpty(), "the provider is not asked");
    }

    /** The staff room reloads: its rejoin names where to ask while no browser has been granted the recording. */
    @Test
    void a_rejoin_names_where_to_ask_until_the_grant_is_given_and_then_says_it_went_to_another() {
        StartedInterview started = startAfterReady(platform.services);
        var rejoin = new ai.interviewinsights.domain.port.in.RejoinInterviewUseCase.RejoinInterview(admin,
                started.session().id());

        StartedInterview before = platform.services.rejoinInterview().rejoin(rejoin);
        assertEquals(RecordingGrantTiming.AFTER_READY, before.recordingGrant());
        platform.services.grantRecording().grant(candidateOf(started), started.session().id());
        StartedInterview after = platform.services.rejoinInterview().rejoin(rejoin);

        assertEquals(RecordingGrantTiming.WITH_THE_START, after.recordingGrant());
        assertTrue(after.recording().isEmpty(), "the grant went to the first browser");
        assertTrue(after.session().recording().isPresent());
    }

    /** A start with the grant in its reply whose provider failed names where to ask instead, and the room recovers. */
    @Test
    void a_default_start_whose_provider_failed_lets_the_browser_ask_after_ready() {
        boolean[] down = {true};
        InterviewServices services = servicesWhoseProviderIsDownWhile(down);
        StartedInterview started = services.startInterview().start(new StartInterview(admin, candidate.id(),
                position.id(), null));

        assertEquals(RecordingGrantTiming.AFTER_READY, started.recordingGrant(), "no grant came with it");
        assertTrue(started.recording().isEmpty());
        down[0] = false;
        services.consents().consent(candidateOf(started), started.session().id(), platform.consent());
        UploadGrant grant = services.grantRecording().grant(candidateOf(started), started.session().id());
        assertEquals(Optional.of(grant.videoId()), videoOf(started.session().id()));
    }

    @Test
    void the_default_start_still_brings_its_grant() {
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null));

        assertEquals(RecordingGrantTiming.WITH_THE_START, started.recordingGrant());
        assertTrue(started.recording().isPresent());
    }

    @Test
    void the_candidate_asks_once_and_the_session_gets_the_video_for_the_interview_and_its_margin() {
        StartedInterview started = startAfterReady(platform.services);

        UploadGrant grant = platform.services.grantRecording().grant(candidateOf(started), started.session().id());

        assertEquals(Optional.of(grant.videoId()), videoOf(started.session().id()));
        assertTrue(platform.recording.acceptsUploadsWith(grant.uploadToken()));
        RecordingRequest asked = platform.recording.requests().get(0);
        assertEquals("SRE - Ada", asked.title());
        assertEquals(started.session().id(), asked.session());
        assertEquals(started.session().settings().maxDuration().plus(InterviewPolicies.defaults().recordingMargin()),
                asked.tokenLifetime(), "not connected yet: the whole budget plus the margin");
        assertEquals(1, platform.repositories.audit().about(InMemoryInterviewPlatform.inspector(), ACME,
                "session:" + started.session().id(), "session.recording_granted").size());

        DomainException again = assertThrows(DomainException.class,
                () -> platform.services.grantRecording().grant(candidateOf(started), started.session().id()));
        assertEquals("recording.already_granted", again.code());
        assertEquals(ErrorKind.CONFLICT, again.kind());
        assertEquals(1, platform.recording.requests().size(), "no second video");
    }

    @Test
    void the_tenants_staff_may_ask_for_the_room_they_hand_over() {
        StartedInterview started = startAfterReady(platform.services);

        UploadGrant grant = platform.services.grantRecording().grant(Fixtures.interviewer(ACME),
                started.session().id());

        assertEquals(Optional.of(grant.videoId()), videoOf(started.session().id()));
    }

    @Test
    void hostile_callers_get_nothing_and_make_no_video() {
        StartedInterview started = startAfterReady(platform.services);
        StartedInterview other = startAfterReady(platform.services);
        SessionId id = started.session().id();

        DomainException otherSession = assertThrows(DomainException.class,
                () -> platform.services.grantRecording().grant(candidateOf(other), id));
        assertEquals("access.other_session", otherSession.code());
        DomainException otherTenant = assertThrows(DomainException.class,
                () -> platform.services.grantRecording().grant(Fixtures.admin(GLOBEX), id));
        assertEquals("session.not_found", otherTenant.code(), "another tenant never learns the session exists");
        DomainException runner = assertThrows(DomainException.class,
                () -> platform.services.grantRecording().grant(Fixtures.runnerPrincipal(ACME, id), id));
        assertEquals("access.staff_or_candidate", runner.code());
        DomainException otherTenantsCandidate = assertThrows(DomainException.class,
                () -> platform.services.grantRecording().grant(Fixtures.candidatePrincipal(GLOBEX, id), id));
        assertEquals(ErrorKind.NOT_FOUND, otherTenantsCandidate.kind());

        assertTrue(platform.recording.requests().isEmpty());
        assertTrue(videoOf(id).isEmpty());
    }

    @Test
    void an_interview_that_is_over_gets_no_grant() {
        StartedInterview started = startAfterReady(platform.services);
        platform.services.cancelInterview().cancel(admin, started.session().id());

        DomainException e = assertThrows(DomainException.class,
                () -> platform.services.grantRecording().grant(candidateOf(started), started.session().id()));

        assertEquals("session.not_live", e.code());
        assertEquals(ErrorKind.GONE, e.kind());
        assertTrue(platform.recording.requests().isEmpty());
    }

    @Test
    void without_a_provider_the_answer_says_so_and_is_not_worth_retrying() {
        InMemoryInterviewPlatform unrecorded = new InMemoryInterviewPlatform(InterviewPolicies.defaults(), false);
        unrecorded.registerTenant(ACME);
        Position p = unrecorded.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        Candidate c = unrecorded.services.candidates().create(admin, "Ada", "ada@example.com");
        StartedInterview started = unrecorded.services.startInterview().start(new StartInterview(admin, c.id(),
                p.id(), null, RecordingGrantTiming.AFTER_READY));

        DomainException e = assertThrows(DomainException.class,
                () -> unrecorded.services.grantRecording().grant(candidateOf(started), started.session().id()));

        assertEquals("recording.not_configured", e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertFalse(e.retryable());
    }

    @Test
    void the_provider_down_leaves_nothing_attached_and_a_later_ask_gets_the_grant() {
        boolean[] down = {true};
        InterviewServices services = servicesWhoseProviderIsDownWhile(down);
        StartedInterview started = startAfterReady(services);

        DomainException e = assertThrows(DomainException.class,
                () -> services.grantRecording().grant(candidateOf(started), started.session().id()));
        assertEquals("apivideo.unavailable", e.code());
        assertTrue(e.retryable());
        assertTrue(videoOf(started.session().id()).isEmpty());

        down[0] = false;
        UploadGrant grant = services.grantRecording().grant(candidateOf(started), started.session().id());
        assertEquals(Optional.of(grant.videoId()), videoOf(started.session().id()));
    }

    /**
     * Two browsers ask at once (a second tab): the one whose grant is attached first records; the other's video is
     * deleted and its token revoked, and it is told the recording went to the other.
     */
    @Test
    void of_two_asking_at_once_one_records_and_the_others_video_and_token_are_undone() {
        UploadGrant[] inner = new UploadGrant[1];
        StartedInterview[] started = new StartedInterview[1];
        InterviewServices[] services = new InterviewServices[1];
        services[0] = servicesWith(real -> new Forwarding(real) {
            private boolean first = true;

            @Override
            public UploadGrant prepareUpload(RecordingRequest request) {
                UploadGrant mine = super.prepareUpload(request);
                if (first) { // the other tab asks while this one's grant is on its way back
                    first = false;
                    inner[0] = services[0].grantRecording().grant(candidateOf(started[0]),
                            started[0].session().id());
                }
                return mine;
            }
        });
        started[0] = startAfterReady(services[0]);

        DomainException lost = assertThrows(DomainException.class,
                () -> services[0].grantRecording().grant(candidateOf(started[0]), started[0].session().id()));

        assertEquals("recording.already_granted", lost.code());
        assertEquals(Optional.of(inner[0].videoId()), videoOf(started[0].session().id()));
        assertTrue(platform.recording.exists(inner[0].videoId()));
        assertEquals(2, platform.recording.requests().size());
        VideoId undone = new VideoId("vi1"); // the outer ask's, made first
        assertFalse(platform.recording.exists(undone), "the loser's empty video is deleted");
        assertFalse(platform.recording.acceptsUploadsWith(Secret.of("to_fake_1")), "and its token revoked");
        assertTrue(platform.recording.acceptsUploadsWith(inner[0].uploadToken()));
    }

    /** The runner reports its call while the provider makes the video: both changes are kept. */
    @Test
    void a_session_saved_by_someone_else_while_the_provider_answers_keeps_that_change_and_gets_its_video() {
        InterviewServices services = servicesWith(real -> new Forwarding(real) {
            @Override
            public UploadGrant prepareUpload(RecordingRequest request) {
                var sessions = platform.repositories.sessions();
                var inspector = InMemoryInterviewPlatform.inspector();
                InterviewSession s = sessions.find(inspector, request.session()).orElseThrow();
                s.callConnected(new RealtimeCallId("rtc_meanwhile"), platform.clock);
                sessions.save(inspector, s);
                return super.prepareUpload(request);
            }
        });
        SessionId id = startAfterReady(services).session().id();

        UploadGrant grant = services.grantRecording().grant(Fixtures.candidatePrincipal(ACME, id), id);

        InterviewSession saved = platform.repositories.sessions().find(InMemoryInterviewPlatform.inspector(), id)
                .orElseThrow();
        assertEquals(Optional.of(grant.videoId()), saved.recording().flatMap(r -> r.video()));
        assertEquals(Optional.of(new RealtimeCallId("rtc_meanwhile")), saved.callId(), "the runner's change is kept");
        assertEquals(SessionStatus.ACTIVE, saved.status());
        assertTrue(platform.recording.exists(grant.videoId()), "the video is kept, not undone as a loser's");
        assertTrue(platform.recording.acceptsUploadsWith(grant.uploadToken()));
    }

    /** Staff call the interview off while the provider makes the video: nothing is attached and nothing is left. */
    @Test
    void an_interview_cancelled_while_the_provider_answers_gets_no_grant_and_its_video_is_undone() {
        SessionId[] id = new SessionId[1];
        UploadGrant[] made = new UploadGrant[1];
        InterviewServices services = servicesWith(real -> new Forwarding(real) {
            @Override
            public UploadGrant prepareUpload(RecordingRequest request) {
                platform.services.cancelInterview().cancel(admin, id[0]);
                made[0] = super.prepareUpload(request);
                return made[0];
            }
        });
        id[0] = startAfterReady(services).session().id();

        DomainException e = assertThrows(DomainException.class,
                () -> services.grantRecording().grant(Fixtures.candidatePrincipal(ACME, id[0]), id[0]));

        assertEquals("session.not_live", e.code());
        assertEquals(ErrorKind.GONE, e.kind());
        assertTrue(videoOf(id[0]).isEmpty());
        assertFalse(platform.recording.exists(made[0].videoId()), "the video made for no one is deleted");
        assertFalse(platform.recording.acceptsUploadsWith(made[0].uploadToken()), "and its token revoked");
    }

    /**
     * The candidate's data is erased while the provider makes the video. PostgreSQL cannot tell a row gone from a row
     * this scope may not change (the update finds none: FORBIDDEN); the session is read again and found missing.
     */
    @Test
    void a_session_erased_while_the_provider_answers_is_not_found_and_its_video_is_undone() {
        boolean[] erased = {false};
        SessionRepository real = platform.repositories.sessions();
        SessionRepository erasable = (SessionRepository) Proxy.newProxyInstance(SessionRepository.class
                .getClassLoader(), new Class<?>[] {SessionRepository.class}, (proxy, method, args) -> {
                    if (erased[0] && method.getName().equals("find")) {
                        return Optional.empty();
                    }
                    if (erased[0] && method.getName().equals("save")) {
                        throw DomainException.forbidden("db.forbidden", "not allowed for this principal");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        UploadGrant[] made = new UploadGrant[1];
        InterviewServices services = services(platform.repositories.tenants(), erasable, new Forwarding(
                platform.recording) {
            @Override
            public UploadGrant prepareUpload(RecordingRequest request) {
                made[0] = super.prepareUpload(request);
                erased[0] = true;
                return made[0];
            }
        });
        SessionId id = startAfterReady(services).session().id();

        DomainException e = assertThrows(DomainException.class,
                () -> services.grantRecording().grant(Fixtures.candidatePrincipal(ACME, id), id));

        assertEquals("session.not_found", e.code());
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertFalse(platform.recording.exists(made[0].videoId()), "the video made for no one is deleted");
        assertFalse(platform.recording.acceptsUploadsWith(made[0].uploadToken()), "and its token revoked");
    }

    /**
     * The grant's own work beside the provider's call (sixteenth round, ADR 0028): the session is read once and saved
     * as read, and only what the video's title names is read besides (never the tenant: it is the session's own).
     */
    @Test
    void the_grant_reads_the_session_once_and_never_the_tenant() {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        InterviewServices services = services(counting(TenantRepository.class, platform.repositories.tenants(),
                calls), counting(SessionRepository.class, platform.repositories.sessions(), calls), platform.recording);
        StartedInterview started = startAfterReady(services);
        calls.clear();

        UploadGrant grant = services.grantRecording().grant(candidateOf(started), started.session().id());

        assertEquals(Optional.of(grant.videoId()), videoOf(started.session().id()));
        assertEquals(Map.of("SessionRepository.find", 1, "SessionRepository.save", 1), counts(calls));
    }

    @SuppressWarnings("unchecked")
    private static <T> T counting(Class<T> port, T real, Map<String, AtomicInteger> calls) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            calls.computeIfAbsent(port.getSimpleName() + "." + method.getName(), k -> new AtomicInteger())
                    .incrementAndGet();
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> calls) {
        Map<String, Integer> counts = new TreeMap<>();
        calls.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    /** The platform's services with a provider that answers 503 while {@code down[0]}. */
    private InterviewServices servicesWhoseProviderIsDownWhile(boolean[] down) {
        return servicesWith(real -> new Forwarding(real) {
            @Override
            public UploadGrant prepareUpload(RecordingRequest request) {
                if (down[0]) {
                    throw DomainException.unavailable("apivideo.unavailable", "api.video answered 503");
                }
                return super.prepareUpload(request);
            }
        });
    }

    private InterviewServices servicesWith(Function<RecordingGateway, RecordingGateway> wrap) {
        return services(platform.repositories.tenants(), platform.repositories.sessions(),
                wrap.apply(platform.recording));
    }

    /** The platform's services, on its data, with these ports in place of its own. */
    private InterviewServices services(TenantRepository tenants, SessionRepository sessions,
                                       RecordingGateway recording) {
        var repositories = platform.repositories;
        return InterviewServices.create(new InterviewPorts(tenants, repositories.positions(),
                repositories.candidates(), sessions, repositories.transcripts(),
                repositories.invites(), repositories.evaluations(), repositories.audit(), platform.consents,
                platform.openai, platform.runners, Optional.of(recording), platform.evaluator,
                platform.tokens, platform.ids, platform.clock, repositories.erasure(), new InMemoryRunnerLeases(),
                new LeaseHolder("instance-a")), InterviewPolicies.defaults());
    }

    private static class Forwarding implements RecordingGateway {
        private final RecordingGateway real;

        Forwarding(RecordingGateway real) {
            this.real = real;
        }

        @Override
        public UploadGrant prepareUpload(RecordingRequest request) {
            return real.prepareUpload(request);
        }

        @Override
        public RecordingStatus status(VideoId videoId) {
            return real.status(videoId);
        }

        @Override
        public void delete(VideoId videoId) {
            real.delete(videoId);
        }

        @Override
        public void revokeUploadToken(Secret uploadToken) {
            real.revokeUploadToken(uploadToken);
        }

        @Override
        public Optional<java.net.URI> uploadEndpoint() {
            return real.uploadEndpoint();
        }
    }
}
