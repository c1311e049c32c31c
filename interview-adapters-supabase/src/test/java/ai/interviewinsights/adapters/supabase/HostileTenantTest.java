package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteToken;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A principal of tenant A attacks tenant B: through every repository, and through hand-written SQL run under the
 * very role and claims the repositories use, against every tenant table. Nothing of B may be seen, changed or
 * deleted. Then a candidate tries to write outside its own live session.
 */
class HostileTenantTest {

    /** Every table that holds tenant data, with the column naming the tenant and a change an attacker would make. */
    private static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("tenants", new String[] {"id", "name = 'pwned'"});
        TABLES.put("memberships", new String[] {"tenant_id", "role = 'admin'"});
        TABLES.put("positions", new String[] {"tenant_id", "title = 'pwned'"});
        TABLES.put("position_competencies", new String[] {"tenant_id", "name = 'pwned'"});
        TABLES.put("candidates", new String[] {"tenant_id", "name = 'pwned'"});
        TABLES.put("interview_sessions", new String[] {"tenant_id", "status = 'cancelled', ended_at = now()"});
        TABLES.put("transcript_entries", new String[] {"tenant_id", "text = 'pwned'"});
        TABLES.put("invites", new String[] {"tenant_id", "status = 'revoked'"});
        TABLES.put("evaluations", new String[] {"tenant_id", "summary = 'pwned'"});
        TABLES.put("audit_log", new String[] {"tenant_id", "actor = 'pwned'"});
        TABLES.put("interview_keys.tenant_keys", new String[] {"tenant_id", "generation = 99"});
        TABLES.put("interview_keys.candidate_keys", new String[] {"tenant_id", "generation = 99"});
    }

    /** The table's name with its schema (the data tables are in "interview", the keys in "interview_keys"). */
    private static String qualified(String table) {
        return table.contains(".") ? table : "interview." + table;
    }

    private static final AccessScope SYSTEM = AccessScope.system("hostile-test-setup");

    private final SupabaseStore store = TestDatabase.store();
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MICROS));

    /** One tenant's worth of rows in every table. */
    private record World(TenantId tenant, Position position, Candidate candidate, InterviewSession session,
                         InterviewSession endedSession, Invite invite, InviteToken token, EvaluationResult evaluation,
                         String videoId) {
    }

    private World a;
    private World b;

    @BeforeEach
    void twoTenants() {
        a = world("Attacker");
        b = world("Victim");
    }

    private World world(String name) {
        TenantId tenant = new TenantId(UUID.randomUUID());
        store.tenants().save(SYSTEM, new Tenant(tenant, name));
        RawSql.as(SYSTEM, handle -> handle.createUpdate("insert into interview.memberships (tenant_id, user_id, role)"
                        + " values (:tenant, :user, 'interviewer')")
                .bind("tenant", tenant.value()).bind("user", UUID.randomUUID()).execute());
        Position position = Fixtures.position(new PositionId(UUID.randomUUID()), tenant);
        store.positions().save(SYSTEM, position);
        Candidate candidate = Fixtures.candidate(new CandidateId(UUID.randomUUID()), tenant);
        store.candidates().save(SYSTEM, candidate);
        String video = "vi" + UUID.randomUUID().toString().replace("-", "");
        InterviewSession session = liveSession(tenant, position, candidate, video);
        InterviewSession ended = liveSession(tenant, position, candidate, null);
        ended.cancel(clock);
        ended = store.sessions().save(SYSTEM, ended);
        store.transcripts().append(SYSTEM, tenant, session.id(), List.of(
                Fixtures.entry(session.id(), "item_1", 0, Speaker.AI, "Tell me about yourself."),
                Fixtures.entry(session.id(), "item_2", 1, Speaker.CANDIDATE, "I build resilient systems.")));
        InviteToken token = InviteToken.of(UUID.randomUUID().toString().replace("-", ""));
        Invite invite = Invite.issue(new InviteId(UUID.randomUUID()), tenant, candidate.id(), position.id(),
                Fixtures.settings(), token, clock.instant().plus(Duration.ofDays(3)), Fixtures.admin(tenant).user(),
                clock);
        store.invites().save(SYSTEM, invite);
        EvaluationResult evaluation = EvaluationResult.succeeded(new EvaluationRef(UUID.randomUUID()),
                new Evaluation(session.id(), List.of(new CompetencyScore("System design", 4, "Solid.", List.of()),
                        new CompetencyScore("Communication", 3, "Clear.", List.of())), Recommendation.HIRE,
                        "Good.", "gpt-5-mini", "evaluation-v1"), clock.instant());
        store.evaluations().save(SYSTEM, tenant, evaluation);
        store.audit().record(SYSTEM, new AuditEvent(UUID.randomUUID(), tenant, "system:test", "session.started",
                "session:" + session.id(), clock.instant(), Map.of()));
        return new World(tenant, position, candidate, session, ended, invite, token, evaluation, video);
    }

    private InterviewSession liveSession(TenantId tenant, Position position, Candidate candidate, String video) {
        InterviewSession session = InterviewSession.start(new SessionId(UUID.randomUUID()), tenant, candidate.id(),
                position.id(), Fixtures.settings(), SessionOrigin.STAFF, Fixtures.admin(tenant).user(), clock);
        session = store.sessions().save(SYSTEM, session);
        session.beginProvisioning(clock);
        session.runnerReady(new RunnerRef(new RunnerId("m-" + session.id().shortId()), RunnerName.of(
                session.settings().architecture(), tenant, session.id()), URI.create("wss://runner.example/ws")), clock);
        if (video != null) {
            session.attachRecording(RecordingRef.ofVideo(new VideoId(video)), clock);
        }
        return store.sessions().save(SYSTEM, session);
    }

    /** B's rows of one table, as service_role sees them, condensed: equal fingerprints mean nothing changed. */
    private String fingerprint(String table, TenantId tenant) {
        String column = TABLES.get(table)[0];
        return RawSql.as(SYSTEM, handle -> handle.createQuery("select count(*) || ':' || md5(coalesce(string_agg("
                        + "t::text, '|' order by t::text), '')) from " + qualified(table) + " t where " + column
                        + " = :tenant")
                .bind("tenant", tenant.value()).mapTo(String.class).one());
    }

    private Map<String, String> fingerprints(TenantId tenant) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : TABLES.keySet()) {
            String print = fingerprint(table, tenant);
            assertFalse(print.startsWith("0:"), "the victim has rows in " + table);
            out.put(table, print);
        }
        return out;
    }

    private static void assertRefused(Executable call) {
        try {
            call.execute();
        } catch (DomainException e) {
            assertTrue(e.kind() == ErrorKind.FORBIDDEN || e.kind() == ErrorKind.NOT_FOUND,
                    "expected FORBIDDEN or NOT_FOUND, got " + e.kind() + " " + e.code());
            return;
        } catch (Throwable t) {
            fail("expected a DomainException, got " + t, t);
        }
        fail("the call was not refused");
    }

    // ---- through raw SQL, under the attacker's own role and claims ---------------------------------------------

    @Test
    void raw_sql_under_a_tenant_a_principal_sees_changes_and_deletes_nothing_of_tenant_b() {
        Map<String, String> before = fingerprints(b.tenant());
        List<AccessScope> attackers = List.of(AccessScope.of(Fixtures.admin(a.tenant())),
                AccessScope.of(Fixtures.interviewer(a.tenant())),
                AccessScope.of(Fixtures.candidatePrincipal(a.tenant(), a.session().id())),
                AccessScope.of(Fixtures.runnerPrincipal(a.tenant(), a.session().id())));
        for (AccessScope attacker : attackers) {
            JwtClaims claims = JwtClaims.of(attacker);
            attackEveryTable(claims.role(), claims.json(), attacker.toString());
        }
        // Claims no repository would produce: tenant A's runner claiming B's session, and no tenant at all.
        attackEveryTable("authenticated", """
                {"role":"authenticated","app_metadata":{"tenant_id":"%s","tenant_role":"runner","session_id":"%s"}}"""
                .formatted(a.tenant(), b.session().id()), "A runner bound to B's session");
        attackEveryTable("authenticated", """
                {"role":"authenticated","sub":"%s","app_metadata":{"tenant_role":"admin"}}"""
                .formatted(UUID.randomUUID()), "admin without tenant");
        attackEveryTable("authenticated", "{}", "no claims");
        assertEquals(before, fingerprints(b.tenant()));
    }

    @Test
    void the_same_raw_sql_does_reach_the_attackers_own_rows_so_the_refusals_above_are_the_policies_at_work() {
        JwtClaims admin = JwtClaims.of(AccessScope.of(Fixtures.admin(a.tenant())));
        for (Map.Entry<String, String[]> table : TABLES.entrySet()) {
            String sql = "select count(*) from " + qualified(table.getKey()) + " where " + table.getValue()[0] + " = '"
                    + a.tenant() + "'";
            RawSql.Outcome outcome = RawSql.attempt(admin.role(), admin.json(), sql);
            if (table.getKey().equals("audit_log")) {
                assertTrue(outcome.refused(), "the audit log is write-only for principals");
            } else {
                assertTrue(outcome.rows() > 0, "an admin sees its own " + table.getKey());
            }
        }
        assertEquals(1, RawSql.attempt(admin.role(), admin.json(), "update interview.candidates set name = 'Renamed'"
                + " where id = '" + a.candidate().id() + "'").rows());
        // Erasure's delete rights are the admin's alone: an interviewer, a candidate or a runner of the same tenant
        // deletes nothing, and nobody but service_role changes a key.
        for (AccessScope scope : List.of(AccessScope.of(Fixtures.interviewer(a.tenant())),
                AccessScope.of(Fixtures.candidatePrincipal(a.tenant(), a.session().id())),
                AccessScope.of(Fixtures.runnerPrincipal(a.tenant(), a.session().id())))) {
            for (String table : List.of("interview.transcript_entries", "interview.evaluations", "interview.invites",
                    "interview.interview_sessions", "interview.candidates", "interview_keys.candidate_keys",
                    "interview_keys.tenant_keys")) {
                assertTrue(RawSql.attempt(scope, "delete from " + table + " where tenant_id = '" + a.tenant() + "'")
                        .touchedNothing(), scope + " deleted from " + table);
            }
            assertTrue(RawSql.attempt(scope, "update interview_keys.candidate_keys set generation = 7"
                    + " where tenant_id = '" + a.tenant() + "'").touchedNothing(), scope + " changed a key");
        }
        assertTrue(RawSql.attempt(admin.role(), admin.json(), "update interview_keys.tenant_keys set generation = 7"
                + " where tenant_id = '" + a.tenant() + "'").touchedNothing(), "an admin changes no key either");
        assertEquals(2, RawSql.attempt(admin.role(), admin.json(), "delete from interview.transcript_entries"
                + " where tenant_id = '" + a.tenant() + "'").rows(), "while the admin erases its own tenant's rows");
    }

    private void attackEveryTable(String role, String claims, String who) {
        for (Map.Entry<String, String[]> table : TABLES.entrySet()) {
            String name = qualified(table.getKey());
            String tenantColumn = table.getValue()[0];
            String where = " where " + tenantColumn + " = '" + b.tenant() + "'";
            String label = who + " on " + table.getKey();
            assertTrue(RawSql.attempt(role, claims, "select count(*) from " + name + where).touchedNothing(),
                    label + ": read");
            assertTrue(RawSql.attempt(role, claims, "select count(*) from " + name + " where " + tenantColumn
                    + " is distinct from '" + a.tenant() + "'").touchedNothing(), label + ": read unfiltered");
            assertTrue(RawSql.attempt(role, claims, "update " + name + " set " + table.getValue()[1] + where)
                    .touchedNothing(), label + ": update");
            assertTrue(RawSql.attempt(role, claims, "delete from " + name + where).touchedNothing(),
                    label + ": delete");
        }
        // Writing new rows into B is refused outright.
        assertTrue(RawSql.attempt(role, claims, "insert into interview.candidates (id, tenant_id, name) values ('"
                + UUID.randomUUID() + "', '" + b.tenant() + "', 'Mole')").refused(), who + ": insert candidate");
        assertTrue(RawSql.attempt(role, claims, "insert into interview.transcript_entries (tenant_id, session_id,"
                + " idempotency_key, speaker, text, spoken_at, position, source, status) values ('" + b.tenant()
                + "', '" + b.session().id() + "', 'forged', 'ai', 'lies', now(), 99, 'client', 'complete')")
                .refused(), who + ": insert transcript entry");
        assertTrue(RawSql.attempt(role, claims, "insert into interview.audit_log (id, tenant_id, actor, action,"
                + " subject, at) values ('" + UUID.randomUUID() + "', '" + b.tenant() + "', 'x', 'x', 'x', now())")
                .refused(), who + ": insert audit event");
    }

    // ---- through the repositories ------------------------------------------------------------------------------

    @Test
    void through_the_repositories_a_tenant_a_admin_sees_and_changes_nothing_of_tenant_b() {
        Map<String, String> before = fingerprints(b.tenant());
        AccessScope hostile = AccessScope.of(Fixtures.admin(a.tenant()));

        assertTrue(store.tenants().find(hostile, b.tenant()).isEmpty());
        assertRefused(() -> store.tenants().save(hostile, new Tenant(b.tenant(), "pwned")));

        assertTrue(store.positions().find(hostile, b.position().id()).isEmpty());
        assertTrue(store.positions().list(hostile).stream().noneMatch(p -> p.tenant().equals(b.tenant())));
        List<Competency> one = List.of(new Competency("X", "", 1));
        assertRefused(() -> store.positions().save(hostile, new Position(b.position().id(), b.tenant(), "pwned", "",
                one)));
        assertRefused(() -> store.positions().save(hostile, new Position(b.position().id(), a.tenant(), "pwned", "",
                one)));

        assertTrue(store.candidates().find(hostile, b.candidate().id()).isEmpty());
        assertTrue(store.candidates().list(hostile).stream().noneMatch(c -> c.tenant().equals(b.tenant())));
        assertRefused(() -> store.candidates().save(hostile, new Candidate(b.candidate().id(), b.tenant(), "pwned",
                "")));
        assertRefused(() -> store.candidates().save(hostile, new Candidate(b.candidate().id(), a.tenant(), "pwned",
                "")));

        assertTrue(store.sessions().find(hostile, b.session().id()).isEmpty());
        assertTrue(store.sessions().listRecent(hostile, 500).stream().noneMatch(s -> s.tenant().equals(b.tenant())));
        assertTrue(store.sessions().findIdle(hostile, clock.instant().plus(Duration.ofDays(1)), 500).stream()
                .noneMatch(s -> s.tenant().equals(b.tenant())));
        assertTrue(store.sessions().findByVideo(hostile, new VideoId(b.videoId())).isEmpty());
        assertTrue(store.sessions().statuses(hostile, List.of(b.session().id(), b.endedSession().id())).isEmpty());
        InterviewSession copy = store.sessions().find(SYSTEM, b.session().id()).orElseThrow();
        copy.cancel(clock);
        assertRefused(() -> store.sessions().save(hostile, copy));
        InterviewSession forgedInsert = InterviewSession.restore(b.session().snapshot()).savedAt(0);
        assertRefused(() -> store.sessions().save(hostile, forgedInsert));

        assertEquals(List.of(), store.transcripts().read(hostile, b.tenant(), b.session().id()));
        assertEquals(List.of(), store.transcripts().read(hostile, a.tenant(), b.session().id()));
        List<TranscriptEntry> lies = List.of(Fixtures.entry(b.session().id(), "item_9", 9, Speaker.CANDIDATE, "lies"));
        assertRefused(() -> store.transcripts().append(hostile, b.tenant(), b.session().id(), lies));
        assertRefused(() -> store.transcripts().append(hostile, a.tenant(), b.session().id(), lies));

        assertTrue(store.invites().find(hostile, b.invite().id()).isEmpty());
        assertTrue(store.invites().findByTokenHash(hostile, b.token().hash()).isEmpty());
        assertTrue(store.invites().list(hostile).stream().noneMatch(i -> i.tenant().equals(b.tenant())));
        assertRefused(() -> store.invites().save(hostile, b.invite().revoked()));

        assertTrue(store.evaluations().findLatest(hostile, b.tenant(), b.session().id()).isEmpty());
        EvaluationResult overwrite = EvaluationResult.failed(new EvaluationRef(UUID.randomUUID()), b.session().id(),
                "sabotaged", clock.instant().plusSeconds(60));
        assertRefused(() -> store.evaluations().save(hostile, b.tenant(), overwrite));

        assertRefused(() -> store.audit().read(hostile, b.tenant(), 10));
        assertRefused(() -> store.audit().read(hostile, a.tenant(), 10));
        assertRefused(() -> store.audit().record(hostile, new AuditEvent(UUID.randomUUID(), b.tenant(), "forged",
                "session.cancelled", "session:" + b.session().id(), clock.instant(), Map.of())));

        assertEquals(before, fingerprints(b.tenant()));
        assertEquals(b.evaluation(), store.evaluations().findLatest(SYSTEM, b.tenant(), b.session().id())
                .orElseThrow());
    }

    // ---- a candidate outside its own live session --------------------------------------------------------------

    @Test
    void a_candidate_cannot_write_to_another_session_or_to_its_session_once_ended() {
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a.tenant(), a.session().id()));
        InterviewSession other = liveSession(a.tenant(), a.position(), a.candidate(), null);
        Map<String, String> before = fingerprints(a.tenant());

        List<TranscriptEntry> intoOther = List.of(Fixtures.entry(other.id(), "item_x", 5, Speaker.CANDIDATE, "x"));
        assertRefused(() -> store.transcripts().append(candidate, a.tenant(), other.id(), intoOther));
        InterviewSession otherCopy = store.sessions().find(SYSTEM, other.id()).orElseThrow();
        otherCopy.cancel(clock);
        assertRefused(() -> store.sessions().save(candidate, otherCopy));
        assertTrue(RawSql.attempt(candidate, "insert into interview.transcript_entries (tenant_id, session_id,"
                + " idempotency_key, speaker, text, spoken_at, position, source, status) values ('" + a.tenant()
                + "', '" + other.id() + "', 'raw_x', 'candidate', 'x', now(), 5, 'client', 'complete')").refused());
        assertTrue(RawSql.attempt(candidate, "update interview.interview_sessions set status = 'cancelled'"
                + " where id = '" + other.id() + "'").touchedNothing());

        // Its own session, once ended (CANCELLED), takes nothing more from the candidate or the runner.
        AccessScope late = AccessScope.of(Fixtures.candidatePrincipal(a.tenant(), a.endedSession().id()));
        AccessScope lateRunner = AccessScope.of(Fixtures.runnerPrincipal(a.tenant(), a.endedSession().id()));
        List<TranscriptEntry> afterTheEnd = List.of(Fixtures.entry(a.endedSession().id(), "item_late", 0,
                Speaker.CANDIDATE, "one more thing"));
        assertRefused(() -> store.transcripts().append(late, a.tenant(), a.endedSession().id(), afterTheEnd));
        assertRefused(() -> store.transcripts().append(lateRunner, a.tenant(), a.endedSession().id(), afterTheEnd));
        assertTrue(RawSql.attempt(late, "insert into interview.transcript_entries (tenant_id, session_id,"
                + " idempotency_key, speaker, text, spoken_at, position, source, status) values ('" + a.tenant()
                + "', '" + a.endedSession().id() + "', 'raw_late', 'candidate', 'x', now(), 0, 'client',"
                + " 'complete')").refused());
        // Nor can it revive the ended session to write after all.
        assertTrue(RawSql.attempt(late, "update interview.interview_sessions set status = 'active'"
                + " where id = '" + a.endedSession().id() + "'").touchedNothing());
        InterviewSession endedCopy = store.sessions().find(late, a.endedSession().id()).orElseThrow();
        assertRefused(() -> store.sessions().save(late, endedCopy));

        assertEquals(before, fingerprints(a.tenant()));
        assertEquals(List.of(), store.transcripts().read(SYSTEM, a.tenant(), a.endedSession().id()));
        // Its own live session it may write to, and read nothing back.
        assertEquals(List.of(IdempotencyKey.of("item_3")), store.transcripts().append(candidate, a.tenant(),
                a.session().id(), List.of(Fixtures.entry(a.session().id(), "item_3", 2, Speaker.CANDIDATE, "Hi")))
                .stored());
        assertEquals(List.of(), store.transcripts().read(candidate, a.tenant(), a.session().id()));
        assertEquals(0L, RawSql.attempt(candidate, "select count(*) from interview.transcript_entries").rows());
    }

    @Test
    void a_candidate_sees_only_the_position_and_candidate_of_its_own_session() {
        Candidate someoneElse = Fixtures.candidate(new CandidateId(UUID.randomUUID()), a.tenant());
        store.candidates().save(SYSTEM, someoneElse);
        Position otherPosition = Fixtures.position(new PositionId(UUID.randomUUID()), a.tenant());
        store.positions().save(SYSTEM, otherPosition);
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a.tenant(), a.session().id()));

        assertEquals(List.of(a.candidate()), store.candidates().list(candidate));
        assertTrue(store.candidates().find(candidate, someoneElse.id()).isEmpty());
        assertEquals(List.of(a.position()), store.positions().list(candidate));
        assertTrue(store.positions().find(candidate, otherPosition.id()).isEmpty());
        assertEquals(a.tenant(), store.tenants().find(candidate, a.tenant()).orElseThrow().id());
        assertTrue(store.invites().list(candidate).isEmpty());
        assertTrue(store.evaluations().findLatest(candidate, a.tenant(), a.session().id()).isEmpty());
        assertEquals(List.of(a.session().id()), store.sessions().listRecent(candidate, 100).stream()
                .map(InterviewSession::id).toList());
    }
}
