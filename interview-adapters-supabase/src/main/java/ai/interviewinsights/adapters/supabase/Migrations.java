package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the SQL files under {@code db/migration} with Flyway. The files are plain PostgreSQL (no Flyway
 * placeholders or callbacks), so the same files also apply to a Supabase project with the Supabase CLI.
 * Flyway keeps its history in {@code interview.flyway_schema_history}.
 */
final class Migrations {

    static final String SCHEMA = "interview";
    static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /**
     * Applies what is not applied yet; a no-op when the database is up to date.
     *
     * @return how many migrations were applied
     */
    static int apply(String jdbcUrl, String user, Secret password) {
        Flyway flyway = Flyway.configure()
                .dataSource(jdbcUrl, user, password.reveal())
                .locations(LOCATION)
                .schemas(SCHEMA)
                .placeholderReplacement(false)
                .validateMigrationNaming(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            // Flyway's message may quote the failing SQL; keep it as the cause for operators, not in the message.
            throw new DomainException(ErrorKind.UNAVAILABLE, "store.migration_failed",
                    "the database schema could not be brought up to date", false, e);
        }
    }
}
