package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One in-memory database behind all the in-memory repositories, with the same access rules as the real schema's
 * row-level security: a principal sees its tenant's rows only, a candidate or runner its own session only, staff
 * write catalog rows, session-bound principals write transcript entries of their live session only, and the audit
 * log is read by system scopes only. Synchronised on itself; fine for tests.
 */
public final class InMemoryDatabase {

    final Map<TenantId, Tenant> tenants = new LinkedHashMap<>();
    final Map<PositionId, Position> positions = new LinkedHashMap<>();
    final Map<CandidateId, Candidate> candidates = new LinkedHashMap<>();
    final Map<SessionId, InterviewSession.Snapshot> sessions = new LinkedHashMap<>();
    final Map<SessionId, Map<String, TranscriptEntry>> transcripts = new HashMap<>();
    final Map<InviteId, Invite> invites = new LinkedHashMap<>();
    final List<StoredEvaluation> evaluations = new ArrayList<>();
    final List<AuditEvent> audit = new ArrayList<>();
    final Map<TenantId, Integer> retentionDays = new HashMap<>();
    /** Data keys of the store that encrypts, modelled as a set: erasure destroys them first. */
    final java.util.Set<CandidateId> candidateKeys = new java.util.HashSet<>();
    final java.util.Set<TenantId> tenantKeys = new java.util.HashSet<>();

    record StoredEvaluation(TenantId tenant, EvaluationResult result) {
    }

    public InMemoryRepositories repositories() {
        return new InMemoryRepositories(this);
    }

    // ---- the access rules, as the real policies state them ---------------------------------------------------

    static DomainException forbidden() {
        return DomainException.forbidden("forbidden", "not allowed for this principal");
    }

    /** Catalog rows (tenants excepted) are written by the tenant's staff or by a system job. */
    static void requireStaffWrite(AccessScope scope, TenantId tenant) {
        if (scope.isSystem()) {
            return;
        }
        Principal p = scope.principal().orElseThrow();
        if (!p.isStaff() || !p.tenant().equals(tenant)) {
            throw forbidden();
        }
    }

    /** Catalog rows are read by the tenant's staff, its session-bound principals (for their interview) or a job. */
    static boolean canRead(AccessScope scope, TenantId tenant) {
        return scope.canSeeTenant(tenant);
    }
}
