package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.session.ConcurrentUpdateException;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.GrantRecordingUseCase;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A browser's recording grant asked for after READY (ADR 0028): the same video and token a start prepares alongside
 * its runner, made when the room asks instead, so that a start with a standby ready waits for no provider. The room
 * asks as it joins, while it sets up its call; the first to ask gets the grant, as the first browser to join got the
 * one that came with the start.
 */
final class RecordingGrantService implements GrantRecordingUseCase {

    private static final System.Logger LOG = System.getLogger(RecordingGrantService.class.getName());

    private final Optional<RecordingGateway> recording;
    private final ConsentRepository consents;
    private final Clock clock;
    private final InterviewPolicies policies;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;

    RecordingGrantService(Optional<RecordingGateway> recording, ConsentRepository consents, Clock clock,
                          InterviewPolicies policies, InterviewStarter starter, SessionStore store, Audit audit) {
        this.recording = recording;
        this.consents = consents;
        this.clock = clock;
        this.policies = policies;
        this.starter = starter;
        this.store = store;
        this.audit = audit;
    }

    @Override
    public UploadGrant grant(Principal principal, SessionId id) {
        Access.requireSession(principal, id);
        if (principal.role() == Role.RUNNER) {
            throw DomainException.forbidden("access.staff_or_candidate",
                    "the recording is the browser's: only the candidate or the tenant's staff ask for its grant");
        }
        AccessScope scope = AccessScope.of(principal);
        InterviewSession session = store.load(scope, id); // another tenant's: not found (and RLS agrees)
        RecordingGateway gateway = recording.orElseThrow(() -> new DomainException(ErrorKind.UNAVAILABLE,
                "recording.not_configured", "recording is not configured on this platform (APIVIDEO_API_KEY)",
                false, null));
        requireGrantable(session);
        // The candidate agreed to be recorded (the invite's redemption, or the staff room's consent before it joins).
        if (consents.find(scope, id).filter(ConsentRecord::recording).isEmpty()) {
            throw DomainException.conflict("recording.not_consented",
                    "the candidate has not agreed to this interview being recorded");
        }
        Duration lifetime = InterviewStarter.timeLeft(session, clock.instant()).plus(policies.recordingMargin());
        UploadGrant grant = gateway.prepareUpload(new RecordingRequest(session.tenant(), id,
                starter.videoTitle(scope, session, ""), lifetime));
        try {
            attach(scope, session, grant);
        } catch (RuntimeException e) {
            // Another browser was granted the recording meanwhile, or the interview ended: this one is not used.
            discard(gateway, id, grant);
            throw e;
        }
        audit.record(scope, session.tenant(), "session.recording_granted", "session:" + id,
                Map.of("video", grant.videoId().value()));
        return grant;
    }

    /**
     * Saves the video on the session as loaded before the provider's call: one transaction when nobody saved it
     * since, as is usual (the room asks once, right after READY). Otherwise it is loaded again and checked again: a
     * newer version (someone saved it), or no row this scope may change (the database cannot tell a session erased
     * meanwhile from one it may not see), which the load then names (not found) or re-checks.
     */
    private void attach(AccessScope scope, InterviewSession loaded, UploadGrant grant) {
        RecordingRef video = RecordingRef.ofVideo(grant.videoId());
        try {
            loaded.attachRecording(video, clock);
            store.save(scope, loaded);
        } catch (DomainException e) {
            if (!(e instanceof ConcurrentUpdateException) && e.kind() != ErrorKind.FORBIDDEN) {
                throw e;
            }
            store.update(scope, loaded.id(), s -> {
                requireGrantable(s);
                s.attachRecording(video, clock);
            });
        }
    }

    /** A session still ahead of its call or in it (not winding up), with no recording yet. */
    private void requireGrantable(InterviewSession session) {
        if (!session.status().isLive() || session.status() == SessionStatus.ENDING) {
            throw DomainException.gone("session.not_live", "the interview is " + session.status());
        }
        if (session.recording().isPresent()) {
            throw DomainException.conflict("recording.already_granted",
                    "this interview's recording was granted to the browser that asked first");
        }
    }

    private static void discard(RecordingGateway gateway, SessionId session, UploadGrant grant) {
        try {
            gateway.delete(grant.videoId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: the video {1} granted to no one is left: {2}", session,
                    grant.videoId(), DomainException.describe(e));
        }
        try {
            gateway.revokeUploadToken(grant.uploadToken());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: an upload token granted to no one was not revoked (it lapses): {1}",
                    session, DomainException.describe(e));
        }
    }
}
