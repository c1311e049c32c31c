package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs units of work the way PostgREST runs a request: one transaction that first switches to the caller's role
 * and claims, then does its queries, so that every statement is subject to row-level security. The switch is
 * {@code SET LOCAL ROLE} in its function form, {@code set_config('role', ..., true)}, sent together with
 * {@code set_config('request.jwt.claims', ..., true)} in one round trip (PostgREST does the same); both last until
 * the transaction ends, so a pooled connection never carries one caller's identity into the next.
 *
 * <p>Every database failure leaves here as a {@link DomainException} (see {@link SqlErrors}).
 */
final class ScopedTransactions {

    private static final String ASSUME_SCOPE =
            "select set_config('role', :role, true), set_config('request.jwt.claims', :claims, true)";

    private final Jdbi jdbi;

    ScopedTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs {@code work} in one transaction under the scope's role and claims. */
    <T> T inScope(AccessScope scope, HandleCallback<T, RuntimeException> work) {
        JwtClaims claims = JwtClaims.of(scope);
        try {
            return jdbi.inTransaction(handle -> {
                assume(handle, claims);
                return work.withHandle(handle);
            });
        } catch (DomainException e) {
            throw e;
        } catch (JdbiException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** Binds a statement's own parameters, from {@code first} on (the scope's two come before them). */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement, int first) throws SQLException;
    }

    /** Reads the statement's result. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /**
     * Runs one statement that returns rows under the scope's role and claims in one round trip to the database
     * (decision 26): the scope's {@code set_config} and the statement travel as one multi-statement query, which the
     * driver sends as one extended-protocol exchange ending in a single Sync. PostgreSQL runs everything before
     * that Sync as one implicit transaction (committed at the Sync, rolled back whole on any error), so the role and
     * claims are in force when the statement is planned and run (it is parsed, planned and executed only after the
     * {@code set_config} has executed, in order) and end with it: the same scope as {@link #inScope}, without a
     * BEGIN, a separate COMMIT or a second round trip. The connection must be in auto-commit (the pool's default):
     * inside an open transaction the statement would not be committed here.
     */
    <T> T statementInScope(AccessScope scope, String sql, Binder binder, Reader<T> reader) {
        JwtClaims claims = JwtClaims.of(scope);
        try {
            return jdbi.withHandle(handle -> {
                Connection connection = handle.getConnection();
                if (!connection.getAutoCommit()) {
                    throw new IllegalStateException("statementInScope needs an auto-commit connection");
                }
                try (PreparedStatement statement = connection.prepareStatement(
                        "select set_config('role', ?, true), set_config('request.jwt.claims', ?, true);\n" + sql)) {
                    statement.setString(1, claims.role());
                    statement.setString(2, claims.json());
                    binder.bind(statement, 3);
                    statement.execute(); // the first result is the set_config row
                    if (!statement.getMoreResults()) {
                        throw new IllegalStateException("the statement returned no rows");
                    }
                    try (ResultSet rows = statement.getResultSet()) {
                        return reader.read(rows);
                    }
                }
            });
        } catch (DomainException e) {
            throw e;
        } catch (JdbiException e) {
            throw SqlErrors.translate(e);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    static void assume(Handle handle, JwtClaims claims) {
        handle.createQuery(ASSUME_SCOPE).bind("role", claims.role()).bind("claims", claims.json())
                .mapTo(String.class).one();
    }

    Jdbi jdbi() {
        return jdbi;
    }
}
