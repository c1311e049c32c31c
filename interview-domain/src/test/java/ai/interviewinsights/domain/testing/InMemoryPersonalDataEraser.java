package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.erasure.ErasedRecords;
import ai.interviewinsights.domain.model.erasure.RetentionDue;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The in-memory store's eraser, with the real one's rules: only an admin of the tenant, or a system job, erases. */
final class InMemoryPersonalDataEraser implements PersonalDataEraser {

    private final InMemoryDatabase db;

    InMemoryPersonalDataEraser(InMemoryDatabase db) {
        this.db = db;
    }

    private static boolean mayErase(AccessScope scope, TenantId tenant) {
        if (scope.isSystem()) {
            return true;
        }
        Principal p = scope.principal().orElseThrow();
        return p.role() == Role.ADMIN && p.tenant().equals(tenant);
    }

    @Override
    public List<InterviewSession> sessionsOf(AccessScope scope, TenantId tenant, CandidateId candidate) {
        synchronized (db) {
            if (!scope.canSeeTenant(tenant)) {
                return List.of();
            }
            return db.sessions.values().stream()
                    .filter(s -> s.tenant().equals(tenant) && s.candidate().equals(candidate))
                    .map(InterviewSession::restore).toList();
        }
    }

    @Override
    public ErasedRecords erase(AccessScope scope, TenantId tenant, CandidateId candidate) {
        synchronized (db) {
            // As the real policies: another tenant's rows are invisible (nothing is erased), a visible candidate
            // that the scope may not erase is refused.
            if (!scope.canSeeTenant(tenant)) {
                return new ErasedRecords(0, 0, 0, 0, 0, 0);
            }
            if (!mayErase(scope, tenant)) {
                throw InMemoryDatabase.forbidden();
            }
            int keys = db.candidateKeys.remove(candidate) ? 1 : 0;
            Set<SessionId> sessions = db.sessions.values().stream()
                    .filter(s -> s.tenant().equals(tenant) && s.candidate().equals(candidate))
                    .map(InterviewSession.Snapshot::id).collect(Collectors.toSet());
            int entries = 0;
            for (SessionId session : sessions) {
                Map<String, ?> removed = db.transcripts.remove(session);
                entries += removed == null ? 0 : removed.size();
            }
            int evaluations = 0;
            for (var it = db.evaluations.iterator(); it.hasNext(); ) {
                if (sessions.contains(it.next().result().session())) {
                    it.remove();
                    evaluations++;
                }
            }
            int invites = 0;
            for (var it = db.invites.values().iterator(); it.hasNext(); ) {
                var invite = it.next();
                if (invite.tenant().equals(tenant) && invite.candidate().equals(candidate)) {
                    it.remove();
                    invites++;
                }
            }
            sessions.forEach(db.sessions::remove);
            var stored = db.candidates.get(candidate);
            int candidates = stored != null && stored.tenant().equals(tenant) && db.candidates.remove(candidate) != null
                    ? 1 : 0;
            return new ErasedRecords(candidates, sessions.size(), entries, evaluations, invites, keys);
        }
    }

    @Override
    public List<RetentionDue> dueForRetention(AccessScope scope, Instant now, int limit) {
        synchronized (db) {
            Map<CandidateId, List<InterviewSession.Snapshot>> byCandidate = db.sessions.values().stream()
                    .filter(s -> scope.canSeeTenant(s.tenant()) && db.retentionDays.containsKey(s.tenant()))
                    .collect(Collectors.groupingBy(InterviewSession.Snapshot::candidate));
            return byCandidate.entrySet().stream()
                    .filter(e -> e.getValue().stream().allMatch(s -> s.status().isTerminal()))
                    .map(e -> Map.entry(e.getValue().get(0).tenant(), Map.entry(e.getKey(), lastEnded(e.getValue()))))
                    .filter(e -> e.getValue().getValue().isBefore(
                            now.minus(Duration.ofDays(db.retentionDays.get(e.getKey())))))
                    .sorted(Comparator.comparing(e -> e.getValue().getValue()))
                    .limit(limit)
                    .map(e -> new RetentionDue(e.getKey(), e.getValue().getKey()))
                    .toList();
        }
    }

    private static Instant lastEnded(List<InterviewSession.Snapshot> sessions) {
        return sessions.stream().map(s -> s.endedAt() != null ? s.endedAt() : s.updatedAt())
                .max(Comparator.naturalOrder()).orElseThrow();
    }

    @Override
    public void setRetentionDays(AccessScope scope, TenantId tenant, Optional<Integer> days) {
        synchronized (db) {
            if (!scope.isSystem()) {
                throw InMemoryDatabase.forbidden();
            }
            days.ifPresentOrElse(d -> db.retentionDays.put(tenant, d), () -> db.retentionDays.remove(tenant));
        }
    }

    @Override
    public Optional<Integer> retentionDays(AccessScope scope, TenantId tenant) {
        synchronized (db) {
            return scope.canSeeTenant(tenant) ? Optional.ofNullable(db.retentionDays.get(tenant)) : Optional.empty();
        }
    }

    @Override
    public List<CandidateId> candidatesOf(AccessScope scope, TenantId tenant) {
        synchronized (db) {
            return db.candidates.values().stream()
                    .filter(c -> c.tenant().equals(tenant) && scope.canSeeTenant(tenant))
                    .map(c -> c.id()).toList();
        }
    }

    @Override
    public int destroyTenantKey(AccessScope scope, TenantId tenant) {
        synchronized (db) {
            if (!scope.isSystem()) {
                throw InMemoryDatabase.forbidden();
            }
            return db.tenantKeys.remove(tenant) ? 1 : 0;
        }
    }
}
