package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code interview.jwt()} (V25), which the policies on the transcript write's path read the claims with instead of
 * Supabase's {@code auth.jwt()}: the same answer for every way the claims can be set, and a body PostgreSQL inlines
 * (no SET clause, a SQL-standard body resolved when created, so no search_path can redirect it).
 */
class InlinedClaimsTest {

    private static final String CLAIMS = "{\"role\":\"authenticated\",\"app_metadata\":{\"tenant_id\":"
            + "\"0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70\",\"tenant_role\":\"runner\",\"session_id\":"
            + "\"1d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70\"}}";
    private static final String OTHER = "{\"role\":\"service_role\",\"app_metadata\":{\"system_job\":\"x\"}}";

    @Test
    void it_answers_what_auth_jwt_answers_for_every_way_the_claims_are_set() throws Exception {
        // (request.jwt.claim, request.jwt.claims): unset (null), empty, or a document; the legacy single-claim
        // setting wins when both are set, as in auth.jwt().
        List<String> values = Arrays.asList(null, "", CLAIMS, OTHER);
        int compared = 0;
        for (String claim : values) {
            for (String claims : values) {
                try (Connection c = TestDatabase.superuser().getConnection()) {
                    c.setAutoCommit(false);
                    set(c, "request.jwt.claim", claim);
                    set(c, "request.jwt.claims", claims);
                    try (PreparedStatement s = c.prepareStatement(
                            "select interview.jwt()::text, auth.jwt()::text, interview.jwt() is not distinct from"
                                    + " auth.jwt()");
                         ResultSet r = s.executeQuery()) {
                        r.next();
                        assertTrue(r.getBoolean(3), claim + " / " + claims + ": " + r.getString(1) + " vs "
                                + r.getString(2));
                        compared++;
                    } finally {
                        c.rollback();
                    }
                }
            }
        }
        assertEquals(16, compared);
    }

    @Test
    void it_is_inlined_into_the_policies_and_cannot_be_redirected_by_a_search_path() throws Exception {
        try (Connection c = TestDatabase.superuser().getConnection();
             PreparedStatement s = c.prepareStatement("select proconfig is null, prosqlbody is not null, provolatile,"
                     + " prosecdef from pg_proc where oid = 'interview.jwt()'::regprocedure");
             ResultSet r = s.executeQuery()) {
            r.next();
            assertTrue(r.getBoolean(1), "no SET clause (which would keep it from being inlined)");
            assertTrue(r.getBoolean(2), "a SQL-standard body, resolved when created");
            assertEquals("s", r.getString(3), "stable");
            assertFalse(r.getBoolean(4), "not security definer");
        }
        List<String> plan = plan(CLAIMS, "insert into"
                + " interview.transcript_entries (tenant_id, session_id, idempotency_key, speaker, text_ct,"
                + " spoken_at, position, source, status) values ('0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70',"
                + " '1d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70', 'k', 'ai', '\\x00', now(), 0, 'client', 'complete')"
                + " on conflict (session_id, idempotency_key) do nothing returning idempotency_key");
        String text = String.join("\n", plan);
        assertTrue(text.contains("current_setting('request.jwt.claims'"), text);
        assertFalse(text.contains("jwt()"), "every claim read is inlined:\n" + text);
    }

    @Test
    void every_policy_reads_the_claims_through_it_and_a_control_plane_statement_calls_no_function() throws Exception {
        List<String> left = new ArrayList<>();
        int policies = 0;
        try (Connection c = TestDatabase.superuser().getConnection();
             PreparedStatement s = c.prepareStatement("select schemaname || '.' || tablename || '.' || policyname,"
                     + " coalesce(qual, '') || ' ' || coalesce(with_check, '') from pg_policies"
                     + " where schemaname in ('interview', 'interview_keys')");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                policies++;
                if (r.getString(2).contains("auth.jwt()")) {
                    left.add(r.getString(1));
                }
            }
        }
        assertTrue(policies >= 40, "the schema's policies were read: " + policies);
        assertEquals(List.of(), left, "policies still calling auth.jwt() (V27 rewrites them)");

        // A staff member's update of a session (a session's start, the call's record): every claim inlined.
        List<String> plan = plan(CLAIMS.replace("\"runner\"", "\"admin\""), "update interview.interview_sessions"
                + " set status = status where id = '1d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70'");
        String text = String.join("\n", plan);
        assertTrue(text.contains("current_setting('request.jwt.claims'"), text);
        assertFalse(text.contains("jwt()"), "every claim read is inlined:\n" + text);
    }

    /** The verbose plan of {@code statement} under the app's role with {@code claims}, rolled back. */
    private static List<String> plan(String claims, String statement) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (Connection c = TestDatabase.superuser().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("select set_config('role', 'authenticated', true),"
                    + " set_config('request.jwt.claims', ?, true)")) {
                s.setString(1, claims);
                s.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement("explain (verbose, costs off) " + statement);
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    plan.add(r.getString(1));
                }
            } finally {
                c.rollback();
            }
        }
        return plan;
    }

    private static void set(Connection c, String name, String value) throws SQLException {
        if (value == null) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("select set_config(?, ?, true)")) {
            s.setString(1, name);
            s.setString(2, value);
            s.executeQuery().close();
        }
    }
}
