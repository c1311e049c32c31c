package ai.interviewinsights.adapters.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Key rotation without downtime: tenant keys with a resumable re-encryption job, and the master key. */
class KeyRotationTest {

    private static final AccessScope SYSTEM = AccessScope.system("key-rotation-test");

    /** A clock the test moves forward (the wait before old keys may be retired). */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private static final class InjectedCrash extends RuntimeException {
        InjectedCrash() {
            super("injected crash");
        }
    }

    private final SupabaseStore store = TestDatabase.store();
    private final Jdbi superuser = Jdbi.create(TestDatabase.superuser());

    /** Each stored ciphertext of the tenant with the Tink key id it was written under. */
    private Map<String, Long> keyIds(TenantId tenant) {
        return superuser.withHandle(h -> {
            Map<String, Long> ids = new java.util.TreeMap<>();
            h.createQuery("""
                            select 'candidate ' || id || ' name' as what, name_ct as ct from interview.candidates
                                where tenant_id = :t
                            union all select 'candidate ' || id || ' email', email_ct from interview.candidates
                                where tenant_id = :t
                            union all select 'entry ' || session_id || ' ' || idempotency_key, text_ct
                                from interview.transcript_entries where tenant_id = :t
                            union all select 'summary ' || id, summary_ct from interview.evaluations where tenant_id = :t
                            union all select 'scores ' || id, scores_ct from interview.evaluations where tenant_id = :t""")
                    .bind("t", tenant.value())
                    .map((rs, ctx) -> Map.entry(rs.getString("what"), FieldCipher.keyIdOf(rs.getBytes("ct"))))
                    .forEach(e -> ids.put(e.getKey(), e.getValue()));
            return ids;
        });
    }

    private static boolean belongsTo(String what, PersonalData data) {
        return what.contains(data.candidate().id().value().toString())
                || what.contains(data.session().value().toString())
                || what.contains(data.evaluation().ref().value().toString());
    }

    private long primaryOf(TenantId tenant, PersonalData data) {
        return store.transactions().inScope(SYSTEM, h -> Integer.toUnsignedLong(store.keyVault()
                .candidateKey(h, tenant.value(), data.candidate().id().value()).keyset().getPrimary().getId()));
    }

    private void assertReadable(SupabaseStore from, TenantId tenant, PersonalData data, List<TranscriptEntry> entries) {
        AccessScope staff = AccessScope.of(Fixtures.interviewer(tenant));
        assertEquals(data.candidate(), from.candidates().find(staff, data.candidate().id()).orElseThrow());
        assertEquals(entries, from.transcripts().read(staff, tenant, data.session()));
        assertEquals(data.evaluation(), from.evaluations().findLatest(staff, tenant, data.session()).orElseThrow());
    }

    @Test
    void write_rotate_write_reencrypt_through_crashes_retire_and_everything_still_reads() {
        TenantId tenant = PersonalData.newTenant(store);
        PersonalData first = PersonalData.create(store, tenant, Instant.now());
        PersonalData third = PersonalData.create(store, tenant, Instant.now());
        long firstKey1 = primaryOf(tenant, first);
        assertTrue(keyIds(tenant).entrySet().stream().filter(e -> belongsTo(e.getKey(), first))
                .allMatch(e -> e.getValue() == firstKey1), "all under key 1");

        MovableClock clock = new MovableClock();
        AtomicInteger crashAfter = new AtomicInteger(Integer.MAX_VALUE);
        KeyRotation rotation = new KeyRotation(store.transactions(), store.keyVault(), clock, (candidate, field) -> {
            if (crashAfter.decrementAndGet() == 0) {
                throw new InjectedCrash();
            }
        });
        assertEquals(2, rotation.rotateTenant(tenant.value()));

        // Written under key 2: a new candidate, and a new entry of the first candidate's interview.
        PersonalData second = PersonalData.create(store, tenant, Instant.now());
        TranscriptEntry late = Fixtures.entry(first.session(), "item-4", 3, Speaker.CANDIDATE,
                "Written after the rotation " + UUID.randomUUID());
        store.transcripts().append(SYSTEM, tenant, first.session(), List.of(late));
        List<TranscriptEntry> firstEntries = new ArrayList<>(first.transcript());
        firstEntries.add(late);
        long firstKey2 = primaryOf(tenant, first);
        assertNotEquals(firstKey1, firstKey2);
        Map<String, Long> mixed = keyIds(tenant);
        assertEquals(firstKey2, mixed.get("entry " + first.session().value() + " item-4"), "new writes: new key");
        assertEquals(firstKey1, mixed.get("entry " + first.session().value() + " item-1"), "old rows: old key");
        assertReadable(store, tenant, first, firstEntries);
        assertReadable(store, tenant, second, second.transcript());

        // The job crashes in the middle of its first candidate: that candidate's transaction rolls back whole.
        // (first and third need 5 values re-sealed each: name and e-mail, 3 entries, 1 evaluation; second none.)
        List<UUID> order = new ArrayList<>(List.of(first.candidate().id().value(), second.candidate().id().value(),
                third.candidate().id().value()));
        order.sort(java.util.Comparator.comparing(UUID::toString)); // PostgreSQL orders uuids byte-wise
        List<UUID> needingWork = order.stream().filter(id -> !id.equals(second.candidate().id().value())).toList();
        UUID crashedIn = needingWork.get(1);
        UUID expectedCheckpoint = order.get(order.indexOf(crashedIn) - 1);
        crashAfter.set(2);
        assertThrows(InjectedCrash.class, () -> rotation.reencrypt(tenant.value()));
        assertEquals(mixed, keyIds(tenant), "nothing half-done survives the crash");
        assertReadable(store, tenant, first, firstEntries);

        // It resumes; crashes again within the second candidate, after the first was committed.
        crashAfter.set(5 + 1);
        assertThrows(InjectedCrash.class, () -> rotation.reencrypt(tenant.value()));
        Long checkpoint = superuser.withHandle(h -> h.createQuery(
                        "select count(*) from interview_keys.rotation_jobs where tenant_id = :t"
                                + " and last_candidate_id = :c and finished_at is null")
                .bind("t", tenant.value()).bind("c", expectedCheckpoint).mapTo(Long.class).one());
        assertEquals(1L, checkpoint, () -> "the first candidate is done and remembered; order " + order + " first "
                + first.candidate().id() + " second " + second.candidate().id() + " jobs " + superuser.withHandle(h -> h
                .createQuery("select row_to_json(j)::text from interview_keys.rotation_jobs j where tenant_id = :t")
                .bind("t", tenant.value()).mapTo(String.class).list()));

        // Resumed to the end: every value is under its candidate's newest key.
        crashAfter.set(Integer.MAX_VALUE);
        KeyRotation.Report report = rotation.reencrypt(tenant.value());
        assertTrue(report.finished());
        assertEquals(order.size() - 1 - order.indexOf(expectedCheckpoint), report.candidates(),
                "resumed after the checkpoint, not from the start");
        Map<String, Long> after = keyIds(tenant);
        assertEquals(mixed.keySet(), after.keySet());
        for (PersonalData data : List.of(first, second, third)) {
            long newest = primaryOf(tenant, data);
            after.forEach((what, id) -> {
                if (belongsTo(what, data)) {
                    assertEquals(newest, id, what);
                }
            });
        }
        assertReadable(store, tenant, third, third.transcript());

        // Retiring waits for other instances' key caches, then removes key 1 everywhere.
        assertEquals("crypto.retire_too_early", assertThrows(DomainException.class,
                () -> rotation.retire(tenant.value())).code());
        clock.advance(SupabaseStore.KEY_CACHE_TTL.plusSeconds(1));
        assertEquals(3, rotation.retire(tenant.value()), "the tenant's and each older candidate's old key");
        Set<Integer> sizes = new HashSet<>();
        store.transactions().inScope(SYSTEM, h -> {
            sizes.add(store.keyVault().tenantKey(h, tenant.value()).keyset().size());
            sizes.add(store.keyVault().candidateKey(h, tenant.value(), first.candidate().id().value()).keyset().size());
            sizes.add(store.keyVault().candidateKey(h, tenant.value(), second.candidate().id().value()).keyset()
                    .size());
            return null;
        });
        assertEquals(Set.of(1), sizes, "only the newest keys are left");
        assertReadable(store, tenant, first, firstEntries);
        assertReadable(store, tenant, second, second.transcript());
        try (SupabaseStore fresh = SupabaseStore.connect(store.embeddedDatabase().jdbcUrl(),
                EmbeddedDatabase.APP_ROLE, store.embeddedDatabase().appPassword(), TestKeys.master(),
                SupabaseStore.Options.defaults().withMaximumPoolSize(1))) {
            assertReadable(fresh, tenant, first, firstEntries);
            assertReadable(fresh, tenant, second, second.transcript());
        }
    }

    @Test
    void a_rotation_nobody_finished_is_finished_by_the_background_job() {
        TenantId tenant = PersonalData.newTenant(store);
        PersonalData person = PersonalData.create(store, tenant, Instant.now());
        store.keys().rotateTenantKey(tenant);
        List<ai.interviewinsights.adapters.supabase.KeyManagement.Reencryption> done = store.keys().resumeUnfinished();
        assertTrue(done.stream().anyMatch(r -> r.tenant().equals(tenant) && r.values() == 5), done.toString());
        assertTrue(store.keys().resumeUnfinished().stream().noneMatch(r -> r.tenant().equals(tenant)),
                "finished: nothing left to resume");
        long newest = primaryOf(tenant, person);
        assertTrue(keyIds(tenant).values().stream().allMatch(id -> id == newest));
        assertReadable(store, tenant, person, person.transcript());
    }

    @Test
    void the_master_key_rotates_tenant_keys_are_rewrapped_and_the_old_master_key_can_go() throws Exception {
        Path data = Files.createTempDirectory("interview-master-rotation-");
        MasterKey first = MasterKey.generate();
        TenantId tenant;
        PersonalData person;
        try (SupabaseStore original = SupabaseStore.embedded(data.resolve("db"), first)) {
            tenant = PersonalData.newTenant(original);
            person = PersonalData.create(original, tenant, Instant.now());
        }
        MasterKey both = first.rotated();
        assertEquals(2, both.keyIds().size());
        try (SupabaseStore rotated = SupabaseStore.embedded(data.resolve("db"), both)) {
            assertReadable(rotated, tenant, person, person.transcript());
            assertEquals(List.of(first.primaryKeyId()), rotated.keys().masterKeyIdsInUse());
            assertEquals(1, rotated.keys().rewrapTenantKeys());
            assertEquals(List.of(both.primaryKeyId()), rotated.keys().masterKeyIdsInUse());
            assertEquals(0, rotated.keys().rewrapTenantKeys(), "resumable: nothing left to re-wrap");
        }
        MasterKey onlyNew = both.withoutRetiredKeys();
        assertEquals(List.of(both.primaryKeyId()), onlyNew.keyIds());
        try (SupabaseStore retired = SupabaseStore.embedded(data.resolve("db"), onlyNew)) {
            assertReadable(retired, tenant, person, person.transcript());
        }
        try (SupabaseStore old = SupabaseStore.embedded(data.resolve("db"), first)) {
            assertEquals("crypto.master_key_mismatch", assertThrows(DomainException.class,
                    () -> old.candidates().find(AccessScope.of(Fixtures.admin(tenant)), person.candidate().id()))
                    .code());
        }
    }
}
