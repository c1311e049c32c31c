package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.consent.GivenConsent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.InviteLobby;
import ai.interviewinsights.domain.port.in.RecordConsentUseCase;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Notice and consent. The invite flow stores consent as part of redeeming (nothing starts without it); the staff
 * flow, whose session exists before the candidate sits down, stores it here from the room before the candidate
 * joins. Either way the record names the exact words shown, and the audit log gets a line.
 */
final class ConsentService implements RecordConsentUseCase {

    private final ConsentRepository consents;
    private final Optional<RecordingGateway> recording;
    private final IdGenerator ids;
    private final Clock clock;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;

    ConsentService(ConsentRepository consents, Optional<RecordingGateway> recording, IdGenerator ids, Clock clock,
                   InterviewStarter starter, SessionStore store, Audit audit) {
        this.consents = consents;
        this.recording = recording;
        this.ids = ids;
        this.clock = clock;
        this.starter = starter;
        this.store = store;
        this.audit = audit;
    }

    /** The notice as this tenant's candidates see it for an interview recorded or not. */
    ConsentNotice.Shown shown(AccessScope scope, TenantId tenant, boolean recorded) {
        return consents.notice(scope, tenant).orElseGet(ConsentNotice::defaults).shown(recorded);
    }

    boolean recordingConfigured() {
        return recording.isPresent();
    }

    /**
     * Whether a session's candidate is told the interview is recorded, and consents to it: its video is attached, or
     * it is live with a provider configured, its grant still to come (the room asks after READY, ADR 0028; the
     * grant then needs this consent). A finished session without a video was not recorded.
     */
    boolean recorded(InterviewSession session) {
        return session.recording().isPresent() || (recording.isPresent() && session.status().isLive());
    }

    /** Checks the consent answers the notice, then stores it with the session and audits it. */
    ConsentRecord store(AccessScope scope, InterviewSession session, GivenConsent given, ConsentNotice.Shown shown) {
        given.requireCovers(shown);
        ConsentRecord record = new ConsentRecord(ids.newId(), session.tenant(), session.id(),
                shown.version(), shown.text(), true, shown.recorded() && given.recording(), clock.instant(),
                "candidate:" + session.id());
        if (consents.record(scope, record)) {
            audit.record(scope, session.tenant(), "consent.given", "session:" + session.id(),
                    Map.of("notice_version", shown.version(), "ai_evaluation", "true",
                            "recording", Boolean.toString(record.recording())));
            return record;
        }
        return consents.find(scope, session.id()).orElse(record);
    }

    @Override
    public InviteLobby lobby(Principal principal, SessionId id) {
        Access.requireSession(principal, id);
        if (!principal.isStaff() && principal.role() != Role.CANDIDATE) {
            throw DomainException.forbidden("access.forbidden", "only the candidate or staff may open the room");
        }
        AccessScope scope = AccessScope.of(principal);
        InterviewSession session = store.load(scope, id);
        boolean recorded = recorded(session);
        InviteLobby.State state = session.status().isLive() ? (session.status() == SessionStatus.ACTIVE
                || consents.find(scope, id).isPresent() ? InviteLobby.State.LIVE : InviteLobby.State.READY)
                : InviteLobby.State.FINISHED;
        return new InviteLobby(state, starter.context(scope, session), recorded,
                shown(scope, session.tenant(), recorded), id.toString(), Optional.of(session.status()));
    }

    @Override
    public ConsentRecord consent(Principal candidate, SessionId id, GivenConsent given) {
        if (candidate.role() != Role.CANDIDATE) {
            throw DomainException.forbidden("access.candidate_only", "only the interview's candidate consents");
        }
        Access.requireSession(candidate, id);
        AccessScope scope = AccessScope.of(candidate);
        InterviewSession session = store.load(scope, id);
        if (!session.status().isLive()) {
            throw DomainException.gone("session.not_live", "this interview is over");
        }
        return store(scope, session, given, shown(scope, session.tenant(), recorded(session)));
    }

    @Override
    public Optional<ConsentRecord> find(Principal principal, SessionId id) {
        Access.requireSession(principal, id);
        return consents.find(AccessScope.of(principal), id);
    }

    @Override
    public ConsentNotice notice(Principal principal) {
        return consents.notice(AccessScope.of(principal), principal.tenant())
                .orElseGet(ConsentNotice::defaults);
    }

    @Override
    public ConsentNotice setNotice(Principal admin, ConsentNotice notice) {
        Access.requireAdmin(admin);
        AccessScope scope = AccessScope.of(admin);
        consents.saveNotice(scope, admin.tenant(), notice);
        audit.record(scope, admin.tenant(), "consent.notice_changed", "tenant:" + admin.tenant(),
                Map.of("version_unrecorded", notice.shown(false).version(),
                        "version_recorded", notice.shown(true).version()));
        return notice;
    }
}
