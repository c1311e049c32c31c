package ai.interviewinsights.adapters.supabase;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Every row of every table of the app's schemas, read as the database superuser (who sees past row-level security,
 * unlike the tables' owner, which FORCE ROW LEVEL SECURITY holds to the policies): what someone with the database,
 * or a dump of it, has in hand.
 */
final class RawRows {

    private RawRows() {
    }

    /** One line per row: {@code schema.table {json of every column}} (bytea columns as hex). */
    static List<String> all(DataSource superuser) {
        Jdbi jdbi = Jdbi.create(superuser);
        return jdbi.withHandle(handle -> {
            List<String> tables = handle.createQuery("""
                            select table_schema || '.' || table_name from information_schema.tables
                            where table_schema in ('interview', 'interview_keys') and table_type = 'BASE TABLE'
                            order by 1""")
                    .mapTo(String.class).list();
            List<String> rows = new ArrayList<>();
            for (String table : tables) {
                handle.createQuery("select row_to_json(t)::text from " + table + " t").mapTo(String.class)
                        .forEach(json -> rows.add(table + " " + json));
            }
            return rows;
        });
    }

    /** The rows that contain {@code plaintext} as text or as the hex of its UTF-8 bytes (a bytea holding it). */
    static List<String> containing(List<String> rows, String plaintext) {
        String hex = HexFormat.of().formatHex(plaintext.getBytes(StandardCharsets.UTF_8));
        // row_to_json escapes non-ASCII only in keys, not values; compare both as they are and lower-cased hex.
        return rows.stream().filter(row -> row.contains(plaintext) || row.toLowerCase().contains(hex)).toList();
    }
}
