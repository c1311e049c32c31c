package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.erasure.ErasedRecords;
import ai.interviewinsights.domain.model.erasure.RetentionDue;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Crypto-shredding on a real PostgreSQL: a copy of the data rows taken before a candidate's erasure, restored
 * afterwards, no longer decrypts for that candidate, while the other candidates in it still read.
 */
class ErasureSurvivesBackupsTest {

    /** The data tables, parents first (the order a restore inserts them in). */
    private static final List<String> DATA_TABLES = List.of("candidates", "interview_sessions", "transcript_entries",
            "evaluations", "invites");

    private final SupabaseStore store = TestDatabase.store();
    private final Jdbi superuser = Jdbi.create(TestDatabase.superuser());

    /** A backup of the tenant's data rows (the key schema is backed up apart, as docs/security.md asks). */
    private Map<String, List<String>> dump(TenantId tenant) {
        return superuser.withHandle(h -> {
            Map<String, List<String>> rows = new java.util.LinkedHashMap<>();
            for (String table : DATA_TABLES) {
                rows.put(table, h.createQuery("select row_to_json(t)::text from interview." + table
                                + " t where tenant_id = :t")
                        .bind("t", tenant.value()).mapTo(String.class).list());
            }
            return rows;
        });
    }

    private void restore(Map<String, List<String>> dump) {
        superuser.useHandle(h -> dump.forEach((table, rows) -> rows.forEach(json -> h.createUpdate(
                        "insert into interview." + table + " select * from json_populate_record(null::interview."
                                + table + ", cast(:row as json)) on conflict do nothing")
                .bind("row", json).execute())));
    }

    @Test
    void a_dump_taken_before_the_erasure_no_longer_decrypts_for_the_erased_candidate_and_still_does_for_others() {
        TenantId tenant = PersonalData.newTenant(store);
        PersonalData erased = PersonalData.create(store, tenant, Instant.now());
        PersonalData kept = PersonalData.create(store, tenant, Instant.now());
        Map<String, List<String>> backup = dump(tenant);
        assertEquals(2, backup.get("candidates").size());

        // The tenant wall: an interviewer cannot erase, another tenant's admin erases nothing.
        assertEquals("forbidden", assertThrows(DomainException.class, () -> store.erasure().erase(
                AccessScope.of(Fixtures.interviewer(tenant)), tenant, erased.candidate().id())).code());
        TenantId other = PersonalData.newTenant(store);
        assertEquals(new ErasedRecords(0, 0, 0, 0, 0, 0), store.erasure().erase(
                AccessScope.of(Fixtures.admin(other)), tenant, erased.candidate().id()));
        assertEquals(erased.candidate(), store.candidates().find(AccessScope.of(Fixtures.admin(tenant)),
                erased.candidate().id()).orElseThrow(), "nothing was erased by the refused attempts");

        ErasedRecords records = store.erasure().erase(AccessScope.of(Fixtures.admin(tenant)), tenant,
                erased.candidate().id());
        assertEquals(new ErasedRecords(1, 1, 3, 1, 0, 1), records);
        AccessScope admin = AccessScope.of(Fixtures.admin(tenant));
        assertTrue(store.candidates().find(admin, erased.candidate().id()).isEmpty());
        assertTrue(store.sessions().find(admin, erased.session()).isEmpty());
        assertEquals(List.of(), store.transcripts().read(admin, tenant, erased.session()));

        restore(backup);
        assertTrue(store.sessions().find(admin, erased.session()).isPresent(), "the backup's rows are back");
        assertEquals("crypto.undecryptable", assertThrows(DomainException.class,
                () -> store.candidates().find(admin, erased.candidate().id())).code());
        assertEquals("crypto.undecryptable", assertThrows(DomainException.class,
                () -> store.transcripts().read(admin, tenant, erased.session())).code());
        assertEquals("crypto.undecryptable", assertThrows(DomainException.class,
                () -> store.evaluations().findLatest(admin, tenant, erased.session())).code());
        // A fresh store (no key in memory) reads the others from the same backup.
        try (SupabaseStore fresh = SupabaseStore.connect(store.embeddedDatabase().jdbcUrl(),
                EmbeddedDatabase.APP_ROLE, store.embeddedDatabase().appPassword(), TestKeys.master(),
                SupabaseStore.Options.defaults().withMaximumPoolSize(1))) {
            assertEquals(kept.candidate(), fresh.candidates().find(admin, kept.candidate().id()).orElseThrow());
            assertEquals(kept.transcript(), fresh.transcripts().read(admin, tenant, kept.session()));
            assertEquals(kept.evaluation(), fresh.evaluations().findLatest(admin, tenant, kept.session())
                    .orElseThrow());
            assertEquals("crypto.undecryptable", assertThrows(DomainException.class,
                    () -> fresh.transcripts().read(admin, tenant, erased.session())).code());
        }
        // The admin erases the restored leftovers again through the use case (they exist, though they no longer
        // decrypt), and they are gone for good.
        java.time.Clock clock = java.time.Clock.systemUTC();
        ai.interviewinsights.domain.service.InterviewServices services = ai.interviewinsights.domain.service
                .InterviewServices.create(new ai.interviewinsights.domain.service.InterviewPorts(store.tenants(),
                        store.positions(), store.candidates(), store.sessions(), store.transcripts(), store.invites(),
                        store.evaluations(), store.audit(), store.consents(), new ai.interviewinsights.domain.testing.FakeRealtimeGateway(
                                clock), new ai.interviewinsights.domain.testing.FakeRunnerProvisioner(clock),
                        Optional.empty(), new ai.interviewinsights.domain.testing.FakeEvaluationGenerator(),
                        new ai.interviewinsights.domain.testing.FakeSessionTokens(clock), new RandomIdsForTest(), clock,
                        store.erasure()), ai.interviewinsights.domain.service.InterviewPolicies.defaults());
        assertEquals(1, services.eraseCandidate().erase(Fixtures.admin(tenant), erased.candidate().id()).records()
                .candidates());
        assertTrue(store.sessions().find(admin, erased.session()).isEmpty());
    }

    @Test
    void retention_finds_exactly_the_candidates_whose_last_interview_ended_longer_ago_than_the_setting() {
        TenantId tenant = PersonalData.newTenant(store);
        Instant now = Instant.now();
        PersonalData old = PersonalData.create(store, tenant, now.minus(Duration.ofDays(200)));
        PersonalData recent = PersonalData.create(store, tenant, now.minus(Duration.ofDays(200)));
        PersonalData running = PersonalData.create(store, tenant, now.minus(Duration.ofDays(200)));
        end(old, now.minus(Duration.ofDays(180)).minusSeconds(60));
        end(recent, now.minus(Duration.ofDays(180)).plusSeconds(60));
        AccessScope retention = AccessScope.system("retention");
        assertEquals(List.of(), due(retention, tenant, now), "no retention set: nothing is due");

        store.erasure().setRetentionDays(retention, tenant, Optional.of(180));
        assertEquals(Optional.of(180), store.erasure().retentionDays(retention, tenant));
        assertEquals(List.of(old.candidate().id()), due(retention, tenant, now).stream()
                .map(RetentionDue::candidate).toList());
        assertEquals(List.of(old.candidate().id(), recent.candidate().id()),
                due(retention, tenant, now.plusSeconds(120)).stream().map(RetentionDue::candidate).toList());
        assertTrue(due(retention, tenant, now.plus(Duration.ofDays(400))).stream()
                .noneMatch(d -> d.candidate().equals(running.candidate().id())), "a running interview is kept");
        assertEquals("forbidden", assertThrows(DomainException.class, () -> store.erasure().setRetentionDays(
                AccessScope.of(Fixtures.admin(tenant)), tenant, Optional.of(1))).code());
    }

    /** Random ids, as the app's own generator makes them. */
    private static final class RandomIdsForTest implements ai.interviewinsights.domain.port.out.IdGenerator {
        @Override
        public java.util.UUID newId() {
            return java.util.UUID.randomUUID();
        }

        @Override
        public String newToken() {
            return java.util.UUID.randomUUID().toString().replace("-", "");
        }
    }

    private List<RetentionDue> due(AccessScope scope, TenantId tenant, Instant now) {
        List<RetentionDue> out = new ArrayList<>();
        store.erasure().dueForRetention(scope, now, 1000).stream().filter(d -> d.tenant().equals(tenant))
                .forEach(out::add);
        return out;
    }

    private void end(PersonalData data, Instant endedAt) {
        superuser.useHandle(h -> h.createUpdate("update interview.interview_sessions set status = 'cancelled',"
                        + " ended_at = :at, updated_at = :at where id = :id")
                .bind("at", endedAt.atOffset(java.time.ZoneOffset.UTC)).bind("id", data.session().value()).execute());
    }
}
