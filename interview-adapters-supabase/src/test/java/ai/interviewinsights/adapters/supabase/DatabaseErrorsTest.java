package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.InviteId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.invite.Invite;
import ai.interviewinsights.domain.model.invite.InviteToken;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.testing.Fixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the database says becomes a domain error with a reason, and no message carries SQL, table or constraint
 * names, or row values.
 */
class DatabaseErrorsTest {

    private static final AccessScope SYSTEM = AccessScope.system("errors-test");
    private static final List<String> INTERNALS = List.of("interview.", "insert", "update ", "select", "constraint",
            "_pkey", "_fk", "_key", "violates", "sqlstate", "relation", "policy", "row-level");

    private final SupabaseStore store = TestDatabase.store();

    private static DomainException failure(Executable call) {
        DomainException e = assertThrows(DomainException.class, call);
        String message = e.getMessage().toLowerCase(Locale.ROOT);
        for (String internal : INTERNALS) {
            assertFalse(message.contains(internal), "message leaks '" + internal + "': " + e.getMessage());
        }
        return e;
    }

    private TenantId tenant() {
        TenantId tenant = new TenantId(UUID.randomUUID());
        store.tenants().save(SYSTEM, new Tenant(tenant, "Errors"));
        return tenant;
    }

    @Test
    void a_row_level_security_refusal_is_forbidden() {
        TenantId mine = tenant();
        TenantId theirs = tenant();
        DomainException e = failure(() -> store.candidates().save(AccessScope.of(Fixtures.admin(mine)),
                Fixtures.candidate(theirs)));
        assertEquals(ErrorKind.FORBIDDEN, e.kind());
        assertEquals("forbidden", e.code());
        assertFalse(e.retryable());
    }

    @Test
    void a_missing_privilege_is_forbidden() {
        DomainException e = failure(() -> store.audit().read(AccessScope.of(Fixtures.admin(tenant())), tenant(), 5));
        assertEquals(ErrorKind.FORBIDDEN, e.kind());
        assertEquals("forbidden", e.code());
    }

    @Test
    void unique_violations_are_conflicts_with_the_domains_codes() {
        TenantId tenant = tenant();
        Position position = Fixtures.position(new PositionId(UUID.randomUUID()), tenant);
        store.positions().save(SYSTEM, position);
        Candidate candidate = Fixtures.candidate(new CandidateId(UUID.randomUUID()), tenant);
        store.candidates().save(SYSTEM, candidate);
        InviteToken token = InviteToken.of(UUID.randomUUID().toString().replace("-", ""));
        store.invites().save(SYSTEM, invite(tenant, candidate, position, token));
        DomainException duplicateToken = failure(() -> store.invites().save(SYSTEM,
                invite(tenant, candidate, position, token)));
        assertEquals(ErrorKind.CONFLICT, duplicateToken.kind());
        assertEquals("invite.duplicate_token", duplicateToken.code());

        InterviewSession session = InterviewSession.start(new SessionId(UUID.randomUUID()), tenant, candidate.id(),
                position.id(), Fixtures.settings(), SessionOrigin.STAFF, Fixtures.admin(tenant).user(),
                Clock.systemUTC());
        store.sessions().save(SYSTEM, session);
        DomainException again = failure(() -> store.sessions().save(SYSTEM, session));
        assertEquals(ErrorKind.CONFLICT, again.kind());
        assertEquals("session.already_exists", again.code());
    }

    @Test
    void references_to_nothing_are_invalid_input() {
        DomainException unknownTenant = failure(() -> store.candidates().save(SYSTEM,
                Fixtures.candidate(new TenantId(UUID.randomUUID()))));
        assertEquals(ErrorKind.INVALID_INPUT, unknownTenant.kind());
        assertEquals("tenant.unknown", unknownTenant.code());

        TenantId tenant = tenant();
        InterviewSession orphan = InterviewSession.start(new SessionId(UUID.randomUUID()), tenant,
                new CandidateId(UUID.randomUUID()), new PositionId(UUID.randomUUID()), Fixtures.settings(),
                SessionOrigin.STAFF, Fixtures.admin(tenant).user(), Clock.systemUTC());
        DomainException unknownReference = failure(() -> store.sessions().save(SYSTEM, orphan));
        assertEquals(ErrorKind.INVALID_INPUT, unknownReference.kind());
        assertEquals("session.unknown_reference", unknownReference.code());
    }

    @Test
    void a_lost_connection_is_retryable() {
        AccessScope scope = AccessScope.of(Fixtures.admin(tenant()));
        DomainException e = failure(() -> store.transactions().inScope(scope, handle -> {
            int pid = handle.createQuery("select pg_backend_pid()").mapTo(Integer.class).one();
            try (Connection superuser = TestDatabase.superuser().getConnection();
                 PreparedStatement kill = superuser.prepareStatement("select pg_terminate_backend(?)")) {
                kill.setInt(1, pid);
                kill.execute();
            } catch (SQLException ex) {
                throw new IllegalStateException(ex);
            }
            return handle.createQuery("select count(*) from interview.candidates").mapTo(Long.class).one();
        }));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertEquals("store.unavailable", e.code());
        assertTrue(e.retryable());
        // The pool recovers: the next unit of work gets a healthy connection.
        assertTrue(store.tenants().find(SYSTEM, new TenantId(UUID.randomUUID())).isEmpty());
    }

    @Test
    void an_unreachable_database_is_retryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres";
        Secret password = Secret.of("not-used");
        DomainException atConnect = failure(() -> SupabaseStore.connect(url, "interview_app", password,
                TestKeys.master(), SupabaseStore.Options.defaults().withConnectionTimeout(Duration.ofMillis(500))));
        assertEquals(ErrorKind.UNAVAILABLE, atConnect.kind());
        assertTrue(atConnect.retryable());

        try (SupabaseStore lazy = SupabaseStore.connect(url, "interview_app", password, TestKeys.master(), SupabaseStore.Options
                .defaults().withConnectionTimeout(Duration.ofMillis(500)).withFailFast(false))) {
            DomainException atQuery = failure(() -> lazy.tenants().find(SYSTEM, new TenantId(UUID.randomUUID())));
            assertEquals(ErrorKind.UNAVAILABLE, atQuery.kind());
            assertEquals("store.unavailable", atQuery.code());
            assertTrue(atQuery.retryable());
        }
    }

    @Test
    void a_wrong_database_name_is_a_configuration_problem_not_worth_retrying() {
        String url = TestDatabase.store().embeddedDatabase().jdbcUrl().replace("/postgres", "/no_such_database");
        DomainException e = failure(() -> SupabaseStore.connect(url, EmbeddedDatabase.APP_ROLE,
                Secret.of("not-used"), TestKeys.master(), SupabaseStore.Options.defaults()));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertEquals("store.misconfigured", e.code());
        assertFalse(e.retryable());
    }

    @Test
    void serialization_failures_and_timeouts_are_retryable() {
        AccessScope scope = AccessScope.of(Fixtures.admin(tenant()));
        DomainException serialization = failure(() -> store.transactions().inScope(scope, handle -> handle.execute(
                "do $$ begin raise exception 'could not serialize' using errcode = '40001'; end $$")));
        assertEquals(ErrorKind.UNAVAILABLE, serialization.kind());
        assertEquals("store.transaction_conflict", serialization.code());
        assertTrue(serialization.retryable());

        DomainException timeout = failure(() -> store.transactions().inScope(scope, handle -> {
            handle.execute("set local statement_timeout = 50");
            return handle.createQuery("select pg_sleep(2)").mapTo(String.class).one();
        }));
        assertEquals("store.timeout", timeout.code());
        assertTrue(timeout.retryable());
    }

    @Test
    void row_values_stay_out_of_messages_and_causes() {
        TenantId tenant = tenant();
        String personal = "Grace Hopper, +1-555-0100, grace@example.com";
        DomainException e = failure(() -> store.transactions().inScope(SYSTEM, handle -> handle.createUpdate(
                        "insert into interview.candidates (id, tenant_id, name, email) values (:id, :tenant, :name, :email)")
                .bind("id", UUID.randomUUID()).bind("tenant", tenant.value()).bind("name", personal)
                .bind("email", "x".repeat(400) + personal).execute()));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("Grace Hopper"), t.getClass().getName());
        }
    }

    private Invite invite(TenantId tenant, Candidate candidate, Position position, InviteToken token) {
        return Invite.issue(new InviteId(UUID.randomUUID()), tenant, candidate.id(), position.id(),
                Fixtures.settings(), token, java.time.Instant.now().plus(Duration.ofDays(1)),
                Fixtures.admin(tenant).user(), Clock.systemUTC());
    }
}
