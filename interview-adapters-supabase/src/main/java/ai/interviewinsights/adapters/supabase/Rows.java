package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.interview.LanguageTag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Moving values between Java and rows: typed binding of nullable UUIDs and instants (as {@code uuid} and
 * {@code timestamptz}, never as text), lowercase enum names, and the interview settings columns shared by
 * sessions and invites.
 */
final class Rows {

    private Rows() {
    }

    static Argument timestamp(Instant value) {
        return (position, statement, context) -> {
            if (value == null) {
                statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(position, value.atOffset(ZoneOffset.UTC));
            }
        };
    }

    static Argument uuid(UUID value) {
        return (position, statement, context) -> {
            if (value == null) {
                statement.setNull(position, Types.OTHER);
            } else {
                statement.setObject(position, value);
            }
        };
    }

    /** A {@code uuid[]}, for {@code = any(:ids)}. */
    static Argument uuidArray(Collection<UUID> values) {
        UUID[] array = values.toArray(UUID[]::new);
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("uuid", array));
    }

    /** An array of the given SQL element type (elements may be null), for {@code unnest}. */
    static Argument array(String elementType, Object[] values) {
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf(elementType, values));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    static String name(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String stored) {
        return stored == null ? null : Enum.valueOf(type, stored.toUpperCase(Locale.ROOT));
    }

    /** Binds the settings columns: voice, language, temperature, realtime_model, ... architecture. */
    static <S extends SqlStatement<S>> S bindSettings(S statement, InterviewSettings settings) {
        return statement.bind("voice", settings.voice())
                .bind("language", settings.language().value())
                .bind("temperature", settings.temperature())
                .bind("realtime_model", settings.model())
                .bind("transcription_model", settings.transcriptionModel())
                .bind("max_duration_ms", settings.maxDuration().toMillis())
                .bind("architecture", name(settings.architecture()));
    }

    static InterviewSettings settings(ResultSet rs) throws SQLException {
        return new InterviewSettings(rs.getString("voice"), LanguageTag.of(rs.getString("language")),
                nullableDouble(rs, "temperature"), rs.getString("realtime_model"), rs.getString("transcription_model"),
                Duration.ofMillis(rs.getLong("max_duration_ms")),
                enumOf(Architecture.class, rs.getString("architecture")));
    }

    static final String SETTINGS_COLUMNS =
            "voice, language, temperature, realtime_model, transcription_model, max_duration_ms, architecture";
    static final String SETTINGS_VALUES =
            ":voice, :language, :temperature, :realtime_model, :transcription_model, :max_duration_ms, :architecture";
}
