package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** What the database holds of personal data: ciphertext only, each bound to its row, tenant and session. */
class EncryptionAtRestTest {

    private final SupabaseStore store = TestDatabase.store();

    @Test
    void no_column_of_any_row_holds_the_plaintext_of_an_encrypted_field_and_the_app_reads_it_all_back() {
        TenantId tenant = PersonalData.newTenant(store);
        PersonalData first = PersonalData.create(store, tenant, Instant.now());
        PersonalData second = PersonalData.create(store, tenant, Instant.now());

        List<String> rows = RawRows.all(TestDatabase.superuser());
        assertTrue(rows.stream().anyMatch(r -> r.contains(first.candidate().id().value().toString())),
                "the dump does see the candidate's row (ids stay in clear)");
        List<String> hits = new ArrayList<>();
        for (PersonalData data : List.of(first, second)) {
            assertEquals(8, data.secrets().size());
            for (String secret : data.secrets()) {
                RawRows.containing(rows, secret).forEach(row -> hits.add(secret + " in " + row));
            }
        }
        assertEquals(List.of(), hits, "plaintext found in raw rows");

        AccessScope staff = AccessScope.of(Fixtures.interviewer(tenant));
        for (PersonalData data : List.of(first, second)) {
            assertEquals(data.candidate(), store.candidates().find(staff, data.candidate().id()).orElseThrow());
            assertEquals(data.candidate().name(), store.candidates().find(staff, data.candidate().id())
                    .orElseThrow().name());
            assertEquals(data.candidate().email(), store.candidates().find(staff, data.candidate().id())
                    .orElseThrow().email());
            assertEquals(data.transcript(), store.transcripts().read(staff, tenant, data.session()));
            assertEquals(data.evaluation(), store.evaluations().findLatest(staff, tenant, data.session())
                    .orElseThrow());
        }
        assertEquals(List.of(first.candidate().name(), second.candidate().name()).stream().sorted().toList(),
                store.candidates().list(staff).stream().map(c -> c.name()).toList(), "listed by name");
    }

    @Test
    void a_ciphertext_moved_to_another_row_session_or_tenant_does_not_decrypt_and_says_so() {
        TenantId tenant = PersonalData.newTenant(store);
        PersonalData a = PersonalData.create(store, tenant, Instant.now());
        PersonalData b = PersonalData.create(store, tenant, Instant.now());
        TenantId otherTenant = PersonalData.newTenant(store);
        PersonalData c = PersonalData.create(store, otherTenant, Instant.now());
        Jdbi superuser = Jdbi.create(TestDatabase.superuser());

        // Another row of the same session: item-1's text pasted over item-3's.
        superuser.useHandle(h -> h.createUpdate("""
                        update interview.transcript_entries set text_ct = (select text_ct
                            from interview.transcript_entries where session_id = :s and idempotency_key = 'item-1')
                        where session_id = :s and idempotency_key = 'item-3'""")
                .bind("s", a.session().value()).execute());
        assertUndecryptable(() -> store.transcripts().read(AccessScope.of(Fixtures.admin(tenant)), tenant,
                a.session()));

        // Another session (and candidate) of the same tenant, same idempotency key.
        superuser.useHandle(h -> h.createUpdate("""
                        update interview.transcript_entries set text_ct = (select text_ct
                            from interview.transcript_entries where session_id = :from and idempotency_key = 'item-2')
                        where session_id = :to and idempotency_key = 'item-2'""")
                .bind("from", c.session().value()).bind("to", c.session().value()).execute());
        superuser.useHandle(h -> h.createUpdate("""
                        update interview.evaluations set summary_ct = (select summary_ct
                            from interview.evaluations where session_id = :from)
                        where session_id = :to""")
                .bind("from", a.session().value()).bind("to", b.session().value()).execute());
        assertUndecryptable(() -> store.evaluations().findLatest(AccessScope.of(Fixtures.admin(tenant)), tenant,
                b.session()));

        // Another tenant: tenant A's candidate name pasted into tenant B's candidate row.
        superuser.useHandle(h -> h.createUpdate("""
                        update interview.candidates set name_ct = (select name_ct from interview.candidates
                            where id = :from)
                        where id = :to""")
                .bind("from", a.candidate().id().value()).bind("to", c.candidate().id().value()).execute());
        assertUndecryptable(() -> store.candidates().find(AccessScope.of(Fixtures.admin(otherTenant)),
                c.candidate().id()));

        // What was not touched still reads.
        assertEquals(c.transcript(), store.transcripts().read(AccessScope.of(Fixtures.admin(otherTenant)),
                otherTenant, c.session()));
        assertEquals(a.candidate(), store.candidates().find(AccessScope.of(Fixtures.admin(tenant)),
                a.candidate().id()).orElseThrow());
    }

    private static void assertUndecryptable(org.junit.jupiter.api.function.Executable read) {
        DomainException e = assertThrows(DomainException.class, read);
        assertEquals("crypto.undecryptable", e.code());
        assertEquals(ErrorKind.UPSTREAM_FAILED, e.kind());
        assertFalse(e.getMessage().contains("Zelda"), e.getMessage());
    }
}
