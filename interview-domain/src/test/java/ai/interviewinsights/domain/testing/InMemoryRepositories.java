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
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.ConcurrentUpdateException;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.InviteRepository;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.TenantRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every repository port over one shared {@link InMemoryDatabase}, with the real schema's access rules. Hand
 * {@link #set()} to contract tests, or the individual repositories to
 * {@link ai.interviewinsights.domain.service.InterviewPorts}.
 */
public final class InMemoryRepositories {

    private final InMemoryDatabase db;
    private final Tenants tenants;
    private final Positions positions;
    private final Candidates candidates;
    private final Sessions sessions;
    private final Transcripts transcripts;
    private final Invites invites;
    private final Evaluations evaluations;
    private final Audit audit;
    private final InMemoryPersonalDataEraser erasure;

    InMemoryRepositories(InMemoryDatabase db) {
        this.db = db;
        this.tenants = new Tenants(db);
        this.positions = new Positions(db);
        this.candidates = new Candidates(db);
        this.sessions = new Sessions(db);
        this.transcripts = new Transcripts(db);
        this.invites = new Invites(db);
        this.evaluations = new Evaluations(db);
        this.audit = new Audit(db);
        this.erasure = new InMemoryPersonalDataEraser(db);
    }

    public PersonalDataEraser erasure() {
        return erasure;
    }

    public static InMemoryRepositories create() {
        return new InMemoryDatabase().repositories();
    }

    public RepositorySet set() {
        return new RepositorySet(tenants, positions, candidates, sessions, transcripts, invites, evaluations, audit);
    }

    public TenantRepository tenants() {
        return tenants;
    }

    public PositionRepository positions() {
        return positions;
    }

    public CandidateRepository candidates() {
        return candidates;
    }

    public SessionRepository sessions() {
        return sessions;
    }

    public TranscriptRepository transcripts() {
        return transcripts;
    }

    public InviteRepository invites() {
        return invites;
    }

    public EvaluationRepository evaluations() {
        return evaluations;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Every audit event stored, oldest first (for assertions). */
    public List<AuditEvent> allAuditEvents() {
        synchronized (db) {
            return List.copyOf(db.audit);
        }
    }

    private static void requireTenantExists(InMemoryDatabase db, TenantId tenant) {
        if (!db.tenants.containsKey(tenant)) {
            throw DomainException.invalid("tenant.unknown", "tenant " + tenant + " does not exist");
        }
    }

    private static boolean staffOrSystem(AccessScope scope, TenantId tenant) {
        return scope.isSystem() || scope.principal().map(p -> p.isStaff() && p.tenant().equals(tenant)).orElse(false);
    }

    /** Tenants: created by system jobs; an admin may rename its own. */
    public static final class Tenants implements TenantRepository {
        private final InMemoryDatabase db;

        Tenants(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public void save(AccessScope scope, Tenant tenant) {
            synchronized (db) {
                if (!scope.isSystem()) {
                    Principal p = scope.principal().orElseThrow();
                    if (!p.is(ai.interviewinsights.domain.model.identity.Role.ADMIN) || !p.tenant().equals(tenant.id())
                            || !db.tenants.containsKey(tenant.id())) {
                        throw InMemoryDatabase.forbidden();
                    }
                }
                db.tenants.put(tenant.id(), tenant);
            }
        }

        @Override
        public Optional<Tenant> find(AccessScope scope, TenantId id) {
            synchronized (db) {
                return Optional.ofNullable(db.tenants.get(id)).filter(t -> scope.canSeeTenant(t.id()));
            }
        }
    }

    /** Positions of the scope's tenant. */
    public static final class Positions implements PositionRepository {
        private final InMemoryDatabase db;

        Positions(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public void save(AccessScope scope, Position position) {
            synchronized (db) {
                InMemoryDatabase.requireStaffWrite(scope, position.tenant());
                requireTenantExists(db, position.tenant());
                Position existing = db.positions.get(position.id());
                if (existing != null && !existing.tenant().equals(position.tenant())) {
                    throw InMemoryDatabase.forbidden();
                }
                db.positions.put(position.id(), position);
            }
        }

        @Override
        public Optional<Position> find(AccessScope scope, PositionId id) {
            synchronized (db) {
                return Optional.ofNullable(db.positions.get(id)).filter(p -> InMemoryDatabase.canRead(scope, p.tenant()));
            }
        }

        @Override
        public List<Position> list(AccessScope scope) {
            synchronized (db) {
                return db.positions.values().stream().filter(p -> InMemoryDatabase.canRead(scope, p.tenant()))
                        .sorted(Comparator.comparing(Position::title)).toList();
            }
        }
    }

    /** Candidates of the scope's tenant. */
    public static final class Candidates implements CandidateRepository {
        private final InMemoryDatabase db;

        Candidates(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public void save(AccessScope scope, Candidate candidate) {
            synchronized (db) {
                InMemoryDatabase.requireStaffWrite(scope, candidate.tenant());
                requireTenantExists(db, candidate.tenant());
                Candidate existing = db.candidates.get(candidate.id());
                if (existing != null && !existing.tenant().equals(candidate.tenant())) {
                    throw InMemoryDatabase.forbidden();
                }
                db.candidates.put(candidate.id(), candidate);
                db.candidateKeys.add(candidate.id());
                db.tenantKeys.add(candidate.tenant());
            }
        }

        @Override
        public Optional<Candidate> find(AccessScope scope, CandidateId id) {
            synchronized (db) {
                return Optional.ofNullable(db.candidates.get(id))
                        .filter(c -> InMemoryDatabase.canRead(scope, c.tenant()));
            }
        }

        @Override
        public List<Candidate> list(AccessScope scope) {
            synchronized (db) {
                return db.candidates.values().stream().filter(c -> InMemoryDatabase.canRead(scope, c.tenant()))
                        .sorted(Comparator.comparing(Candidate::name)).toList();
            }
        }
    }

    /** Sessions with optimistic locking. */
    public static final class Sessions implements SessionRepository {
        private final InMemoryDatabase db;

        Sessions(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public InterviewSession save(AccessScope scope, InterviewSession session) {
            synchronized (db) {
                InterviewSession.Snapshot incoming = session.snapshot();
                InterviewSession.Snapshot stored = db.sessions.get(session.id());
                boolean insert = session.version() == 0;
                if (!scope.canSeeSession(incoming.tenant(), incoming.id())
                        || insert && !scope.isSystem() && !scope.principal().orElseThrow().isStaff()) {
                    throw InMemoryDatabase.forbidden();
                }
                if (stored != null && !scope.canSeeSession(stored.tenant(), stored.id())) {
                    throw InMemoryDatabase.forbidden();
                }
                if (insert && stored != null) {
                    throw DomainException.conflict("session.already_exists", "session " + session.id() + " exists");
                }
                if (!insert && (stored == null || stored.version() != session.version())) {
                    throw new ConcurrentUpdateException(session.id());
                }
                if (stored != null && !stored.tenant().equals(incoming.tenant())) {
                    throw InMemoryDatabase.forbidden();
                }
                requireTenantExists(db, incoming.tenant());
                if (!db.candidates.containsKey(incoming.candidate()) || !db.positions.containsKey(incoming.position())) {
                    throw DomainException.invalid("session.unknown_reference", "candidate or position does not exist");
                }
                InterviewSession saved = session.savedAt(session.version() + 1);
                db.sessions.put(session.id(), saved.snapshot());
                return saved;
            }
        }

        @Override
        public Optional<InterviewSession> find(AccessScope scope, SessionId id) {
            synchronized (db) {
                return Optional.ofNullable(db.sessions.get(id)).filter(s -> scope.canSeeSession(s.tenant(), s.id()))
                        .map(InterviewSession::restore);
            }
        }

        @Override
        public List<InterviewSession> listRecent(AccessScope scope, int limit) {
            synchronized (db) {
                return db.sessions.values().stream().filter(s -> scope.canSeeSession(s.tenant(), s.id()))
                        .sorted(Comparator.comparing(InterviewSession.Snapshot::createdAt).reversed()
                                .thenComparing(s -> s.id().value()))
                        .limit(limit).map(InterviewSession::restore).toList();
            }
        }

        @Override
        public ai.interviewinsights.domain.model.session.SessionQuery.Page search(AccessScope scope,
                ai.interviewinsights.domain.model.session.SessionQuery query) {
            synchronized (db) {
                // The order the real store uses: creation time, then the id as PostgreSQL orders uuids (its text).
                List<InterviewSession.Snapshot> matching = db.sessions.values().stream()
                        .filter(s -> scope.canSeeSession(s.tenant(), s.id())).filter(query::matches)
                        .sorted(Comparator.comparing(InterviewSession.Snapshot::createdAt)
                                .thenComparing(s -> s.id().value().toString()).reversed())
                        .toList();
                return new ai.interviewinsights.domain.model.session.SessionQuery.Page(matching.stream()
                        .skip(query.offset()).limit(query.limit()).map(InterviewSession::restore).toList(),
                        matching.size());
            }
        }

        @Override
        public List<InterviewSession> findIdle(AccessScope scope, Instant lastActivityBefore, int limit) {
            synchronized (db) {
                return db.sessions.values().stream().filter(s -> scope.canSeeSession(s.tenant(), s.id()))
                        .filter(s -> !s.status().isTerminal() && s.lastActivityAt().isBefore(lastActivityBefore))
                        .sorted(Comparator.comparing(InterviewSession.Snapshot::lastActivityAt))
                        .limit(limit).map(InterviewSession::restore).toList();
            }
        }

        @Override
        public Optional<InterviewSession> findByVideo(AccessScope scope, VideoId videoId) {
            synchronized (db) {
                return db.sessions.values().stream().filter(s -> scope.canSeeSession(s.tenant(), s.id()))
                        .filter(s -> (s.recording() != null && s.recording().video().map(videoId::equals).orElse(false))
                                || (s.callAudio() != null && s.callAudio().videoId().equals(videoId)))
                        .findFirst().map(InterviewSession::restore);
            }
        }

        @Override
        public Map<SessionId, SessionStatus> statuses(AccessScope scope, Collection<SessionId> ids) {
            synchronized (db) {
                Map<SessionId, SessionStatus> out = new LinkedHashMap<>();
                for (SessionId id : ids) {
                    InterviewSession.Snapshot s = db.sessions.get(id);
                    if (s != null && scope.canSeeSession(s.tenant(), s.id())) {
                        out.put(id, s.status());
                    }
                }
                return out;
            }
        }
    }

    /** Idempotent, ordered transcript entries. */
    public static final class Transcripts implements TranscriptRepository {
        private final InMemoryDatabase db;

        Transcripts(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public AppendResult append(AccessScope scope, TenantId tenant, SessionId session, List<TranscriptEntry> entries) {
            synchronized (db) {
                InterviewSession.Snapshot stored = db.sessions.get(session);
                if (stored == null || !stored.tenant().equals(tenant) || !scope.canSeeSession(tenant, session)) {
                    throw InMemoryDatabase.forbidden();
                }
                boolean sessionBound = scope.principal().map(p -> p.role().isSessionBound()).orElse(false);
                if (sessionBound && !stored.status().acceptsTranscript()) {
                    throw InMemoryDatabase.forbidden(); // the policy only lets them write while the session is live
                }
                Map<String, TranscriptEntry> rows = db.transcripts.computeIfAbsent(session, s -> new LinkedHashMap<>());
                List<IdempotencyKey> added = new ArrayList<>();
                List<IdempotencyKey> duplicates = new ArrayList<>();
                for (TranscriptEntry entry : entries) {
                    if (!entry.session().equals(session)) {
                        throw DomainException.invalid("invalid.batch", "entry of another session");
                    }
                    if (rows.containsKey(entry.key().value())) {
                        duplicates.add(entry.key());
                    } else {
                        rows.put(entry.key().value(), entry);
                        added.add(entry.key());
                    }
                }
                return new AppendResult(added, duplicates);
            }
        }

        @Override
        public long nextPosition(AccessScope scope, TenantId tenant, SessionId session) {
            synchronized (db) {
                InterviewSession.Snapshot stored = db.sessions.get(session);
                if (stored == null || !stored.tenant().equals(tenant) || !scope.canSeeSession(tenant, session)) {
                    return 0;
                }
                return db.transcripts.getOrDefault(session, Map.of()).values().stream()
                        .mapToLong(e -> e.position() + 1).max().orElse(0);
            }
        }

        @Override
        public List<TranscriptEntry> read(AccessScope scope, TenantId tenant, SessionId session) {
            synchronized (db) {
                InterviewSession.Snapshot stored = db.sessions.get(session);
                if (stored == null || !stored.tenant().equals(tenant) || !scope.canSeeSession(tenant, session)) {
                    return List.of();
                }
                boolean candidate = scope.principal()
                        .map(p -> p.is(ai.interviewinsights.domain.model.identity.Role.CANDIDATE)).orElse(false);
                if (candidate) {
                    return List.of(); // candidates append; they never read the transcript back
                }
                return db.transcripts.getOrDefault(session, Map.of()).values().stream()
                        .sorted(Comparator.comparingLong(TranscriptEntry::position)
                                .thenComparing(TranscriptEntry::spokenAt)
                                .thenComparing(TranscriptEntry::key))
                        .toList();
            }
        }
    }

    /** Invites, looked up by token hash. */
    public static final class Invites implements InviteRepository {
        private final InMemoryDatabase db;

        Invites(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public void save(AccessScope scope, Invite invite) {
            synchronized (db) {
                InMemoryDatabase.requireStaffWrite(scope, invite.tenant());
                Invite existing = db.invites.get(invite.id());
                if (existing != null && !existing.tenant().equals(invite.tenant())) {
                    throw InMemoryDatabase.forbidden();
                }
                if (existing == null && db.invites.values().stream()
                        .anyMatch(i -> i.tokenHash().equals(invite.tokenHash()))) {
                    throw DomainException.conflict("invite.duplicate_token", "an invite with this token exists");
                }
                db.invites.put(invite.id(), invite);
            }
        }

        @Override
        public boolean claim(AccessScope scope, InviteId id, java.time.Instant at, java.time.Instant staleBefore) {
            synchronized (db) {
                Invite existing = db.invites.get(id);
                if (existing == null || !staffOrSystem(scope, existing.tenant())) {
                    return false;
                }
                if (existing.status() != ai.interviewinsights.domain.model.invite.InviteStatus.PENDING
                        || existing.redeemedAt() != null && !existing.redeemedAt().isBefore(staleBefore)) {
                    return false;
                }
                db.invites.put(id, existing.claimed(at));
                return true;
            }
        }

        @Override
        public Optional<Invite> find(AccessScope scope, InviteId id) {
            synchronized (db) {
                return Optional.ofNullable(db.invites.get(id)).filter(i -> staffOrSystem(scope, i.tenant()));
            }
        }

        @Override
        public Optional<Invite> findByTokenHash(AccessScope scope, String tokenHash) {
            synchronized (db) {
                return db.invites.values().stream().filter(i -> i.tokenHash().equals(tokenHash))
                        .filter(i -> staffOrSystem(scope, i.tenant())).findFirst();
            }
        }

        @Override
        public List<Invite> list(AccessScope scope) {
            synchronized (db) {
                return db.invites.values().stream().filter(i -> staffOrSystem(scope, i.tenant()))
                        .sorted(Comparator.comparing(Invite::createdAt).reversed()).toList();
            }
        }
    }

    /** Evaluation results, newest wins. */
    public static final class Evaluations implements EvaluationRepository {
        private final InMemoryDatabase db;

        Evaluations(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public void save(AccessScope scope, TenantId tenant, EvaluationResult result) {
            synchronized (db) {
                InterviewSession.Snapshot session = db.sessions.get(result.session());
                if (session == null || !session.tenant().equals(tenant)) {
                    throw DomainException.invalid("evaluation.unknown_session", "no such session in this tenant");
                }
                if (!scope.isSystem() && !scope.principal().map(p -> p.isStaff() && p.tenant().equals(tenant))
                        .orElse(false)) {
                    throw InMemoryDatabase.forbidden();
                }
                db.evaluations.add(new InMemoryDatabase.StoredEvaluation(tenant, result));
            }
        }

        @Override
        public Optional<EvaluationResult> findLatest(AccessScope scope, TenantId tenant, SessionId session) {
            synchronized (db) {
                if (!staffOrSystem(scope, tenant)) {
                    return Optional.empty();
                }
                return db.evaluations.stream().filter(e -> e.tenant().equals(tenant))
                        .map(InMemoryDatabase.StoredEvaluation::result)
                        .filter(r -> r.session().equals(session))
                        .max(Comparator.comparing(EvaluationResult::createdAt));
            }
        }
    }

    /** The append-only audit log. */
    public static final class Audit implements AuditLog {
        private final InMemoryDatabase db;

        Audit(InMemoryDatabase db) {
            this.db = db;
        }


        @Override
        public void record(AccessScope scope, AuditEvent event) {
            synchronized (db) {
                if (!scope.canSeeTenant(event.tenant())) {
                    throw InMemoryDatabase.forbidden();
                }
                db.audit.add(event);
            }
        }

        @Override
        public List<AuditEvent> read(AccessScope scope, TenantId tenant, int limit) {
            synchronized (db) {
                if (!scope.isSystem()) {
                    throw InMemoryDatabase.forbidden();
                }
                List<AuditEvent> events = new ArrayList<>(db.audit.stream().filter(e -> e.tenant().equals(tenant))
                        .toList());
                java.util.Collections.reverse(events);
                return events.stream().limit(limit).toList();
            }
        }

        @Override
        public List<AuditEvent> about(AccessScope scope, TenantId tenant, String subject, String action) {
            synchronized (db) {
                if (!scope.isSystem()) {
                    throw InMemoryDatabase.forbidden();
                }
                return db.audit.stream().filter(e -> e.tenant().equals(tenant) && e.subject().equals(subject)
                        && e.action().equals(action)).toList();
            }
        }
    }
}
