package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import java.sql.SQLException;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * Hand-written SQL over the application's own pool, in a transaction that assumes a role and claims exactly as the
 * repositories do: what a bug (or an attacker with SQL injection) in the app could send.
 */
final class RawSql {

    /** What a statement did: the rows it touched or returned, or refused with SQLSTATE 42501. */
    record Outcome(long rows, boolean refused) {
        static Outcome refusal() {
            return new Outcome(0, true);
        }

        boolean touchedNothing() {
            return refused || rows == 0;
        }
    }

    private RawSql() {
    }

    static <T> T as(AccessScope scope, Function<Handle, T> work) {
        JwtClaims claims = JwtClaims.of(scope);
        return as(claims.role(), claims.json(), work);
    }

    static <T> T as(String role, String claimsJson, Function<Handle, T> work) {
        return TestDatabase.store().transactions().jdbi().inTransaction(handle -> {
            ScopedTransactions.assume(handle, new JwtClaims(role, claimsJson));
            return work.apply(handle);
        });
    }

    /** Runs one statement (a query's first column must be a count) and reports what it did. */
    static Outcome attempt(String role, String claimsJson, String sql) {
        try {
            return as(role, claimsJson, handle -> {
                String head = sql.stripLeading().toLowerCase();
                if (head.startsWith("select")) {
                    return new Outcome(handle.createQuery(sql).mapTo(Long.class).one(), false);
                }
                return new Outcome(handle.createUpdate(sql).execute(), false);
            });
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql42501 && "42501".equals(sql42501.getSQLState())) {
                return Outcome.refusal();
            }
            throw e;
        }
    }

    static Outcome attempt(AccessScope scope, String sql) {
        JwtClaims claims = JwtClaims.of(scope);
        return attempt(claims.role(), claims.json(), sql);
    }
}
