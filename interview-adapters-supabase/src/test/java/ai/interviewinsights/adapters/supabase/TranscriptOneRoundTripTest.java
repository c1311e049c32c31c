package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Decision 26: a runner's transcript batch whose session key is in memory is one statement, sent with the scope's
 * {@code set_config} in one round trip and committed as one implicit transaction. Row-level security must hold there
 * exactly as in a transaction of its own: hostile writers with the key warm are refused, nothing of the scope
 * outlives the statement, and what is acknowledged is committed and sealed.
 */
class TranscriptOneRoundTripTest {

    private static final AccessScope SYSTEM = AccessScope.system("one-round-trip-test");

    private final SupabaseStore store = TestDatabase.store();
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MICROS));

    private TenantId tenant;
    private Position position;
    private Candidate candidate;
    private InterviewSession session;

    @BeforeEach
    void aLiveSession() {
        tenant = new TenantId(UUID.randomUUID());
        store.tenants().save(SYSTEM, new Tenant(tenant, "Round trip"));
        position = Fixtures.position(new PositionId(UUID.randomUUID()), tenant);
        store.positions().save(SYSTEM, position);
        candidate = Fixtures.candidate(new CandidateId(UUID.randomUUID()), tenant);
        store.candidates().save(SYSTEM, candidate);
        session = liveSession(tenant, position, candidate);
    }

    private InterviewSession liveSession(TenantId in, Position at, Candidate of) {
        InterviewSession started = InterviewSession.start(new SessionId(UUID.randomUUID()), in, of.id(), at.id(),
                Fixtures.settings(), SessionOrigin.STAFF, Fixtures.admin(in).user(), clock);
        started = store.sessions().save(SYSTEM, started);
        started.beginProvisioning(clock);
        started.runnerReady(new RunnerRef(new RunnerId("m-" + started.id().shortId()), RunnerName.of(
                started.settings().architecture(), in, started.id()), URI.create("wss://runner.example/ws")), clock);
        return store.sessions().save(SYSTEM, started);
    }

    private static AccessScope runnerOf(TenantId tenant, SessionId session) {
        return AccessScope.of(Fixtures.runnerPrincipal(tenant, session));
    }

    private List<String> storedKeys(SessionId of) {
        return store.transcripts().read(SYSTEM, tenant, of).stream().map(e -> e.key().value()).toList();
    }

    /** The first append learns the key in a transaction; every later one finds it in memory. */
    private void warm(AccessScope runner, SessionId of, String key) {
        store.transcripts().append(runner, tenant, of, List.of(Fixtures.entry(of, key, 0, Speaker.AI, "Hello.")));
        assertTrue(store.keyVault().cachedSessionKey(tenant.value(), of.value()).isPresent(),
                "the session's key is in memory now");
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable append) {
        DomainException refused = assertThrows(DomainException.class, append);
        assertEquals(ErrorKind.FORBIDDEN, refused.kind(), refused.code());
    }

    @Test
    void a_runners_batch_with_the_key_in_memory_is_stored_committed_and_sealed() throws Exception {
        AccessScope runner = runnerOf(tenant, session.id());
        warm(runner, session.id(), "item_0");
        List<TranscriptEntry> batch = List.of(
                Fixtures.entry(session.id(), "item_1", 1, Speaker.CANDIDATE, "I build resilient systems."),
                Fixtures.entry(session.id(), "item_2", 2, Speaker.AI, "Tell me more."));
        var result = store.transcripts().append(runner, tenant, session.id(), batch);
        assertEquals(List.of(IdempotencyKey.of("item_1"), IdempotencyKey.of("item_2")), result.stored());
        // Again: the same keys are duplicates (ON CONFLICT ... RETURNING names only the new ones).
        var again = store.transcripts().append(runner, tenant, session.id(), batch);
        assertEquals(List.of(), again.stored());
        assertEquals(2, again.duplicates().size());

        assertEquals(List.of("item_0", "item_1", "item_2"), storedKeys(session.id()));
        assertEquals("I build resilient systems.", store.transcripts().read(SYSTEM, tenant, session.id()).get(1)
                .text());
        // Committed (another connection sees it) and sealed at rest.
        try (Connection superuser = TestDatabase.superuser().getConnection();
             Statement query = superuser.createStatement();
             ResultSet rows = query.executeQuery("select text, text_ct from interview.transcript_entries"
                     + " where session_id = '" + session.id() + "' and idempotency_key = 'item_1'")) {
            assertTrue(rows.next());
            assertNull(rows.getString("text"), "no plaintext column value");
            assertNotNull(rows.getBytes("text_ct"));
        }
    }

    @Test
    void hostile_runners_are_refused_with_the_victims_key_in_memory() {
        warm(runnerOf(tenant, session.id()), session.id(), "item_0");
        List<TranscriptEntry> lies = List.of(Fixtures.entry(session.id(), "item_lie", 7, Speaker.CANDIDATE, "lies"));

        // Another session's runner of the same tenant.
        InterviewSession other = liveSession(tenant, position, candidate);
        assertRefused(() -> store.transcripts().append(runnerOf(tenant, other.id()), tenant, session.id(), lies));
        // Another tenant's runner, naming the victim's tenant and session.
        TenantId attacker = new TenantId(UUID.randomUUID());
        store.tenants().save(SYSTEM, new Tenant(attacker, "Attacker"));
        assertRefused(() -> store.transcripts().append(runnerOf(attacker, new SessionId(UUID.randomUUID())), tenant,
                session.id(), lies));
        // A candidate never takes this path, but its scope is refused the write to another session too.
        assertRefused(() -> store.transcripts().append(AccessScope.of(Fixtures.candidatePrincipal(tenant,
                other.id())), tenant, session.id(), lies));

        assertEquals(List.of("item_0"), storedKeys(session.id()), "nothing of theirs stored");
    }

    @Test
    void the_sessions_own_runner_is_refused_once_the_session_has_ended_with_the_key_in_memory() {
        AccessScope runner = runnerOf(tenant, session.id());
        warm(runner, session.id(), "item_0");
        InterviewSession ended = store.sessions().find(SYSTEM, session.id()).orElseThrow();
        ended.cancel(clock);
        store.sessions().save(SYSTEM, ended);

        assertRefused(() -> store.transcripts().append(runner, tenant, session.id(), List.of(
                Fixtures.entry(session.id(), "item_late", 1, Speaker.CANDIDATE, "one more thing"))));
        assertEquals(List.of("item_0"), storedKeys(session.id()));
    }

    @Test
    void the_scope_is_in_force_for_the_statement_and_ends_with_it() throws Exception {
        try (Connection connection = store.pool().getConnection()) {
            ScopedTransactions one = new ScopedTransactions(Jdbi.create(connection));
            String[] during = one.statementInScope(runnerOf(tenant, session.id()),
                    "select current_user::text, current_setting('request.jwt.claims', true)",
                    (statement, first) -> { }, rows -> {
                        assertTrue(rows.next());
                        return new String[] {rows.getString(1), rows.getString(2)};
                    });
            assertEquals(JwtClaims.AUTHENTICATED, during[0]);
            assertTrue(during[1].contains(session.id().toString()), "the runner's claims: " + during[1]);

            assertTrue(connection.getAutoCommit());
            try (Statement query = connection.createStatement();
                 ResultSet after = query.executeQuery("select current_user::text,"
                         + " coalesce(current_setting('request.jwt.claims', true), ''), txid_current_if_assigned()")) {
                assertTrue(after.next());
                assertFalse(JwtClaims.AUTHENTICATED.equals(after.getString(1)), "the role ended with the statement");
                assertEquals("", after.getString(2), "the claims ended with the statement");
                assertNull(after.getObject(3), "no transaction left open");
            }
        }
    }
}
