package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import ai.interviewinsights.domain.model.recording.CallAudioRef;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.StoreCallAudioUseCase;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.lang.System.Logger.Level;

/**
 * Stores a proxied call's own audio through the recording provider: one video per session beside the browser's,
 * created when the session's runner asks (as its call starts), uploaded by the runner with a delegated token.
 */
final class CallAudioService implements StoreCallAudioUseCase {

    private static final System.Logger LOG = System.getLogger(CallAudioService.class.getName());
    private static final String SUFFIX = " - call audio";

    private final Optional<RecordingGateway> recording;
    private final ConsentRepository consents;
    private final Clock clock;
    private final InterviewPolicies policies;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;

    CallAudioService(Optional<RecordingGateway> recording, ConsentRepository consents, Clock clock,
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
    public CallAudioGrant grant(Principal runner, SessionId id) {
        Access.requireRunner(runner, id);
        AccessScope scope = AccessScope.of(runner);
        InterviewSession session = store.load(scope, id);
        boolean recorded = recorded(session);
        requireRecordable(session, recorded);
        RecordingGateway gateway = recording.orElseThrow(CallAudioService::unavailable);
        URI endpoint = gateway.uploadEndpoint().orElseThrow(CallAudioService::unavailable);
        // The token must outlive the call and the upload after it: the interview's budget plus the same margin as the
        // browser's token (the runner asks as its call starts).
        UploadGrant upload = gateway.prepareUpload(new RecordingRequest(session.tenant(), id,
                starter.videoTitle(scope, session, SUFFIX),
                session.settings().maxDuration().plus(policies.recordingMargin()).plus(policies.recordingMargin())));
        try {
            store.update(scope, id, s -> {
                requireRecordable(s, recorded || s.recording().isPresent());
                if (!s.callAudio().equals(session.callAudio())) {
                    throw DomainException.conflict("recording.call_audio_exists", "another runner of this session"
                            + " was granted its call audio meanwhile");
                }
                s.attachCallAudio(CallAudioRef.granted(upload.videoId(), clock.instant()), clock);
            });
        } catch (RuntimeException e) {
            discard(gateway, upload.videoId());
            throw e;
        }
        // A runner replaced before it uploaded anything (the candidate came back) leaves an empty video behind.
        session.callAudio().filter(CallAudioRef::pending).ifPresent(earlier -> discard(gateway, earlier.videoId()));
        audit.record(scope, session.tenant(), "session.call_audio_granted", "session:" + id,
                Map.of("video", upload.videoId().value()));
        return new CallAudioGrant(upload, endpoint);
    }

    @Override
    public void uploaded(Uploaded command) {
        Access.requireRunner(command.runner(), command.session());
        AccessScope scope = writer(command.runner(), command.session());
        InterviewSession session = store.update(scope, command.session(), s -> {
            CallAudioRef ref = s.callAudio().filter(a -> a.videoId().equals(command.video()))
                    .orElseThrow(() -> DomainException.forbidden("recording.not_this_session",
                            "this video is not the session's call audio"));
            if (ref.failureCode().isPresent()) {
                throw DomainException.conflict("recording.call_audio_failed", "this call audio was reported failed");
            }
            if (ref.uploaded().isEmpty()) {
                s.attachCallAudio(ref.uploaded(clock.instant()), clock);
            }
        });
        audit.record(AccessScope.of(command.runner()), session.tenant(), "session.call_audio_stored",
                "session:" + command.session(),
                Map.of("video", command.video().value(), "bytes", Long.toString(command.bytes()),
                        "seconds", String.format(java.util.Locale.ROOT, "%.1f", command.seconds())));
    }

    @Override
    public void failed(Failed command) {
        Access.requireRunner(command.runner(), command.session());
        AccessScope scope = writer(command.runner(), command.session());
        InterviewSession session = store.update(scope, command.session(), s -> s.callAudio()
                .filter(CallAudioRef::pending)
                .ifPresent(ref -> s.attachCallAudio(ref.failed(command.code()), clock)));
        audit.record(AccessScope.of(command.runner()), session.tenant(), "session.call_audio_failed",
                "session:" + command.session(),
                Map.of("code", command.code()));
        // What reached the provider is incomplete: not kept (the reference stays, so erasure still finds it).
        session.callAudio().filter(a -> a.failureCode().isPresent()).ifPresent(a -> recording.ifPresent(g -> {
            try {
                g.delete(a.videoId());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the failed call audio {0} of session {1} was not deleted: {2}",
                        a.videoId(), command.session(), DomainException.describe(e));
            }
        }));
    }

    /**
     * Who writes a call audio's outcome. The runner reports after the end, while or after the evaluation completes the
     * session, when its own scope may no longer change the row (RLS: a runner changes its session only while it is
     * not over; the evaluation may complete it between a read and a write). So the session is read in the runner's
     * own scope first (RLS: a runner sees its own session only, so this is the database's check that it is the
     * caller's), and only then written by the system, and only the call-audio fields.
     */
    private AccessScope writer(Principal runner, SessionId id) {
        InterviewSession own = store.load(AccessScope.of(runner), id);
        if (own.settings().architecture() != Architecture.PROXY) {
            throw DomainException.conflict("recording.call_audio_not_proxy", "only a proxied call's audio passes"
                    + " the runner; this session is " + own.settings().architecture().wireName());
        }
        return AccessScope.system("call-audio");
    }

    /**
     * Whether the session is recorded: its browser's video is attached, or its browser asks for that grant after
     * READY (ADR 0028), which may come after the call starts, and the candidate agreed to the recording. The consent
     * is read as the system: RLS shows a runner no consent, and the runner's own scope has just shown the session is
     * its own.
     */
    private boolean recorded(InterviewSession session) {
        return session.recording().isPresent() || consents.find(AccessScope.system("call-audio-consent"),
                session.id()).filter(ConsentRecord::recording).isPresent();
    }

    private static void requireRecordable(InterviewSession session, boolean recorded) {
        if (session.settings().architecture() != Architecture.PROXY) {
            throw DomainException.conflict("recording.call_audio_not_proxy", "only a proxied call's audio passes"
                    + " the runner; this session is " + session.settings().architecture().wireName());
        }
        if (!recorded) {
            throw DomainException.conflict("recording.off", "this session is not recorded");
        }
        if (session.status() == SessionStatus.CANCELLED) {
            throw DomainException.conflict("recording.off", "a cancelled interview keeps no recording");
        }
        // A pending one (a runner replaced before it uploaded) is replaced; one uploaded or failed is final.
        if (session.callAudio().filter(a -> !a.pending()).isPresent()) {
            throw DomainException.conflict("recording.call_audio_exists", "this session already has its call audio");
        }
    }

    private static void discard(RecordingGateway gateway, ai.interviewinsights.domain.model.recording.VideoId video) {
        try {
            gateway.delete(video);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "call audio video {0} left empty: {1}", video, DomainException.describe(e));
        }
    }

    private static DomainException unavailable() {
        return DomainException.unavailable("recording.unavailable", "no recording provider takes uploads here");
    }
}
