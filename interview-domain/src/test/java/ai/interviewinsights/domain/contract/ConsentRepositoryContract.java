package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import ai.interviewinsights.domain.testing.Fixtures;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Consent: one record per session, first wins, walled by tenant and session; notices set by admins only. */
public abstract class ConsentRepositoryContract extends RepositoryContractSupport {

    protected abstract ConsentRepository consents();

    private ConsentRecord consentFor(InterviewSession session, String version) {
        ConsentNotice.Shown shown = ConsentNotice.defaults().shown(true);
        return new ConsentRecord(UUID.randomUUID(), session.tenant(), session.id(), version, shown.text(), true,
                true, clock.instant(), "candidate:" + session.id());
    }

    @Test
    void the_candidate_records_consent_once_and_staff_read_it() {
        TenantId a = newTenant();
        InterviewSession session = newSession(a);
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a, session.id()));
        ConsentRecord first = consentFor(session, ConsentNotice.defaults().shown(true).version());
        assertTrue(consents().record(candidate, first));
        assertFalse(consents().record(candidate, consentFor(session, "n1-ffffffffffffffff")), "first one wins");
        assertEquals(first, consents().find(AccessScope.of(Fixtures.admin(a)), session.id()).orElseThrow());
        assertEquals(first, consents().find(candidate, session.id()).orElseThrow());
        assertEquals(first, consents().find(SYSTEM, session.id()).orElseThrow());
    }

    @Test
    void other_tenants_other_sessions_and_runners_neither_see_nor_write_consent() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        InterviewSession session = newSession(a);
        InterviewSession other = newSession(a);
        ConsentRecord record = consentFor(session, "n1-0123456789abcdef");
        assertRefused(() -> consents().record(AccessScope.of(Fixtures.candidatePrincipal(a, other.id())), record));
        assertRefused(() -> consents().record(AccessScope.of(Fixtures.admin(b)), record));
        assertRefused(() -> consents().record(AccessScope.of(Fixtures.admin(a)), record));
        assertTrue(consents().record(SYSTEM, record), "an invite link records as a system job");
        assertTrue(consents().find(AccessScope.of(Fixtures.admin(b)), session.id()).isEmpty());
        assertTrue(consents().find(AccessScope.of(Fixtures.candidatePrincipal(a, other.id())), session.id())
                .isEmpty());
        assertTrue(consents().find(AccessScope.of(Fixtures.runnerPrincipal(a, session.id())), session.id())
                .isEmpty());
    }

    @Test
    void a_tenant_admin_sets_the_notice_and_nobody_else_can() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        ConsentNotice own = new ConsentNotice("An AI runs this interview.", "It is recorded.");
        assertTrue(consents().notice(AccessScope.of(Fixtures.admin(a)), a).isEmpty());
        assertRefused(() -> consents().saveNotice(AccessScope.of(Fixtures.interviewer(a)), a, own));
        assertRefused(() -> consents().saveNotice(AccessScope.of(Fixtures.admin(b)), a, own));
        consents().saveNotice(AccessScope.of(Fixtures.admin(a)), a, own);
        ConsentNotice changed = new ConsentNotice("An AI runs this interview and scores it.", "It is recorded.");
        consents().saveNotice(AccessScope.of(Fixtures.admin(a)), a, changed);
        assertEquals(changed, consents().notice(AccessScope.of(Fixtures.interviewer(a)), a).orElseThrow());
        assertEquals(changed, consents().notice(SYSTEM, a).orElseThrow());
        assertTrue(consents().notice(AccessScope.of(Fixtures.admin(b)), a).isEmpty());
    }
}
