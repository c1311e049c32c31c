package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.LeaseHolder;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import ai.interviewinsights.domain.testing.InMemoryRunnerLeases;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A start prepares the session's recording (the provider's round trips) while its runner starts, not after it
 * (issue 16, goal 2), and a runner that never starts leaves no video behind.
 */
class RecordingAlongsideTheRunnerTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal admin = Fixtures.admin(ACME);
    private final ExecutorService alongside = Executors.newCachedThreadPool();
    private final CountDownLatch recordingAsked = new CountDownLatch(1);
    private final CountDownLatch provisioning = new CountDownLatch(1);
    private volatile DomainException provisioningFails;
    private volatile java.util.function.Consumer<RunnerSpec> whileProvisioning = spec -> { };
    private final InMemoryRunnerLeases leases = new InMemoryRunnerLeases();
    private Position position;
    private Candidate candidate;
    private InterviewServices services;

    @BeforeEach
    void setUp() {
        platform.registerTenant(ACME);
        position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        // The runner's start and the recording's preparation each wait until the other has begun: only run at the same
        // time do both get through (one after the other, the first would wait for the second in vain).
        RunnerProvisioner waitsForTheRecording = new RunnerProvisioner() {
            @Override
            public RunnerRef provision(RunnerSpec spec) {
                provisioning.countDown();
                try {
                    if (!recordingAsked.await(10, TimeUnit.SECONDS)) {
                        throw DomainException.unavailable("runner.test", "the recording was not prepared meanwhile");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (provisioningFails != null) {
                    throw provisioningFails;
                }
                RunnerRef started = platform.runners.provision(spec);
                whileProvisioning.accept(spec);
                return started;
            }

            @Override
            public void destroy(ai.interviewinsights.domain.model.identity.TenantId tenant,
                                ai.interviewinsights.domain.model.runner.RunnerId runnerId) {
                platform.runners.destroy(tenant, runnerId);
            }

            @Override
            public List<ai.interviewinsights.domain.model.runner.LiveRunner> listLive() {
                return platform.runners.listLive();
            }
        };
        ai.interviewinsights.domain.port.out.RecordingGateway noticing = new ForwardingRecording(platform.recording) {
            @Override
            public ai.interviewinsights.domain.model.recording.UploadGrant prepareUpload(
                    ai.interviewinsights.domain.model.recording.RecordingRequest request) {
                recordingAsked.countDown();
                try {
                    if (!provisioning.await(10, TimeUnit.SECONDS)) {
                        throw DomainException.unavailable("recording.test", "the runner did not start meanwhile");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.prepareUpload(request);
            }
        };
        var repositories = platform.repositories;
        services = InterviewServices.create(new InterviewPorts(repositories.tenants(), repositories.positions(),
                repositories.candidates(), repositories.sessions(), repositories.transcripts(),
                repositories.invites(), repositories.evaluations(), repositories.audit(), platform.consents,
                platform.openai, waitsForTheRecording, Optional.of(noticing), platform.evaluator, platform.tokens,
                platform.ids, platform.clock, repositories.erasure(), leases,
                new LeaseHolder("instance-a")).withAlongside(alongside), InterviewPolicies.defaults());
    }

    @AfterEach
    void stop() {
        alongside.shutdownNow();
    }

    @Test
    void the_recording_is_prepared_while_the_runner_starts_and_the_session_gets_both() {
        StartedInterview started = services.startInterview().start(new StartInterview(admin, candidate.id(),
                position.id(), null));

        assertEquals(SessionStatus.READY, started.session().status());
        VideoId video = started.recording().orElseThrow().videoId();
        assertEquals(Optional.of(video), started.session().recording().map(r -> r.videoId()));
        assertTrue(platform.recording.exists(video));
    }

    @Test
    void a_runner_that_never_starts_leaves_no_video_behind() throws Exception {
        provisioningFails = DomainException.unavailable("fly.insufficient_capacity", "no capacity in any region");

        DomainException e = assertThrows(DomainException.class, () -> services.startInterview().start(
                new StartInterview(admin, candidate.id(), position.id(), null)));

        assertEquals("runner.provisioning_failed", e.code());
        VideoId prepared = new VideoId("vi1");
        // The preparation may still be on its way when the start gives up: wait for the video to be made, then gone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (platform.recording.requests().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        while (platform.recording.exists(prepared) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, platform.recording.requests().size(), "the video was prepared alongside");
        assertFalse(platform.recording.exists(prepared), "and deleted once the runner failed");
        assertEquals(SessionStatus.FAILED, platform.services.sessions().listRecent(admin, 1).get(0).status());
    }

    /**
     * Staff call the interview off while its runner starts (the session is PROVISIONING in their list): the start's
     * READY is refused, and then nothing named the runner or the video, so nothing would ever stop or delete them
     * (the cancel's teardown finds neither on the session). The start undoes both, and the lease.
     */
    @Test
    void an_interview_called_off_while_its_runner_starts_leaves_no_runner_lease_or_video() {
        whileProvisioning = spec -> services.cancelInterview().cancel(admin, spec.session());

        DomainException e = assertThrows(DomainException.class, () -> services.startInterview().start(
                new StartInterview(admin, candidate.id(), position.id(), null)));

        assertEquals("session.illegal_transition", e.code(), e.getMessage());
        var session = platform.services.sessions().listRecent(admin, 1).get(0);
        assertEquals(SessionStatus.CANCELLED, session.status());
        assertEquals(0, platform.runners.liveCount(), "the runner is stopped");
        assertEquals(1, platform.runners.destroyedIds().size());
        assertTrue(leases.find(session.id()).isEmpty(), "its lease is released");
        assertEquals(1, platform.recording.requests().size(), "the video was prepared alongside");
        assertFalse(platform.recording.exists(new VideoId("vi1")), "and deleted");
    }

    /** A recording gateway handing every call to another. */
    private static class ForwardingRecording implements ai.interviewinsights.domain.port.out.RecordingGateway {
        private final ai.interviewinsights.domain.port.out.RecordingGateway real;

        ForwardingRecording(ai.interviewinsights.domain.port.out.RecordingGateway real) {
            this.real = real;
        }

        @Override
        public ai.interviewinsights.domain.model.recording.UploadGrant prepareUpload(
                ai.interviewinsights.domain.model.recording.RecordingRequest request) {
            return real.prepareUpload(request);
        }

        @Override
        public ai.interviewinsights.domain.model.recording.RecordingStatus status(VideoId videoId) {
            return real.status(videoId);
        }

        @Override
        public void delete(VideoId videoId) {
            real.delete(videoId);
        }

        @Override
        public void revokeUploadToken(ai.interviewinsights.domain.model.Secret uploadToken) {
            real.revokeUploadToken(uploadToken);
        }
    }
}
