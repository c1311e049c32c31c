package ai.interviewinsights.domain.service;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.consent.GivenConsent;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.invite.InviteStatus;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase;
import ai.interviewinsights.domain.port.in.InviteCandidateUseCase;
import ai.interviewinsights.domain.port.in.InviteLobby;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notice and consent: opening an invite link reads the lobby and uses nothing up; the interview starts only with a
 * consent that answers the notice shown; the consent is kept with the session and in the audit log.
 */
class ConsentScenarioTest {

    private InMemoryInterviewPlatform platform;
    private Principal admin;
    private Position position;
    private Candidate candidate;

    @BeforeEach
    void a_company_with_a_position_and_a_candidate() {
        platform = new InMemoryInterviewPlatform();
        platform.registerTenant(ACME);
        admin = Fixtures.admin(ACME);
        position = platform.services.positions().create(admin, "Backend Engineer", "Payments",
                List.of(new Competency("System design", "Designs for failure", 3)));
        candidate = platform.services.candidates().create(admin, "Ada Lovelace", "ada@example.com");
    }

    private String invite() {
        return platform.services.inviteCandidate().invite(new InviteCandidateUseCase.InviteCandidate(admin,
                candidate.id(), position.id(), null, null)).token().value().reveal();
    }

    @Test
    void opening_the_link_shows_the_lobby_and_uses_nothing_up() {
        String token = invite();
        InviteLobby lobby = platform.services.redeemInvite().lobby(token);
        platform.services.redeemInvite().lobby(token);
        assertEquals(InviteLobby.State.READY, lobby.state());
        assertEquals("Backend Engineer", lobby.context().position().title());
        assertTrue(lobby.recorded());
        assertEquals(ConsentNotice.defaults().shown(true), lobby.notice());
        assertEquals(0, platform.runners.liveCount(), "nothing was provisioned");
        assertEquals(InviteStatus.PENDING, platform.services.invites().list(admin).get(0).status());
    }

    @Test
    void refusing_consent_starts_nothing_and_uses_nothing_up() {
        String token = invite();
        String version = platform.services.redeemInvite().lobby(token).notice().version();
        DomainException refused = assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem(token, new GivenConsent(version, false, true)));
        assertEquals("consent.required", refused.code());
        assertEquals("consent.required", assertThrows(DomainException.class, () -> platform.services.redeemInvite()
                .redeem(token, new GivenConsent(version, true, false))).code(), "a recorded interview needs both");
        assertEquals("consent.required", assertThrows(DomainException.class,
                () -> platform.services.redeemInvite().redeem(token, null)).code());
        assertEquals("consent.stale_notice", assertThrows(DomainException.class, () -> platform.services
                .redeemInvite().redeem(token, new GivenConsent("n1-0000000000000000", true, true))).code());
        assertEquals(0, platform.runners.liveCount());
        assertEquals(InviteLobby.State.READY, platform.services.redeemInvite().lobby(token).state());
    }

    @Test
    void consent_is_kept_with_the_session_and_in_the_audit_log() {
        String token = invite();
        InviteLobby lobby = platform.services.redeemInvite().lobby(token);
        StartedInterview started = platform.services.redeemInvite().redeem(token,
                new GivenConsent(lobby.notice().version(), true, true));
        ConsentRecord record = platform.services.consents().find(admin, started.session().id()).orElseThrow();
        assertEquals(lobby.notice().version(), record.noticeVersion());
        assertEquals(lobby.notice().text(), record.noticeText());
        assertTrue(record.aiEvaluation() && record.recording());
        assertEquals(platform.clock.instant(), record.consentedAt());
        List<AuditEvent> audit = platform.repositories.audit().read(AccessScope.system("test"), ACME, 50);
        AuditEvent given = audit.stream().filter(e -> e.action().equals("consent.given")).findFirst().orElseThrow();
        assertEquals("session:" + started.session().id(), given.subject());
        assertEquals(lobby.notice().version(), given.details().get("notice_version"));

        assertEquals(InviteLobby.State.LIVE, platform.services.redeemInvite().lobby(token).state());
        platform.services.endInterview().end(new EndInterviewUseCase.EndInterview(admin, started.session().id(),
                EndReason.STAFF_ENDED, null));
        InviteLobby after = platform.services.redeemInvite().lobby(token);
        assertFalse(after.state() == InviteLobby.State.READY || after.state() == InviteLobby.State.LIVE);
        assertEquals(started.session().id().toString(), after.reference());
    }

    @Test
    void a_tenant_words_its_own_notice_and_consent_answers_that_wording() {
        ConsentNotice own = new ConsentNotice("Our AI interviews you and scores your answers.",
                "We record video of the interview.");
        platform.services.consents().setNotice(admin, own);
        assertThrows(DomainException.class, () -> platform.services.consents().setNotice(Fixtures.interviewer(ACME),
                own));
        String token = invite();
        InviteLobby lobby = platform.services.redeemInvite().lobby(token);
        assertEquals(own.shown(true), lobby.notice());
        assertEquals("consent.stale_notice", assertThrows(DomainException.class, () -> platform.services
                .redeemInvite().redeem(token, platform.consent())).code(), "the default's version no longer fits");
        platform.services.redeemInvite().redeem(token, new GivenConsent(lobby.notice().version(), true, true));
    }

    @Test
    void in_the_staff_flow_the_candidate_consents_in_the_room_and_nobody_else_can() {
        StartedInterview started = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null));
        Principal room = platform.tokens.verify(started.clientToken().token().reveal());
        InviteLobby lobby = platform.services.consents().lobby(room, started.session().id());
        assertEquals(InviteLobby.State.READY, lobby.state());
        GivenConsent given = new GivenConsent(lobby.notice().version(), true, true);
        assertThrows(DomainException.class, () -> platform.services.consents().consent(admin,
                started.session().id(), given));
        StartedInterview other = platform.services.startInterview().start(new StartInterview(admin,
                candidate.id(), position.id(), null));
        assertThrows(DomainException.class, () -> platform.services.consents().consent(room, other.session().id(),
                given));
        Principal stranger = Fixtures.admin(new TenantId(UUID.randomUUID()));
        assertTrue(platform.services.consents().find(stranger, started.session().id()).isEmpty());

        ConsentRecord record = platform.services.consents().consent(room, started.session().id(), given);
        assertEquals(record, platform.services.consents().consent(room, started.session().id(), given),
                "repeating keeps the first record");
        assertEquals(InviteLobby.State.LIVE, platform.services.consents().lobby(room, started.session().id()).state());
    }
}
