package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.recording.CallAudioRef;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.RunnerLeases;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.lang.System.Logger.Level;

/**
 * Stops what an ended session leaves running: its OpenAI call and its runner. Best effort by design: the session's
 * status is already final, and whatever cannot be stopped now is found again by the reaper or the reconciler.
 */
final class Teardown {

    private static final System.Logger LOG = System.getLogger(Teardown.class.getName());

    private final RealtimeGateway realtime;
    private final RunnerProvisioner runners;
    private final java.util.Optional<RecordingGateway> recording;
    private final RunnerLeases leases;

    Teardown(RealtimeGateway realtime, RunnerProvisioner runners, java.util.Optional<RecordingGateway> recording,
             RunnerLeases leases) {
        this.leases = leases;
        this.realtime = realtime;
        this.runners = runners;
        this.recording = recording;
    }

    void deleteVideo(VideoId videoId) {
        recording.ifPresent(gateway -> {
            try {
                gateway.delete(videoId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "video {0} not deleted: {1}", videoId, DomainException.describe(e));
            }
        });
    }

    void hangUp(RealtimeCallId call) {
        try {
            realtime.hangUp(call);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "hang-up of call {0} failed: {1}", call, DomainException.describe(e));
        }
    }

    /**
     * Destroys the runner of a session that ended normally (its evaluation is done) unless it is still uploading the
     * call's audio: a proxy runner uploads after it reported the end, then exits by itself, and destroying it now would
     * cut the upload (ADR 0021). The reconciler stops one that never exits.
     */
    void destroyRunnerAfterEnd(InterviewSession session) {
        if (session.callAudio().filter(CallAudioRef::pending).isPresent()) {
            LOG.log(Level.INFO, "the runner of session {0} is uploading the call audio; it exits by itself",
                    session.id());
            return;
        }
        destroyRunner(session);
    }

    void destroyRunner(InterviewSession session) {
        session.runner().ifPresent(runner -> {
            try {
                // A runner that another instance runs is stopped by that instance when it finds the lease gone at
                // its next renewal (this instance's provisioner cannot reach it).
                leases.release(session.id(), runner.runnerId());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "lease of runner {0} of session {1} not released (it expires): {2}",
                        runner.runnerId(), session.id(), DomainException.describe(e));
            }
            try {
                runners.destroy(session.tenant(), runner.runnerId());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "runner {0} of session {1} not destroyed yet: {2}", runner.runnerId(),
                        session.id(), DomainException.describe(e));
            }
        });
    }

    /** Hangs up the call, if any, and destroys the runner, if any. */
    void stopEverything(InterviewSession session) {
        session.callId().ifPresent(this::hangUp);
        destroyRunner(session);
    }
}
