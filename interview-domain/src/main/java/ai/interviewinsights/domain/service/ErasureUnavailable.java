package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.erasure.ErasedRecords;
import ai.interviewinsights.domain.model.erasure.RetentionDue;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The eraser of ports built without one: says so on every erasing call, and finds nothing due for retention. */
enum ErasureUnavailable implements PersonalDataEraser {
    INSTANCE;

    private static DomainException unavailable() {
        return new DomainException(ai.interviewinsights.domain.model.ErrorKind.UNAVAILABLE, "erasure.unavailable",
                "this store cannot erase personal data", false, null);
    }

    @Override
    public List<InterviewSession> sessionsOf(AccessScope scope, TenantId tenant, CandidateId candidate) {
        throw unavailable();
    }

    @Override
    public ErasedRecords erase(AccessScope scope, TenantId tenant, CandidateId candidate) {
        throw unavailable();
    }

    @Override
    public List<RetentionDue> dueForRetention(AccessScope scope, Instant now, int limit) {
        return List.of();
    }

    @Override
    public void setRetentionDays(AccessScope scope, TenantId tenant, Optional<Integer> days) {
        throw unavailable();
    }

    @Override
    public Optional<Integer> retentionDays(AccessScope scope, TenantId tenant) {
        return Optional.empty();
    }

    @Override
    public List<CandidateId> candidatesOf(AccessScope scope, TenantId tenant) {
        throw unavailable();
    }

    @Override
    public int destroyTenantKey(AccessScope scope, TenantId tenant) {
        throw unavailable();
    }
}
