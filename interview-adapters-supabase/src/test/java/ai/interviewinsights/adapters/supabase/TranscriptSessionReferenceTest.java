package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.runner.RunnerId;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.testing.Fixtures;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * The transcript's reference to its session (V25): the foreign key {@code transcript_entries_session_fk} became
 * triggers that check once per statement, and must keep every guarantee the key gave, for every role that writes,
 * with the same error (SQLSTATE 23503 and the constraint's name, which {@link SqlErrors} maps to {@code forbidden}):
 * no entry without its session, no session deleted or re-keyed from under its entries (the eraser deletes the
 * entries first), and a delete racing an insert on two connections never leaves an orphan.
 */
class TranscriptSessionReferenceTest {

    private static final AccessScope SYSTEM = AccessScope.system("session-reference-test");
    private static final String FOREIGN_KEY = "transcript_entries_session_fk";

    private final SupabaseStore store = TestDatabase.store();
    private final Clock clock = Clock.systemUTC();
    private TenantId tenant;
    private TenantId otherTenant;
    private SessionId session;
    private SessionId otherTenantsSession;
    private ExecutorService pool;

    @BeforeEach
    void aLiveSessionWithOneEntry() {
        tenant = new TenantId(UUID.randomUUID());
        session = liveSession(tenant);
        otherTenant = new TenantId(UUID.randomUUID());
        otherTenantsSession = liveSession(otherTenant);
        store.transcripts().append(SYSTEM, tenant, session, List.of(
                Fixtures.entry(session, "item_1", 0, Speaker.AI, "Tell me about yourself.")));
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopThePool() {
        pool.shutdownNow();
    }

    private SessionId liveSession(TenantId owner) {
        store.tenants().save(SYSTEM, new Tenant(owner, "Reference " + owner));
        PositionId position = new PositionId(UUID.randomUUID());
        store.positions().save(SYSTEM, Fixtures.position(position, owner));
        CandidateId candidate = new CandidateId(UUID.randomUUID());
        store.candidates().save(SYSTEM, Fixtures.candidate(candidate, owner));
        InterviewSession live = InterviewSession.start(new SessionId(UUID.randomUUID()), owner, candidate, position,
                Fixtures.settings(), SessionOrigin.INVITE, Fixtures.admin(owner).user(), clock);
        live.beginProvisioning(clock);
        live.runnerReady(new RunnerRef(new RunnerId("local-1"), RunnerName.of(live.settings().architecture(), owner,
                live.id()), URI.create("ws://127.0.0.1:9/ws")), clock);
        return store.sessions().save(SYSTEM, live).id();
    }

    // ---- an entry needs its session ----------------------------------------------------------------------------

    @Test
    void an_entry_for_a_missing_session_is_refused_with_the_foreign_keys_error_as_staff_and_as_service_role() {
        UUID missing = UUID.randomUUID();
        for (AccessScope scope : List.of(AccessScope.of(Fixtures.admin(tenant)),
                AccessScope.of(Fixtures.interviewer(tenant)), SYSTEM)) {
            PSQLException refused = insertFails(scope, tenant.value(), missing, "ghost");
            assertForeignKey(refused, scope + " into a missing session");
            DomainException mapped = SqlErrors.translate(refused);
            assertEquals(ErrorKind.FORBIDDEN, mapped.kind(), scope.toString());
            assertEquals(SqlErrors.FORBIDDEN, mapped.code(), scope.toString());
        }
        // The reference is (tenant_id, session_id): another tenant's existing session does not count.
        assertForeignKey(insertFails(SYSTEM, tenant.value(), otherTenantsSession.value(), "crossed"),
                "service_role into another tenant's session");
        // A runner or candidate is refused by the insert policy first, as before (42501).
        for (AccessScope scope : List.of(AccessScope.of(Fixtures.runnerPrincipal(tenant, new SessionId(missing))),
                AccessScope.of(Fixtures.candidatePrincipal(tenant, new SessionId(missing))))) {
            assertEquals("42501", insertFails(scope, tenant.value(), missing, "ghost").getSQLState(), scope.toString());
        }
        assertEquals(0L, countAsSuperuser("select count(*) from interview.transcript_entries where session_id = '"
                + missing + "' or idempotency_key = 'crossed'"));
    }

    @Test
    void every_role_that_may_write_still_writes_into_a_live_session() {
        List<AccessScope> writers = List.of(AccessScope.of(Fixtures.admin(tenant)),
                AccessScope.of(Fixtures.interviewer(tenant)), SYSTEM,
                AccessScope.of(Fixtures.runnerPrincipal(tenant, session)),
                AccessScope.of(Fixtures.candidatePrincipal(tenant, session)));
        int i = 0;
        for (AccessScope scope : writers) {
            String key = "writer_" + i++;
            RawSql.as(scope, handle -> handle.createUpdate(insertSql(tenant.value(), session.value(), key)).execute());
        }
        assertEquals(writers.size() + 1L, countAsSuperuser(
                "select count(*) from interview.transcript_entries where session_id = '" + session + "'"));
    }

    @Test
    void through_the_repository_a_session_gone_after_its_key_was_cached_is_refused_as_before() {
        // The session's key is in memory after the first append: the next batch takes the one-round-trip path
        // straight to the INSERT, where only the database can notice the session is gone.
        store.transcripts().append(SYSTEM, tenant, session, List.of(
                Fixtures.entry(session, "item_2", 1, Speaker.CANDIDATE, "I build resilient systems.")));
        executeAsSuperuser("delete from interview.transcript_entries where session_id = '" + session + "';"
                + " delete from interview.interview_sessions where id = '" + session + "'");
        for (AccessScope scope : List.of(SYSTEM, AccessScope.of(Fixtures.admin(tenant)),
                AccessScope.of(Fixtures.runnerPrincipal(tenant, session)))) {
            DomainException refused = assertThrows(DomainException.class, () -> store.transcripts().append(scope,
                    tenant, session, List.of(Fixtures.entry(session, "item_3", 2, Speaker.AI, "Thank you."))),
                    scope.toString());
            assertEquals(SqlErrors.FORBIDDEN, refused.code(), scope.toString());
        }
        assertEquals(0L, countAsSuperuser(
                "select count(*) from interview.transcript_entries where session_id = '" + session + "'"));
    }

    @Test
    void an_entry_cannot_be_moved_to_a_missing_session_or_tenant() {
        assertForeignKey(updateFails("update interview.transcript_entries set session_id = '" + UUID.randomUUID()
                + "' where session_id = '" + session + "'"), "moved to a missing session");
        assertForeignKey(updateFails("update interview.transcript_entries set tenant_id = '" + otherTenant
                + "' where session_id = '" + session + "'"), "moved to another tenant");
        // Moving it to a session that exists is allowed, as the foreign key allowed it.
        SessionId second = liveSession(tenant);
        RawSql.as(SYSTEM, handle -> handle.createUpdate("update interview.transcript_entries set session_id = '"
                + second + "' where session_id = '" + session + "'").execute());
        assertEquals(1L, countAsSuperuser(
                "select count(*) from interview.transcript_entries where session_id = '" + second + "'"));
    }

    // ---- a session with entries stays --------------------------------------------------------------------------

    @Test
    void a_session_with_entries_cannot_be_deleted_or_re_keyed_but_the_erasers_order_deletes_it() {
        String where = " where tenant_id = '" + tenant + "' and id = '" + session + "'";
        for (AccessScope scope : List.of(SYSTEM, AccessScope.of(Fixtures.admin(tenant)))) {
            assertForeignKey(updateFails(scope, "delete from interview.interview_sessions" + where),
                    scope + ": delete");
        }
        assertForeignKey(updateFails("update interview.interview_sessions set id = '" + UUID.randomUUID() + "'"
                + where), "new id");
        // (A new tenant_id is refused by the session's own keys to its candidate and position before this check.)
        assertEquals(1L, countAsSuperuser("select count(*) from interview.interview_sessions" + where));

        // An update that leaves the key alone is untouched by the check.
        RawSql.as(SYSTEM, handle -> handle.createUpdate("update interview.interview_sessions set"
                + " last_activity_at = now()" + where).execute());

        // The eraser's order: the entries first, then the session, in one transaction.
        int deleted = RawSql.as(AccessScope.of(Fixtures.admin(tenant)), handle -> {
            handle.createUpdate("delete from interview.transcript_entries where tenant_id = '" + tenant
                    + "' and session_id = '" + session + "'").execute();
            return handle.createUpdate("delete from interview.interview_sessions" + where).execute();
        });
        assertEquals(1, deleted);
    }

    @Test
    void at_repeatable_read_a_session_is_not_deleted_because_its_new_entries_would_be_invisible() {
        SessionId empty = liveSession(tenant);
        SQLException refused = assertThrows(SQLException.class, () -> {
            try (Connection c = TestDatabase.superuser().getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement s = c.createStatement()) {
                    s.execute("set local role service_role");
                    s.execute("delete from interview.interview_sessions where id = '" + empty + "'");
                } finally {
                    c.rollback();
                }
            }
        });
        assertEquals("0A000", refused.getSQLState());
    }

    @Test
    void truncating_the_sessions_without_their_entries_is_refused() throws Exception {
        try (Connection c = TestDatabase.superuser().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Rolled back whatever happens: the test database is shared by the module's tests.
                SQLException refused = assertThrows(SQLException.class,
                        () -> s.execute("truncate interview.interview_sessions cascade"));
                assertEquals("23503", refused.getSQLState());
                assertEquals(FOREIGN_KEY, ((PSQLException) refused).getServerErrorMessage().getConstraint());
            } finally {
                c.rollback();
            }
        }
        assertEquals(1L, countAsSuperuser("select count(*) from interview.interview_sessions where id = '"
                + session + "'"));
    }

    // ---- a delete racing an insert, on two connections ---------------------------------------------------------

    @Test
    void a_delete_waiting_for_an_insert_of_an_entry_is_refused_once_the_insert_commits() throws Exception {
        SessionId racing = liveSession(tenant);
        try (Handle inserter = store.transactions().jdbi().open(); Handle deleter = store.transactions().jdbi().open()) {
            inserter.begin();
            ScopedTransactions.assume(inserter, JwtClaims.of(AccessScope.of(Fixtures.runnerPrincipal(tenant, racing))));
            inserter.createUpdate(insertSql(tenant.value(), racing.value(), "racing_1")).execute();

            int deleterPid = backendPid(deleter);
            Future<Throwable> deletion = pool.submit(() -> {
                try {
                    deleter.begin();
                    ScopedTransactions.assume(deleter, JwtClaims.of(SYSTEM));
                    deleter.createUpdate("delete from interview.interview_sessions where id = '" + racing + "'")
                            .execute();
                    deleter.commit();
                    return null;
                } catch (JdbiException e) {
                    deleter.rollback();
                    return e;
                }
            });
            awaitLockWait(deleterPid);
            assertFalse(deletion.isDone(), "the delete waits for the insert's lock on the session");
            inserter.commit();

            Throwable failure = deletion.get(30, TimeUnit.SECONDS);
            assertForeignKey(psql(failure), "the delete after the insert's commit");
        }
        assertEquals(1L, countAsSuperuser("select count(*) from interview.interview_sessions where id = '"
                + racing + "'"));
        assertEquals(1L, countAsSuperuser("select count(*) from interview.transcript_entries where session_id = '"
                + racing + "'"));
    }

    @Test
    void an_insert_waiting_for_a_delete_of_its_session_is_refused_once_the_delete_commits() throws Exception {
        SessionId racing = liveSession(tenant);
        try (Handle deleter = store.transactions().jdbi().open(); Handle inserter = store.transactions().jdbi().open()) {
            deleter.begin();
            ScopedTransactions.assume(deleter, JwtClaims.of(SYSTEM));
            assertEquals(1, deleter.createUpdate("delete from interview.interview_sessions where id = '" + racing
                    + "'").execute());

            int inserterPid = backendPid(inserter);
            // service_role: the insert policy does not look at the session, so only the reference check stands in
            // the way (a runner would see the session still live in its snapshot, too).
            Future<Throwable> insertion = pool.submit(() -> {
                try {
                    inserter.begin();
                    ScopedTransactions.assume(inserter, JwtClaims.of(SYSTEM));
                    inserter.createUpdate(insertSql(tenant.value(), racing.value(), "racing_2")).execute();
                    inserter.commit();
                    return null;
                } catch (JdbiException e) {
                    inserter.rollback();
                    return e;
                }
            });
            awaitLockWait(inserterPid);
            assertFalse(insertion.isDone(), "the insert waits for the delete's lock on the session");
            deleter.commit();

            Throwable failure = insertion.get(30, TimeUnit.SECONDS);
            assertForeignKey(psql(failure), "the insert after the delete's commit");
        }
        assertEquals(0L, countAsSuperuser("select count(*) from interview.interview_sessions where id = '"
                + racing + "'"));
        assertEquals(0L, countAsSuperuser("select count(*) from interview.transcript_entries where session_id = '"
                + racing + "'"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static String insertSql(UUID tenantId, UUID sessionId, String key) {
        return "insert into interview.transcript_entries (tenant_id, session_id, idempotency_key, speaker, text_ct,"
                + " spoken_at, position, source, status) values ('" + tenantId + "', '" + sessionId + "', '" + key
                + "', 'ai', '\\x00'::bytea, now(), 7, 'client', 'complete') on conflict do nothing";
    }

    private static PSQLException insertFails(AccessScope scope, UUID tenantId, UUID sessionId, String key) {
        return updateFails(scope, insertSql(tenantId, sessionId, key));
    }

    private static PSQLException updateFails(String sql) {
        return updateFails(SYSTEM, sql);
    }

    private static PSQLException updateFails(AccessScope scope, String sql) {
        JdbiException refused = assertThrows(JdbiException.class,
                () -> RawSql.as(scope, handle -> handle.createUpdate(sql).execute()), sql);
        return psql(refused);
    }

    private static PSQLException psql(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p) {
                return p;
            }
        }
        throw new AssertionError("no PostgreSQL error in " + failure, failure);
    }

    private static void assertForeignKey(PSQLException refused, String what) {
        assertEquals("23503", refused.getSQLState(), what + ": " + refused.getMessage());
        assertEquals(FOREIGN_KEY, refused.getServerErrorMessage().getConstraint(), what);
    }

    private static int backendPid(Handle handle) {
        return handle.createQuery("select pg_backend_pid()").mapTo(Integer.class).one();
    }

    /** Until the backend waits for a lock (generous bound: this is about order, not speed). */
    private static void awaitLockWait(int pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (countAsSuperuser("select count(*) from pg_stat_activity where pid = " + pid
                    + " and wait_event_type = 'Lock'") == 1L) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("backend " + pid + " never waited for a lock");
    }

    private static long countAsSuperuser(String sql) {
        try (Connection c = TestDatabase.superuser().getConnection();
             PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void executeAsSuperuser(String sql) {
        try (Connection c = TestDatabase.superuser().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
