package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteStatus;
import ai.interviewinsights.domain.model.invite.InviteToken;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.port.in.BrowseInvitesUseCase;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.RedeemInviteUseCase;
import ai.interviewinsights.domain.port.in.StartedInterview;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The candidate-invite flow. Redeeming an invite starts the session through the very same {@link InterviewStarter}
 * as the admin flow; the only difference is who asked.
 */
final class InviteService implements InviteCandidateUseCase, RedeemInviteUseCase, BrowseInvitesUseCase {

    private static final Duration MAX_VALIDITY = Duration.ofDays(90);
    /** A claim older than this belongs to a redemption that died (its instance crashed mid-start). */
    private static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);

    private final InterviewPorts ports;
    private final InterviewPolicies policies;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;

    InviteService(InterviewPorts ports, InterviewPolicies policies, InterviewStarter starter, SessionStore store,
                  Audit audit) {
        this.ports = ports;
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
        InviteToken token = InviteToken.of(ports.ids().newToken());
        Invite invite = Invite.issue(new InviteId(ports.ids().newId()), principal.tenant(), command.candidate(),
                command.position(), settings, token, ports.clock().instant().plus(validFor), principal.user(),
                ports.clock());
        ports.invites().save(scope, invite);
        audit.record(scope, principal.tenant(), "invite.created", "invite:" + invite.id(),
                Map.of("candidate", invite.candidate().toString(), "position", invite.position().toString()));
        return new IssuedInvite(invite, token);
    }

    @Override
    public StartedInterview redeem(String inviteToken) {
        InviteToken token = InviteToken.of(inviteToken);
        // Nobody is signed in yet: the token is the only credential, so the lookup runs as a system job and every
        // later step is confined to the invite's own tenant, candidate and position.
        AccessScope scope = AccessScope.system("invite-redemption");
        Invite invite = ports.invites().findByTokenHash(scope, token.hash())
                .orElseThrow(() -> DomainException.notFound("invite.invalid_token", "this invite link is not valid"));
        Instant now = ports.clock().instant();
        invite.requireRedeemable(now);
        if (invite.status() == InviteStatus.REDEEMED) {
            return rejoin(scope, invite);
        }
        // Exactly one session per invite: the store's conditional update lets one redemption through; the others
        // find the invite claimed (and rejoin once the winner has started the session).
        if (!ports.invites().claim(scope, invite.id(), now, now.minus(CLAIM_TIMEOUT))) {
            Invite current = ports.invites().find(scope, invite.id()).orElse(invite);
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
            started = starter.start(scope, context, SessionOrigin.INVITE, invite.createdBy());
        } catch (RuntimeException e) {
            ports.invites().save(scope, invite.unclaimed()); // give it back: the candidate may try again
            throw e;
        }
        ports.invites().save(scope, invite.unclaimed().redeemed(started.session().id(), ports.clock()));
        audit.record(scope, invite.tenant(), "invite.redeemed", "invite:" + invite.id(),
                Map.of("session", started.session().id().toString()));
        return started;
    }

    /** A candidate who reloads the page gets back into their live interview; a finished one stays finished. */
    private StartedInterview rejoin(AccessScope scope, Invite invite) {
        InterviewSession session = store.load(scope, invite.redeemedSession().orElseThrow());
        if (!session.status().isLive()) {
            throw DomainException.gone("invite.used", "this invite was already used for an interview that is "
                    + session.status());
        }
        return starter.withLiveRunner(scope, session, starter.context(scope, session));
    }

    @Override
    public List<Invite> list(Principal principal) {
        Access.requireStaff(principal);
        return ports.invites().list(AccessScope.of(principal));
    }

    @Override
    public Invite get(Principal principal, InviteId id) {
        Access.requireStaff(principal);
        return ports.invites().find(AccessScope.of(principal), id)
                .orElseThrow(() -> DomainException.notFound("invite.not_found", "no invite " + id));
    }

    @Override
    public Invite revoke(Principal principal, InviteId id) {
        Invite revoked = get(principal, id).revoked();
        AccessScope scope = AccessScope.of(principal);
        ports.invites().save(scope, revoked);
        audit.record(scope, principal.tenant(), "invite.revoked", "invite:" + id, Map.of());
        return revoked;
    }
}
