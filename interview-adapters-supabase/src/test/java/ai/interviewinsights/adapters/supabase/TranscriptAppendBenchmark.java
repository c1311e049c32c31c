package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.runner.RunnerName;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import ai.interviewinsights.domain.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Transcript append throughput on the embedded PostgreSQL 17, both ways in one run: batched idempotent inserts
 * (one statement per batch of {@code --batch} entries) and one entry per transaction; then the same batches sent
 * again (all duplicates). Each write runs as the session's runner, through row-level security, as in production.
 *
 * <pre>
 * mvn -B -pl interview-adapters-supabase -am verify -DskipTests -Pbenchmark
 * mvn ... -Pbenchmark -Dbenchmark.args="--entries 200000 --batch 500 --single 5000"
 * </pre>
 */
public final class TranscriptAppendBenchmark {

    private static final AccessScope SYSTEM = AccessScope.system("benchmark");

    private TranscriptAppendBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int entries = intArg(args, "--entries", 100_000);
        int batch = intArg(args, "--batch", 500);
        int single = intArg(args, "--single", 5_000);
        Path data = Files.createTempDirectory("interview-transcript-benchmark-");
        try (SupabaseStore store = SupabaseStore.embedded(data.resolve("db"), TestKeys.master())) {
            TenantId tenant = new TenantId(UUID.randomUUID());
            store.tenants().save(SYSTEM, new Tenant(tenant, "Benchmark"));
            TranscriptRepository transcripts = store.transcripts();

            // Warm up JIT, pool and plan caches on a session of its own.
            InterviewSession warm = liveSession(store, tenant);
            runBatched(transcripts, tenant, warm.id(), entries(warm.id(), 20_000), batch);
            runSingle(transcripts, tenant, warm.id(), entries(warm.id(), 1_000).subList(0, 1_000));

            InterviewSession batched = liveSession(store, tenant);
            List<TranscriptEntry> batchedEntries = entries(batched.id(), entries);
            double batchedRate = runBatched(transcripts, tenant, batched.id(), batchedEntries, batch);
            double duplicateRate = runBatched(transcripts, tenant, batched.id(), batchedEntries, batch);

            InterviewSession oneByOne = liveSession(store, tenant);
            double singleRate = runSingle(transcripts, tenant, oneByOne.id(), entries(oneByOne.id(), single));

            long stored = transcripts.read(SYSTEM, tenant, batched.id()).size();
            if (stored != entries) {
                throw new IllegalStateException("expected " + entries + " stored entries, found " + stored);
            }
            System.out.println();
            System.out.println("Transcript append on embedded PostgreSQL 17, runner scope under RLS, "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            System.out.printf(Locale.ROOT, "  batched idempotent insert (%d entries, batches of %d): %,.0f entries/s%n",
                    entries, batch, batchedRate);
            System.out.printf(Locale.ROOT, "  same batches again (all duplicates):                     %,.0f entries/s%n",
                    duplicateRate);
            System.out.printf(Locale.ROOT, "  one entry per transaction (%d entries):                 %,.0f entries/s%n",
                    single, singleRate);
            System.out.printf(Locale.ROOT, "  batched / single: %.1fx%n", batchedRate / singleRate);
        }
    }

    private static double runBatched(TranscriptRepository transcripts, TenantId tenant, SessionId session,
                                     List<TranscriptEntry> entries, int batch) {
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(tenant, session));
        long started = System.nanoTime();
        long answered = 0;
        for (int i = 0; i < entries.size(); i += batch) {
            AppendResult result = transcripts.append(runner, tenant, session,
                    entries.subList(i, Math.min(entries.size(), i + batch)));
            answered += result.stored().size() + result.duplicates().size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (answered != entries.size()) {
            throw new IllegalStateException("lost acknowledgements");
        }
        return entries.size() / seconds;
    }

    private static double runSingle(TranscriptRepository transcripts, TenantId tenant, SessionId session,
                                    List<TranscriptEntry> entries) {
        AccessScope runner = AccessScope.of(Fixtures.runnerPrincipal(tenant, session));
        long started = System.nanoTime();
        for (TranscriptEntry entry : entries) {
            transcripts.append(runner, tenant, session, List.of(entry));
        }
        return entries.size() / ((System.nanoTime() - started) / 1e9);
    }

    private static List<TranscriptEntry> entries(SessionId session, int count) {
        Instant start = Instant.parse("2026-11-22T10:00:00Z");
        List<TranscriptEntry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // About the length of a spoken turn.
            String text = "Turn " + i + ": I would put an idempotency key on every message and retry with backoff,"
                    + " because the network between the browser and the runner will drop things eventually.";
            out.add(TranscriptEntry.complete(session, IdempotencyKey.of("item_" + UUID.randomUUID()),
                    i % 2 == 0 ? Speaker.AI : Speaker.CANDIDATE, text, start.plusMillis(i * 1_500L), i,
                    TranscriptSource.SIDEBAND));
        }
        return out;
    }

    private static InterviewSession liveSession(SupabaseStore store, TenantId tenant) {
        Clock clock = Clock.systemUTC();
        PositionId position = new PositionId(UUID.randomUUID());
        store.positions().save(SYSTEM, Fixtures.position(position, tenant));
        CandidateId candidate = new CandidateId(UUID.randomUUID());
        store.candidates().save(SYSTEM, Fixtures.candidate(candidate, tenant));
        InterviewSession session = store.sessions().save(SYSTEM, InterviewSession.start(
                new SessionId(UUID.randomUUID()), tenant, candidate, position, Fixtures.settings(),
                SessionOrigin.STAFF, Fixtures.admin(tenant).user(), clock));
        session.beginProvisioning(clock);
        session.runnerReady(new RunnerRef("bench", RunnerName.of(session.settings().architecture(), tenant,
                session.id()), URI.create("ws://127.0.0.1:9/ws")), clock);
        return store.sessions().save(SYSTEM, session);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
