package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.erasure.ErasedRecords;
import ai.interviewinsights.domain.model.erasure.RetentionDue;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteToken;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link PersonalDataEraser} must do, held against the in-memory fake and the real database alike. */
public abstract class PersonalDataEraserContract extends RepositoryContractSupport {

    protected abstract PersonalDataEraser eraser();

    /** A session of the tenant with a transcript of two entries, a failed evaluation and a pending invite. */
    private InterviewSession interview(TenantId tenant) {
        InterviewSession session = newSession(tenant);
        repositories().transcripts().append(SYSTEM, tenant, session.id(), List.of(
                Fixtures.entry(session.id(), "item-1", 0, Speaker.AI, "Hello."),
                Fixtures.entry(session.id(), "item-2", 1, Speaker.CANDIDATE, "Hi there.")));
        repositories().evaluations().save(SYSTEM, tenant, EvaluationResult.failed(new EvaluationRef(UUID.randomUUID()),
                session.id(), "model unavailable", clock.instant()));
        repositories().invites().save(SYSTEM, Invite.issue(new InviteId(UUID.randomUUID()), tenant,
                session.candidate(), session.position(), Fixtures.settings(),
                InviteToken.of(UUID.randomUUID().toString().replace("-", "")),
                clock.instant().plus(Duration.ofDays(1)), Fixtures.admin(tenant).user(), clock));
        return session;
    }

    @Test
    void an_admin_erases_the_candidate_and_every_row_about_them_and_nothing_else() {
        TenantId tenant = newTenant();
        InterviewSession erased = interview(tenant);
        InterviewSession kept = interview(tenant);
        AccessScope admin = AccessScope.of(Fixtures.admin(tenant));
        assertEquals(List.of(erased.id()), eraser().sessionsOf(admin, tenant, erased.candidate()).stream()
                .map(InterviewSession::id).toList());

        ErasedRecords records = eraser().erase(admin, tenant, erased.candidate());

        assertEquals(new ErasedRecords(1, 1, 2, 1, 1, 1), records);
        assertTrue(repositories().candidates().find(admin, erased.candidate()).isEmpty());
        assertTrue(repositories().sessions().find(admin, erased.id()).isEmpty());
        assertEquals(List.of(), repositories().transcripts().read(admin, tenant, erased.id()));
        assertTrue(repositories().evaluations().findLatest(admin, tenant, erased.id()).isEmpty());
        assertEquals(1, repositories().invites().list(admin).size(), "the other candidate's invite stays");
        assertTrue(repositories().candidates().find(admin, kept.candidate()).isPresent());
        assertEquals(2, repositories().transcripts().read(admin, tenant, kept.id()).size());
        assertEquals(new ErasedRecords(0, 0, 0, 0, 0, 0), eraser().erase(admin, tenant, erased.candidate()),
                "erasing again erases nothing and is no error");
    }

    @Test
    void only_an_admin_of_the_tenant_or_a_system_job_erases() {
        TenantId tenant = newTenant();
        InterviewSession session = interview(tenant);
        assertRefused(() -> eraser().erase(AccessScope.of(Fixtures.interviewer(tenant)), tenant,
                session.candidate()));
        TenantId other = newTenant();
        assertEquals(new ErasedRecords(0, 0, 0, 0, 0, 0), eraser().erase(AccessScope.of(Fixtures.admin(other)),
                tenant, session.candidate()), "another tenant's admin sees nothing to erase");
        assertTrue(repositories().sessions().find(SYSTEM, session.id()).isPresent(), "nothing was erased");
        assertEquals(1, eraser().erase(SYSTEM, tenant, session.candidate()).candidates());
        assertRefused(() -> eraser().destroyTenantKey(AccessScope.of(Fixtures.admin(tenant)), tenant));
        assertRefused(() -> eraser().setRetentionDays(AccessScope.of(Fixtures.admin(tenant)), tenant,
                Optional.of(1)));
    }

    @Test
    void retention_is_due_exactly_for_candidates_whose_last_interview_ended_before_the_period() {
        TenantId tenant = newTenant();
        InterviewSession old = newSession(tenant);
        InterviewSession recent = newSession(tenant);
        InterviewSession running = newSession(tenant);
        Instant start = clock.instant();
        old.cancel(clock);
        repositories().sessions().save(SYSTEM, old);
        clock.advance(Duration.ofHours(2));
        recent.cancel(clock);
        repositories().sessions().save(SYSTEM, recent);
        assertTrue(due(tenant, start.plus(Duration.ofDays(400))).isEmpty(), "no retention period: nothing is due");

        eraser().setRetentionDays(SYSTEM, tenant, Optional.of(30));
        assertEquals(Optional.of(30), eraser().retentionDays(SYSTEM, tenant));
        assertEquals(List.of(), due(tenant, start.plus(Duration.ofDays(30))));
        assertEquals(List.of(old.candidate()), due(tenant, start.plus(Duration.ofDays(30)).plusSeconds(1)));
        assertEquals(List.of(old.candidate(), recent.candidate()),
                due(tenant, start.plus(Duration.ofDays(30)).plus(Duration.ofHours(2)).plusSeconds(1)));
        assertTrue(due(tenant, start.plus(Duration.ofDays(4000))).stream().noneMatch(running.candidate()::equals));
        eraser().setRetentionDays(SYSTEM, tenant, Optional.empty());
        assertTrue(due(tenant, start.plus(Duration.ofDays(4000))).isEmpty());
        assertEquals(3, eraser().candidatesOf(SYSTEM, tenant).size());
        assertEquals(1, eraser().destroyTenantKey(SYSTEM, tenant));
    }

    private List<ai.interviewinsights.domain.model.identity.CandidateId> due(TenantId tenant, Instant now) {
        return eraser().dueForRetention(SYSTEM, now, 1000).stream().filter(d -> d.tenant().equals(tenant))
                .map(RetentionDue::candidate).toList();
    }
}
