package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.GivenConsent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteStatus;
import ai.interviewinsights.domain.model.invite.InviteToken;
import ai.interviewinsights.domain.model.recording.RecordingGrantTiming;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.port.in.BrowseInvitesUseCase;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.InviteLobby;
import ai.interviewinsights.domain.port.in.RedeemInviteUseCase;
import ai.interviewinsights.domain.port.in.RevokeInviteUseCase;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.InviteRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The candidate-invite flow. Redeeming an invite starts the session through the very same {@link InterviewStarter}
 * as the admin flow; the only difference is who asked. Opening the link reads the {@link #lobby} only: nothing is
 * started or used up until the candidate has consented and pressed Start, which is the one consuming call.
 */
final class InviteService implements InviteCandidateUseCase, RedeemInviteUseCase, BrowseInvitesUseCase,
        RevokeInviteUseCase {

    private static final Duration MAX_VALIDITY = Duration.ofDays(90);
    /** A claim older than this belongs to a redemption that died (its instance crashed mid-start). */
    private static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);

    private final InviteRepository invites;
    private final IdGenerator ids;
    private final Clock clock;
    private final InterviewPolicies policies;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;
    private final ConsentService consents;

    InviteService(InviteRepository invites, IdGenerator ids, Clock clock, InterviewPolicies policies,
                  InterviewStarter starter, SessionStore store, Audit audit, ConsentService consents) {
        this.consents = consents;
        this.invites = invites;
        this.ids = ids;
        this.clock = clock;
        this.policies = policies;
        this.starter = starter;
        this.store = store;
        this.audit = audit;
    }

    @Override
    public IssuedInvite invite(InviteCandidate command) {
        Principal principal = command.principal();
        Access.requireStaff(principal);
        AccessScope scope = AccessScope.of(principal);
        InterviewSettings settings = policies.settings().resolve(command.settings());
        // Resolving the context checks that position and candidate exist in the caller's tenant.
        starter.context(scope, principal.tenant(), command.position(), command.candidate(), settings);
        Duration validFor = command.validFor() == null ? policies.inviteValidity() : command.validFor();
        if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_VALIDITY) > 0) {
            throw DomainException.invalid("invalid.valid_for", "an invite is valid for up to 90 days");
        }
        InviteToken token = InviteToken.of(ids.newToken());
        Invite invite = Invite.issue(new InviteId(ids.newId()), principal.tenant(), command.candidate(),
                command.position(), settings, token, clock.instant().plus(validFor), principal.user(),
                clock);
        invites.save(scope, invite);
        audit.record(scope, principal.tenant(), "invite.created", "invite:" + invite.id(),
                Map.of("candidate", invite.candidate().toString(), "position", invite.position().toString()));
        return new IssuedInvite(invite, token);
    }

    @Override
    public InviteLobby lobby(String inviteToken) {
        AccessScope scope = AccessScope.system("invite-lobby");
        Invite invite = find(scope, inviteToken);
        InviteLobby.State state;
        Optional<InterviewSession> session = invite.redeemedSession().map(id -> store.load(scope, id));
        if (invite.status() == InviteStatus.REVOKED) {
            state = InviteLobby.State.REVOKED;
        } else if (session.isPresent()) {
            state = session.get().status().isLive() ? InviteLobby.State.LIVE : InviteLobby.State.FINISHED;
        } else if (invite.isExpired(clock.instant())) {
            state = InviteLobby.State.EXPIRED;
        } else {
            state = InviteLobby.State.READY;
        }
        boolean recorded = session.map(consents::recorded).orElse(consents.recordingConfigured());
        InterviewContext context = session.map(s -> starter.context(scope, s)).orElseGet(() -> starter.context(
                scope, invite.tenant(), invite.position(), invite.candidate(), invite.settings()));
        return new InviteLobby(state, context, recorded, consents.shown(scope, invite.tenant(), recorded),
                session.map(s -> s.id().toString()).orElse(invite.id().toString()),
                session.map(InterviewSession::status));
    }

    private Invite find(AccessScope scope, String inviteToken) {
        InviteToken token = InviteToken.of(inviteToken);
        return invites.findByTokenHash(scope, token.hash())
                .orElseThrow(() -> DomainException.notFound("invite.invalid_token", "this invite link is not valid"));
    }

    @Override
    public StartedInterview redeem(String inviteToken, GivenConsent consent, RecordingGrantTiming recordingGrant) {
        java.util.Objects.requireNonNull(recordingGrant, "recordingGrant");
        // Nobody is signed in yet: the token is the only credential, so the lookup runs as a system job and every
        // later step is confined to the invite's own tenant, candidate and position.
        AccessScope scope = AccessScope.system("invite-redemption");
        Invite invite = find(scope, inviteToken);
        Instant now = clock.instant();
        invite.requireRedeemable(now);
        if (invite.status() == InviteStatus.REDEEMED) {
            return rejoin(scope, invite);
        }
        if (consent == null) {
            throw DomainException.invalid("consent.required",
                    "the interview starts only after the candidate agrees to the notice");
        }
        // Checked before anything starts: a refused or outdated consent uses nothing up.
        ConsentNotice.Shown shown = consents.shown(scope, invite.tenant(), consents.recordingConfigured());
        consent.requireCovers(shown);
        // Exactly one session per invite: the store's conditional update lets one redemption through; the others
        // find the invite claimed (and rejoin once the winner has started the session).
        if (!invites.claim(scope, invite.id(), now, now.minus(CLAIM_TIMEOUT))) {
            Invite current = invites.find(scope, invite.id()).orElse(invite);
            current.requireRedeemable(now);
            if (current.status() == InviteStatus.REDEEMED) {
                return rejoin(scope, current);
            }
            throw new DomainException(ai.interviewinsights.domain.model.ErrorKind.CONFLICT, "invite.redeeming",
                    "this invite is being opened right now (another tab?); retry in a moment", true, null);
        }
        StartedInterview started;
        try {
            InterviewContext context = starter.context(scope, invite.tenant(), invite.position(), invite.candidate(),
                    invite.settings());
            started = starter.start(scope, context, SessionOrigin.INVITE, invite.createdBy(), recordingGrant);
        } catch (RuntimeException e) {
            invites.save(scope, invite.unclaimed()); // give it back: the candidate may try again
            throw e;
        }
        consents.store(scope, started.session(), consent, shown);
        invites.save(scope, invite.unclaimed().redeemed(started.session().id(), clock));
        audit.record(scope, invite.tenant(), "invite.redeemed", "invite:" + invite.id(),
                Map.of("session", started.session().id().toString()));
        return started;
    }

    /**
     * A candidate who reloads the page gets back into their live interview; a finished one stays finished. A rejoin
     * brings no grant of its own; asked for after READY, the grant goes to whichever browser asks first (ADR 0028),
     * so a rejoin names where to ask only while no browser has.
     */
    private StartedInterview rejoin(AccessScope scope, Invite invite) {
        InterviewSession session = store.load(scope, invite.redeemedSession().orElseThrow());
        if (!session.status().isLive()) {
            throw DomainException.gone("invite.used", "this invite was already used for an interview that is "
                    + session.status());
        }
        // Its grant still to come, the rejoining browser is told where to ask; already given, it went to the first.
        return starter.withLiveRunner(scope, session, starter.context(scope, session));
    }

    @Override
    public List<Invite> list(Principal principal) {
        Access.requireStaff(principal);
        return invites.list(AccessScope.of(principal));
    }

    @Override
    public Invite get(Principal principal, InviteId id) {
        Access.requireStaff(principal);
        return invites.find(AccessScope.of(principal), id)
                .orElseThrow(() -> DomainException.notFound("invite.not_found", "no invite " + id));
    }

    @Override
    public Invite revoke(Principal principal, InviteId id) {
        Invite revoked = get(principal, id).revoked();
        AccessScope scope = AccessScope.of(principal);
        invites.save(scope, revoked);
        audit.record(scope, principal.tenant(), "invite.revoked", "invite:" + id, Map.of());
        return revoked;
    }
}
