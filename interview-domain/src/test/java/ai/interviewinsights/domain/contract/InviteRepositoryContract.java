package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteStatus;
import ai.interviewinsights.domain.model.invite.InviteToken;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Invites: stored by token hash only, found by it, updated on redemption, walled by tenant. */
public abstract class InviteRepositoryContract extends RepositoryContractSupport {

    protected Invite newInvite(TenantId tenant, InviteToken token) {
        Invite invite = Invite.issue(new InviteId(UUID.randomUUID()), tenant, newCandidate(tenant).id(),
                newPosition(tenant).id(), Fixtures.settings(), token, clock.instant().plus(Duration.ofDays(7)),
                Fixtures.admin(tenant).user(), clock);
        repositories().invites().save(AccessScope.of(Fixtures.admin(tenant)), invite);
        return invite;
    }

    private static InviteToken randomToken() {
        return InviteToken.of(UUID.randomUUID().toString().replace("-", ""));
    }

    @Test
    void an_invite_round_trips_and_is_found_by_its_token_hash() {
        TenantId a = newTenant();
        InviteToken token = randomToken();
        Invite invite = newInvite(a, token);
        assertEquals(invite, repositories().invites().find(AccessScope.of(Fixtures.admin(a)), invite.id())
                .orElseThrow());
        assertEquals(invite, repositories().invites().findByTokenHash(SYSTEM, token.hash()).orElseThrow());
        assertTrue(repositories().invites().findByTokenHash(SYSTEM, randomToken().hash()).isEmpty());
    }

    @Test
    void redemption_is_stored() {
        TenantId a = newTenant();
        Invite invite = newInvite(a, randomToken());
        InterviewSession session = newSession(a);
        clock.advance(Duration.ofHours(1));
        Invite redeemed = invite.redeemed(session.id(), clock);
        repositories().invites().save(SYSTEM, redeemed);
        Invite loaded = repositories().invites().find(SYSTEM, invite.id()).orElseThrow();
        assertEquals(redeemed, loaded);
        assertEquals(InviteStatus.REDEEMED, loaded.status());
    }

    @Test
    void one_redemption_at_a_time_claims_an_invite_and_a_stale_claim_can_be_taken_over() throws Exception {
        TenantId a = newTenant();
        Invite invite = newInvite(a, randomToken());
        java.time.Instant now = clock.instant();
        // Many redemptions race for the same invite: exactly one wins.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> attempts = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                attempts.add(pool.submit(() -> repositories().invites().claim(SYSTEM, invite.id(), now,
                        now.minus(Duration.ofMinutes(2)))));
            }
            int won = 0;
            for (var attempt : attempts) {
                won += attempt.get() ? 1 : 0;
            }
            assertEquals(1, won, "exactly one redemption claims the invite");
        } finally {
            pool.shutdownNow();
        }
        Invite claimed = repositories().invites().find(SYSTEM, invite.id()).orElseThrow();
        assertEquals(InviteStatus.PENDING, claimed.status());
        // The winner died: after the claim timeout another redemption may take it over.
        java.time.Instant later = now.plus(Duration.ofMinutes(3));
        assertTrue(repositories().invites().claim(SYSTEM, invite.id(), later, later.minus(Duration.ofMinutes(2))));
        // Completed: nobody claims a redeemed invite.
        repositories().invites().save(SYSTEM, invite.redeemed(newSession(a).id(), clock));
        org.junit.jupiter.api.Assertions.assertFalse(repositories().invites().claim(SYSTEM, invite.id(),
                later.plus(Duration.ofHours(1)), later.plus(Duration.ofHours(1))));
    }

    @Test
    void invites_are_listed_newest_first_within_the_tenant() {
        TenantId a = newTenant();
        Invite first = newInvite(a, randomToken());
        clock.advance(Duration.ofMinutes(1));
        Invite second = newInvite(a, randomToken());
        newInvite(newTenant(), randomToken());
        assertEquals(List.of(second, first), repositories().invites().list(AccessScope.of(Fixtures.admin(a))));
    }

    @Test
    void another_tenant_and_candidates_cannot_see_or_change_an_invite() {
        TenantId a = newTenant();
        InviteToken token = randomToken();
        Invite invite = newInvite(a, token);
        TenantId b = newTenant();
        AccessScope hostile = AccessScope.of(Fixtures.admin(b));
        assertTrue(repositories().invites().find(hostile, invite.id()).isEmpty());
        assertTrue(repositories().invites().findByTokenHash(hostile, token.hash()).isEmpty());
        assertTrue(repositories().invites().list(hostile).isEmpty());
        assertRefused(() -> repositories().invites().save(hostile, invite.revoked()));
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a, newSession(a).id()));
        assertTrue(repositories().invites().find(candidate, invite.id()).isEmpty());
        assertRefused(() -> repositories().invites().save(candidate, invite.revoked()));
        assertEquals(InviteStatus.PENDING, repositories().invites().find(SYSTEM, invite.id()).orElseThrow().status());
    }
}
