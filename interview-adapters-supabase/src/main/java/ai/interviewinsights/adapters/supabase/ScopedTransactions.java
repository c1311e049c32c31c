package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
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

    static void assume(Handle handle, JwtClaims claims) {
        handle.createQuery(ASSUME_SCOPE).bind("role", claims.role()).bind("claims", claims.json())
                .mapTo(String.class).one();
    }

    Jdbi jdbi() {
        return jdbi;
    }
}
