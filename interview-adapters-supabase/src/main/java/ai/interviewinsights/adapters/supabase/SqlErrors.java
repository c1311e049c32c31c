package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns what PostgreSQL and the JDBC stack throw into {@link DomainException}s with a kind and a stable code.
 *
 * <p>Messages are fixed sentences: no SQL text, no constraint or table names, no row values (the connection is
 * opened with {@code logServerErrorDetail=false} too, so the JDBC exception kept as the cause for operators
 * carries no row values either). Constraint names are only used here, to pick the domain's code.
 */
final class SqlErrors {

    /** A refusal by row-level security or a missing privilege. */
    static final String FORBIDDEN = "forbidden";

    private record Reason(ErrorKind kind, String code, String message) {
        DomainException toException(Throwable cause) {
            return new DomainException(kind, code, message, false, cause);
        }
    }

    private static final Reason UNKNOWN_TENANT =
            new Reason(ErrorKind.INVALID_INPUT, "tenant.unknown", "the tenant does not exist");

    /** Constraint name to the reason it stands for in the domain. */
    private static final Map<String, Reason> CONSTRAINTS = Map.ofEntries(
            Map.entry("interview_sessions_pkey",
                    new Reason(ErrorKind.CONFLICT, "session.already_exists", "this session exists already")),
            Map.entry("invites_token_hash_key",
                    new Reason(ErrorKind.CONFLICT, "invite.duplicate_token", "an invite with this token exists")),
            Map.entry("evaluations_pkey",
                    new Reason(ErrorKind.CONFLICT, "evaluation.already_exists", "this evaluation is stored already")),
            Map.entry("audit_log_id_key",
                    new Reason(ErrorKind.CONFLICT, "audit.duplicate_event", "this audit event is recorded already")),
            Map.entry("position_competencies_name_key",
                    new Reason(ErrorKind.INVALID_INPUT, "invalid.competencies", "competency names must be unique")),
            Map.entry("memberships_tenant_fk", UNKNOWN_TENANT),
            Map.entry("positions_tenant_fk", UNKNOWN_TENANT),
            Map.entry("candidates_tenant_fk", UNKNOWN_TENANT),
            Map.entry("interview_sessions_tenant_fk", UNKNOWN_TENANT),
            Map.entry("invites_tenant_fk", UNKNOWN_TENANT),
            Map.entry("audit_log_tenant_fk", UNKNOWN_TENANT),
            Map.entry("interview_sessions_candidate_fk", new Reason(ErrorKind.INVALID_INPUT,
                    "session.unknown_reference", "the session's candidate or position does not exist")),
            Map.entry("interview_sessions_position_fk", new Reason(ErrorKind.INVALID_INPUT,
                    "session.unknown_reference", "the session's candidate or position does not exist")),
            Map.entry("invites_candidate_fk", new Reason(ErrorKind.INVALID_INPUT,
                    "invite.unknown_reference", "the invite's candidate, position or session does not exist")),
            Map.entry("invites_position_fk", new Reason(ErrorKind.INVALID_INPUT,
                    "invite.unknown_reference", "the invite's candidate, position or session does not exist")),
            Map.entry("invites_session_fk", new Reason(ErrorKind.INVALID_INPUT,
                    "invite.unknown_reference", "the invite's candidate, position or session does not exist")),
            Map.entry("evaluations_session_fk", new Reason(ErrorKind.INVALID_INPUT,
                    "evaluation.unknown_session", "no such session in this tenant")),
            // Writing into a session of another tenant must not reveal whether that session exists.
            Map.entry("transcript_entries_session_fk",
                    new Reason(ErrorKind.FORBIDDEN, FORBIDDEN, "not allowed for this principal")));

    private SqlErrors() {
    }

    static DomainException forbidden() {
        return DomainException.forbidden(FORBIDDEN, "not allowed for this principal");
    }

    /** The domain error for a failure of the database or the way to it. */
    static DomainException translate(Throwable failure) {
        SQLException sql = findSqlException(failure);
        if (sql == null) {
            return new DomainException(ErrorKind.UPSTREAM_FAILED, "store.failed",
                    "the database could not complete the operation", false, failure);
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        Reason known = CONSTRAINTS.get(constraintOf(sql));
        if (state.equals("42501")) {
            // Missing privilege, or a row-level security policy's WITH CHECK refused the new row.
            return new DomainException(ErrorKind.FORBIDDEN, FORBIDDEN, "not allowed for this principal", false, sql);
        }
        if (state.equals("23505")) {
            return known != null ? known.toException(sql)
                    : new DomainException(ErrorKind.CONFLICT, "store.duplicate", "this record exists already",
                            false, sql);
        }
        if (state.equals("23503")) {
            return known != null ? known.toException(sql)
                    : new DomainException(ErrorKind.INVALID_INPUT, "store.unknown_reference",
                            "the record refers to something that does not exist", false, sql);
        }
        if (known != null) {
            return known.toException(sql);
        }
        if (state.startsWith("23") || state.startsWith("22")) {
            return new DomainException(ErrorKind.INVALID_INPUT, "store.invalid_value",
                    "a value was rejected by the database's rules", false, sql);
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return new DomainException(ErrorKind.UNAVAILABLE, "store.transaction_conflict",
                    "the database could not serialise concurrent changes; retry", true, sql);
        }
        if (state.equals("57014")) {
            return new DomainException(ErrorKind.UNAVAILABLE, "store.timeout",
                    "the database did not answer in time; retry later", true, sql);
        }
        if (state.startsWith("28") || state.equals("3D000")) {
            // Wrong credentials or database name: configuration, not something a retry fixes.
            return new DomainException(ErrorKind.UNAVAILABLE, "store.misconfigured",
                    "the database refused the configured credentials or database name", false, sql);
        }
        if (isConnectionProblem(sql, state)) {
            return new DomainException(ErrorKind.UNAVAILABLE, "store.unavailable",
                    "the database is unreachable; retry later", true, sql);
        }
        return new DomainException(ErrorKind.UPSTREAM_FAILED, "store.failed",
                "the database could not complete the operation", false, sql);
    }

    private static boolean isConnectionProblem(SQLException sql, String state) {
        return state.startsWith("08") // connection exception
                || state.startsWith("53") // insufficient resources (too many connections, ...)
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") // shutdown, starting up
                || state.equals("25006") // read-only transaction: a fail-over in progress
                || sql instanceof SQLTransientConnectionException // pool timeout
                || sql instanceof SQLNonTransientConnectionException
                || sql instanceof SQLRecoverableException;
    }

    private static SQLException findSqlException(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof SQLException sql) {
                    return sql;
                }
            }
        }
        return null;
    }

    private static String constraintOf(SQLException sql) {
        if (sql instanceof PSQLException psql) {
            ServerErrorMessage message = psql.getServerErrorMessage();
            if (message != null && message.getConstraint() != null) {
                return message.getConstraint();
            }
        }
        return "";
    }
}
