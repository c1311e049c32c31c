package ai.interviewinsights.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.interviewinsights.adapters.supabase.MasterKey;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase.InterviewReport;
import ai.interviewinsights.domain.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17's "a kill -9 in the middle of re-encryption resumes without loss", with a real kill: the operator's
 * {@code keys reencrypt} runs in its own JVM (as {@code bash scripts/run keys reencrypt} does) against a real
 * embedded PostgreSQL, is sent SIGKILL while it is inside a candidate's transaction with some of that candidate's
 * values already re-sealed (uncommitted), then runs again to the end; the old keys are retired and every value reads
 * back unchanged from a fresh app instance.
 *
 * <p>Deterministic without sleeps: before the job starts, the test row-locks one transcript entry of the candidate
 * in the middle of the job's order. The job commits the candidates before it (the checkpoint moves), then blocks
 * inside that candidate's transaction on the locked row, after it has already updated the candidate's name and
 * first entry. The test watches both from the database (the checkpoint row, and a backend blocked by its lock) and
 * only then kills the process, so the kill always lands mid-candidate, never after the job has finished. The
 * database is the test's own (the command reaches it through {@code DATABASE_URL}, the production topology): a
 * killed job leaves the database running, and its abandoned transaction rolls back once its backend finds the
 * client gone.
 */
class ReencryptionKilledMidwayTest {

    private static final AccessScope SYSTEM = AccessScope.system("reencryption-kill-test");
    private static final int CANDIDATES = 40;
    private static final int ENTRIES = 4;
    /** What the job counts per candidate: the candidate row (name and e-mail), each entry, the evaluation. */
    private static final int VALUES_PER_CANDIDATE = 1 + ENTRIES + 1;
    private static final String LOCKED_ENTRY = "item-2";

    private record Written(Candidate candidate, SessionId session, List<TranscriptEntry> transcript,
                           EvaluationResult evaluation) {
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a sanity bound; the run takes well under a minute
    void a_reencryption_killed_with_sigkill_mid_candidate_resumes_from_its_checkpoint_and_loses_nothing()
            throws Exception {
        Path data = Files.createTempDirectory("ii-reencrypt-kill-");
        try {
            killResumeRetireAndReadBack(data);
        } finally {
            deleteTree(data); // a PostgreSQL cluster: tens of megabytes per run
        }
    }

    private static void killResumeRetireAndReadBack(Path data) throws Exception {
        MasterKey master = MasterKey.generate();
        try (SupabaseStore store = SupabaseStore.embedded(data.resolve("postgres"), data, master)) {
            int port = Integer.parseInt(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid"))
                    .get(3).strip());
            String jdbcUrl = "jdbc:postgresql://localhost:" + port + "/postgres";
            String superuserPassword = secret(data, "postgres-postgres-password");
            Map<String, String> env = new HashMap<>(Map.of(
                    "DATA_DIR", data.toString(), "LOG_FORMAT", "text", "HOST", "127.0.0.1", "PORT", "0",
                    "DATABASE_URL", jdbcUrl, "DATABASE_USER", "interview_app",
                    "DATABASE_PASSWORD", secret(data, "postgres-interview_app-password"),
                    "ENCRYPTION_MASTER_KEY", master.export().reveal(),
                    "SESSION_TOKEN_SECRET", "session-token-secret-of-the-reencryption-kill-test",
                    // No instance keeps keys in memory, so old keys may be retired right after the job (the wait
                    // is for other instances' caches: the setting is what every instance and command agree on).
                    "ENCRYPTION_KEY_CACHE_SECONDS", "0"));
            env.put("LOCAL_REALTIME", "off");

            // A tenant with 40 candidates, each with an interview, a transcript and an evaluation: all under key 1.
            TenantId tenant = new TenantId(UUID.randomUUID());
            List<Written> written = seed(store, tenant);
            Map<String, UUID> owners = new HashMap<>();
            Map<String, String> key1;
            try (Connection su = DriverManager.getConnection(jdbcUrl, "postgres", superuserPassword)) {
                key1 = keyIds(su, tenant, owners);
            }
            assertEquals(CANDIDATES * (2 + ENTRIES + 2), key1.size(), "every sealed column of every row");

            String rotated = runToEnd(env, data.resolve("rotate.log"), "keys", "rotate-tenant-key", "--tenant",
                    tenant.toString());
            assertTrue(rotated.contains("key generation 2"), rotated);

            // The job's order is the candidates' ids, byte-wise (as PostgreSQL orders uuids).
            List<UUID> order = written.stream().map(w -> w.candidate().id().value())
                    .sorted(Comparator.comparing(UUID::toString)).toList();
            int killedIn = CANDIDATES / 2;
            UUID victim = order.get(killedIn);
            UUID checkpointBeforeVictim = order.get(killedIn - 1);
            SessionId victimSession = written.stream().filter(w -> w.candidate().id().value().equals(victim))
                    .findFirst().orElseThrow().session();

            Path jobLog = data.resolve("reencrypt-1.log");
            try (Connection locker = DriverManager.getConnection(jdbcUrl, "postgres", superuserPassword);
                 Connection watcher = DriverManager.getConnection(jdbcUrl, "postgres", superuserPassword)) {
                locker.setAutoCommit(false);
                try (PreparedStatement lock = locker.prepareStatement("select 1 from interview.transcript_entries"
                        + " where session_id = ? and idempotency_key = ? for update")) {
                    lock.setObject(1, victimSession.value());
                    lock.setString(2, LOCKED_ENTRY);
                    try (ResultSet rs = lock.executeQuery()) {
                        assertTrue(rs.next(), "the victim's entry exists");
                    }
                }
                int lockerPid = backendPid(locker);

                Process job = operatorCommand(env, jobLog, "keys", "reencrypt", "--tenant", tenant.toString());
                int blockedBackend;
                try {
                    blockedBackend = awaitJobBlockedMidCandidate(watcher, tenant, checkpointBeforeVictim, lockerPid,
                            job, jobLog);
                    assertEquals(0, job.toHandle().descendants().count(), "the command runs in this one process");
                } finally {
                    job.destroyForcibly(); // on Linux: kill(pid, SIGKILL)
                }
                assertTrue(job.waitFor(30, TimeUnit.SECONDS), "the killed job is gone");
                assertEquals(128 + 9, job.exitValue(), "killed by SIGKILL (exit status 128 + 9): " + log(jobLog));

                // Its backend was still waiting inside the candidate's transaction; let it run into the closed
                // connection and roll back.
                locker.rollback();
                awaitGone(watcher, blockedBackend);

                // Exactly the candidates before the victim are done and remembered; the victim's half-done
                // transaction (its name and first entry were re-sealed) left nothing behind.
                assertEquals(Optional.of(checkpointBeforeVictim), checkpoint(watcher, tenant),
                        "the checkpoint is the last committed candidate");
                assertTrue(unfinished(watcher, tenant), "the job is recorded as unfinished");
                Map<String, String> afterKill = keyIds(watcher, tenant, owners);
                assertEquals(key1.keySet(), afterKill.keySet(), "no value lost");
                Set<UUID> done = new HashSet<>(order.subList(0, killedIn));
                afterKill.forEach((what, id) -> {
                    if (done.contains(owners.get(what))) {
                        assertNotEquals(key1.get(what), id, what + " re-encrypted before the kill");
                    } else {
                        assertEquals(key1.get(what), id, what + " untouched: the killed transaction rolled back");
                    }
                });
            }

            // The same command again: it resumes after the checkpoint (the victim included) and finishes.
            String resumed = runToEnd(env, data.resolve("reencrypt-2.log"), "keys", "reencrypt", "--tenant",
                    tenant.toString());
            int remaining = CANDIDATES - killedIn;
            assertTrue(resumed.contains("tenant " + tenant + ": " + remaining + " candidates visited, "
                    + remaining * VALUES_PER_CANDIDATE + " values re-encrypted"),
                    "resumed after the checkpoint, each remaining value sealed once: " + resumed);

            String retired = runToEnd(env, data.resolve("retire.log"), "keys", "retire-old-keys", "--tenant",
                    tenant.toString());
            assertTrue(retired.contains("tenant " + tenant + ": " + (CANDIDATES + 1) + " old keys removed"),
                    "the tenant's and every candidate's key 1: " + retired);

            try (Connection su = DriverManager.getConnection(jdbcUrl, "postgres", superuserPassword)) {
                assertTrue(!unfinished(su, tenant), "the job is finished");
                Map<String, String> key2 = keyIds(su, tenant, owners);
                assertEquals(key1.keySet(), key2.keySet(), "every row and value is still there");
                Map<UUID, Set<String>> perCandidate = new HashMap<>();
                key2.forEach((what, id) -> {
                    assertNotEquals(key1.get(what), id, what + " is under the new key");
                    perCandidate.computeIfAbsent(owners.get(what), c -> new HashSet<>()).add(id);
                });
                perCandidate.forEach((candidate, ids) -> assertEquals(1, ids.size(),
                        "all of candidate " + candidate + "'s values under one key: " + ids));
                assertEquals(0L, count(su, "select count(*) from interview.candidates where tenant_id = ? and"
                        + " (name is not null or email is not null)", tenant.value()), "no plaintext");
                assertEquals(0L, count(su, "select count(*) from interview.transcript_entries where tenant_id = ?"
                        + " and text is not null", tenant.value()), "no plaintext");
                assertEquals(1L, count(su, "select count(*) from interview_keys.tenant_keys where tenant_id = ?"
                        + " and generation = 2", tenant.value()));
            }

            // A fresh app instance, holding nothing in memory, reads every value back exactly as it was written:
            // only key 2 is left, so a value that was lost, re-sealed twice or left under key 1 would not.
            try (ControlPlaneApp fresh = ControlPlaneApp.start(env)) {
                Principal admin = Principal.staff(tenant, new UserId(UUID.randomUUID()), Role.ADMIN);
                assertEquals(written.stream().map(Written::candidate).collect(java.util.stream.Collectors.toSet()),
                        new HashSet<>(fresh.services().candidates().candidates(admin)));
                for (Written w : written) {
                    InterviewReport report = fresh.services().interviewReport().report(admin, w.session());
                    assertEquals(w.candidate(), report.candidate());
                    assertEquals(w.transcript(), report.transcript());
                    assertEquals(Optional.of(w.evaluation()), report.evaluation());
                }
            }
        }
    }

    // ---- the data -------------------------------------------------------------------------------------------------

    private static List<Written> seed(SupabaseStore store, TenantId tenant) {
        store.tenants().save(SYSTEM, new Tenant(tenant, "Kill Minus Nine Ltd"));
        Position position = Fixtures.position(new PositionId(UUID.randomUUID()), tenant);
        store.positions().save(SYSTEM, position);
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < CANDIDATES; i++) {
            String tag = i + "-" + UUID.randomUUID().toString().substring(0, 8);
            Candidate candidate = new Candidate(new CandidateId(UUID.randomUUID()), tenant, "Kira Resumé " + tag,
                    "kira." + tag + "@example.org");
            store.candidates().save(SYSTEM, candidate);
            InterviewSession session = store.sessions().save(SYSTEM, InterviewSession.start(
                    new SessionId(UUID.randomUUID()), tenant, candidate.id(), position.id(), Fixtures.settings(),
                    SessionOrigin.STAFF, new UserId(UUID.randomUUID()), clock));
            List<TranscriptEntry> transcript = new ArrayList<>();
            for (int e = 1; e <= ENTRIES; e++) {
                transcript.add(Fixtures.entry(session.id(), "item-" + e, e - 1,
                        e % 2 == 1 ? Speaker.AI : Speaker.CANDIDATE,
                        "Turn " + e + " of interview " + tag + ": the checkpoint survived the crash, Grüße"));
            }
            store.transcripts().append(SYSTEM, tenant, session.id(), transcript);
            Evaluation evaluation = new Evaluation(session.id(), List.of(new CompetencyScore("Resilience", 4,
                    "Resumed a killed job calmly " + tag,
                    List.of(new EvidenceQuote(IdempotencyKey.of("item-2"), "the checkpoint survived")))),
                    Recommendation.HIRE, "Steady under failure " + tag, "gpt-test", "v1");
            EvaluationResult result = EvaluationResult.succeeded(new EvaluationRef(UUID.randomUUID()), evaluation,
                    clock.instant());
            store.evaluations().save(SYSTEM, tenant, result);
            written.add(new Written(candidate, session.id(), List.copyOf(transcript), result));
        }
        return written;
    }

    /**
     * Every sealed column of every row of the tenant, with the Tink key id its ciphertext names (bytes 1-4 of the
     * Tink prefix), read as the superuser; {@code owners} learns which candidate each value belongs to.
     */
    private static Map<String, String> keyIds(Connection su, TenantId tenant, Map<String, UUID> owners)
            throws SQLException {
        Map<String, String> ids = new TreeMap<>();
        try (PreparedStatement query = su.prepareStatement("""
                select 'candidate ' || c.id || ' name' as what, c.id as owner, c.name_ct as ct
                    from interview.candidates c where c.tenant_id = ?
                union all select 'candidate ' || c.id || ' email', c.id, c.email_ct
                    from interview.candidates c where c.tenant_id = ?
                union all select 'entry ' || e.session_id || ' ' || e.idempotency_key, s.candidate_id, e.text_ct
                    from interview.transcript_entries e join interview.interview_sessions s on s.id = e.session_id
                    where e.tenant_id = ?
                union all select 'summary ' || v.id, s.candidate_id, v.summary_ct
                    from interview.evaluations v join interview.interview_sessions s on s.id = v.session_id
                    where v.tenant_id = ?
                union all select 'scores ' || v.id, s.candidate_id, v.scores_ct
                    from interview.evaluations v join interview.interview_sessions s on s.id = v.session_id
                    where v.tenant_id = ?""")) {
            for (int i = 1; i <= 5; i++) {
                query.setObject(i, tenant.value());
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    byte[] ct = rs.getBytes("ct");
                    String what = rs.getString("what");
                    assertTrue(ct != null && ct.length > 5 && ct[0] == 1, what + " is a Tink ciphertext");
                    ids.put(what, java.util.HexFormat.of().formatHex(ct, 1, 5));
                    owners.put(what, rs.getObject("owner", UUID.class));
                }
            }
        }
        return ids;
    }

    // ---- watching the job from the database -----------------------------------------------------------------------

    /**
     * Waits until a backend is blocked by the test's lock (the job, inside the victim's transaction), checks that
     * the checkpoint then names the candidate before the victim, and returns that backend's pid. Polls; no fixed
     * sleep decides anything.
     */
    private static int awaitJobBlockedMidCandidate(Connection watcher, TenantId tenant, UUID expectedCheckpoint,
                                                   int lockerPid, Process job, Path jobLog) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!job.isAlive()) {
                fail("the job ended before it could be killed (status " + job.exitValue() + "): " + log(jobLog));
            }
            try (PreparedStatement blocked = watcher.prepareStatement("select pid, query from pg_stat_activity"
                    + " where ? = any(pg_catalog.pg_blocking_pids(pid))")) {
                blocked.setInt(1, lockerPid);
                try (ResultSet rs = blocked.executeQuery()) {
                    if (rs.next()) {
                        assertTrue(rs.getString("query").contains("update interview.transcript_entries"),
                                "the job waits on the victim's entry: " + rs.getString("query"));
                        // Read once the job is seen blocked (it cannot move on): the previous candidate's commit
                        // precedes the victim's transaction, so its checkpoint is there, and no later one.
                        assertEquals(Optional.of(expectedCheckpoint), checkpoint(watcher, tenant),
                                "inside the victim's transaction, the checkpoint names the candidate before it");
                        return rs.getInt("pid");
                    }
                }
            }
            Thread.sleep(10);
        }
        fail("the job never reached the victim's transaction; checkpoint " + checkpoint(watcher, tenant) + "; "
                + log(jobLog));
        return -1;
    }

    private static void awaitGone(Connection watcher, int backend) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(watcher, "select count(*) from pg_stat_activity where pid = ?", backend) > 0) {
            assertTrue(System.nanoTime() < deadline, "the killed job's backend ends once it finds its client gone");
            Thread.sleep(10);
        }
    }

    private static Optional<UUID> checkpoint(Connection su, TenantId tenant) throws SQLException {
        try (PreparedStatement query = su.prepareStatement(
                "select last_candidate_id from interview_keys.rotation_jobs where tenant_id = ?")) {
            query.setObject(1, tenant.value());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static boolean unfinished(Connection su, TenantId tenant) throws SQLException {
        return count(su, "select count(*) from interview_keys.rotation_jobs where tenant_id = ? and generation = 2"
                + " and finished_at is null", tenant.value()) == 1;
    }

    private static long count(Connection su, String sql, Object parameter) throws SQLException {
        try (PreparedStatement query = su.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select pg_catalog.pg_backend_pid()");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---- the operator command in its own JVM ----------------------------------------------------------------------

    /** {@code bash scripts/run <args>} minus the build: the app's main class, in a JVM of its own. */
    private static Process operatorCommand(Map<String, String> env, Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "ai.interviewinsights.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Runs an operator command in its own JVM to the end; it must succeed. */
    private static String runToEnd(Map<String, String> env, Path output, String... args) throws Exception {
        Process process = operatorCommand(env, output, args);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", args) + " did not finish: " + log(output));
        }
        assertEquals(0, process.exitValue(), String.join(" ", args) + ": " + log(output));
        return log(output);
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no output)";
        } catch (java.io.IOException e) {
            return "(unreadable output: " + e + ")";
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String secret(Path data, String name) throws java.io.IOException {
        return Files.readString(data.resolve(name), StandardCharsets.UTF_8).strip();
    }
}
