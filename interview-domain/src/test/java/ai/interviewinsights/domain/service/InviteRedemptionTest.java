package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.invite.InviteStatus;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redeeming an invite: one session per invite, a rejoin is told apart, a used invite cannot be revoked into a 500. */
class InviteRedemptionTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private Principal admin;
    private InviteCandidateUseCase.IssuedInvite invite;

    @BeforeEach
    void an_invite() {
        platform.registerTenant(ACME);
        admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        invite = platform.services.inviteCandidate().invite(new InviteCandidateUseCase.InviteCandidate(admin,
                candidate.id(), position.id(), null, null));
    }

    private String token() {
        return invite.token().value().reveal();
    }

    @Test
    void the_first_redemption_starts_the_session_and_a_second_rejoins_it_without_counting_as_new() {
        StartedInterview first = platform.services.redeemInvite().redeem(token(), platform.consent());
        StartedInterview again = platform.services.redeemInvite().redeem(token(), platform.consent());
        assertTrue(first.fresh());
        assertFalse(again.fresh(), "a rejoin is not a new interview");
        assertEquals(first.session().id(), again.session().id());
    }

    @Test
    void an_invite_claimed_by_a_redemption_in_progress_answers_retry_and_starts_nothing() {
        var id = invite.invite().id();
        var now = platform.clock.instant();
        assertTrue(platform.repositories.invites().claim(InMemoryInterviewPlatform.inspector(), id, now,
                now.minusSeconds(120)));
        DomainException busy = assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem(token(), platform.consent()));
        assertEquals("invite.redeeming", busy.code());
        assertEquals(ErrorKind.CONFLICT, busy.kind());
        assertTrue(busy.retryable());
        assertEquals(List.of(), platform.services.sessions().listRecent(admin, 10), "no session was started");
    }

    @Test
    void revoking_a_redeemed_invite_is_a_clear_conflict_and_a_pending_one_is_revoked() {
        platform.services.redeemInvite().redeem(token(), platform.consent());
        DomainException used = assertThrows(DomainException.class,
                () -> platform.services.revokeInvite().revoke(admin, invite.invite().id()));
        assertEquals("invite.already_redeemed", used.code());
        assertEquals(ErrorKind.CONFLICT, used.kind());
        assertEquals(InviteStatus.REDEEMED, platform.services.invites().get(admin, invite.invite().id()).status());
    }

    @Test
    void a_start_that_fails_gives_the_invite_back_so_the_candidate_can_try_again() {
        platform.runners.failNextProvision(DomainException.unavailable("runner.quota", "no capacity"));
        assertThrows(DomainException.class, () -> platform.services.redeemInvite().redeem(token(), platform.consent()));
        assertEquals(InviteStatus.PENDING, platform.services.invites().get(admin, invite.invite().id()).status());
        StartedInterview retried = platform.services.redeemInvite().redeem(token(), platform.consent());
        assertTrue(retried.fresh());
    }
}
