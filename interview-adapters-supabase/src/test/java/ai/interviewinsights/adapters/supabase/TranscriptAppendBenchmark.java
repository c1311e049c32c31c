package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.runner.RunnerId;
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
 * Transcript ingest and report read on the embedded PostgreSQL 17, with and without encryption side by side: the
 * encrypted repository the app uses, and the repository as it was before encryption ({@link
 * PlaintextTranscriptBaseline}, the same statements writing the clear column). Appends are batched idempotent
 * inserts (one statement per batch of {@code --batch} entries), the same batches again (all duplicates), and one
 * entry per transaction; each runs as the session's runner, through row-level security, as in production. The
 * report read is a staff member reading a whole interview's transcript ({@code --read-entries} entries),
 * {@code --reads} times. Every measurement runs twice, in the orders plain-encrypted and encrypted-plain, and the
 * two runs are averaged, so that warming and drift favour neither.
 *
 * <pre>
 * mvn -B -pl interview-adapters-supabase -am verify -DskipTests -Pbenchmark
 * mvn ... -Pbenchmark -Dbenchmark.args="--entries 200000 --batch 500 --single 5000 --reads 2000 --read-entries 300"
 * </pre>
 */
public final class TranscriptAppendBenchmark {

    private static final AccessScope SYSTEM = AccessScope.system("benchmark");

    private TranscriptAppendBenchmark() {
    }

    /** One way of storing transcripts, measured. */
    private record Mode(String name, TranscriptRepository transcripts) {
    }

    private interface Measure {
        double rate(Mode mode);
    }

    public static void main(String[] args) throws IOException {
        int entries = intArg(args, "--entries", 100_000);
        int batch = intArg(args, "--batch", 500);
        int single = intArg(args, "--single", 5_000);
        int reads = intArg(args, "--reads", 2_000);
        int readEntries = intArg(args, "--read-entries", 300);
        Path data = Files.createTempDirectory("interview-transcript-benchmark-");
        try (SupabaseStore store = SupabaseStore.embedded(data.resolve("db"), TestKeys.master())) {
            TenantId tenant = new TenantId(UUID.randomUUID());
            store.tenants().save(SYSTEM, new Tenant(tenant, "Benchmark"));
            Mode plain = new Mode("without encryption", new PlaintextTranscriptBaseline(store.transactions()));
            Mode sealed = new Mode("with encryption", store.transcripts());

            // Warm up JIT, pool, key cache and plan caches on sessions of their own.
            for (Mode mode : List.of(plain, sealed)) {
                InterviewSession warm = liveSession(store, tenant);
                runBatched(mode.transcripts(), tenant, warm.id(), entries(warm.id(), 20_000), batch);
                runSingle(mode.transcripts(), tenant, warm.id(), entries(warm.id(), 1_000));
                runReads(mode.transcripts(), tenant, warm.id(), 200);
            }

            double[] batched = new double[2];
            double[] duplicates = new double[2];
            double[] singles = new double[2];
            double[] report = new double[2];
            for (List<Mode> order : List.of(List.of(plain, sealed), List.of(sealed, plain))) {
                for (Mode mode : order) {
                    int column = mode == plain ? 0 : 1;
                    InterviewSession session = liveSession(store, tenant);
                    List<TranscriptEntry> written = entries(session.id(), entries);
                    batched[column] += runBatched(mode.transcripts(), tenant, session.id(), written, batch) / 2;
                    duplicates[column] += runBatched(mode.transcripts(), tenant, session.id(), written, batch) / 2;
                    long stored = mode.transcripts().read(SYSTEM, tenant, session.id()).size();
                    if (stored != entries) {
                        throw new IllegalStateException("expected " + entries + " stored entries, found " + stored);
                    }
                    InterviewSession oneByOne = liveSession(store, tenant);
                    singles[column] += runSingle(mode.transcripts(), tenant, oneByOne.id(),
                            entries(oneByOne.id(), single)) / 2;
                    InterviewSession interview = liveSession(store, tenant);
                    runBatched(mode.transcripts(), tenant, interview.id(), entries(interview.id(), readEntries),
                            batch);
                    report[column] += runReads(mode.transcripts(), tenant, interview.id(), reads) / 2;
                }
            }
            System.out.println();
            System.out.println("Transcript ingest and report read on embedded PostgreSQL 17, under RLS, "
                    + Runtime.getRuntime().availableProcessors() + " CPUs (mean of two runs each)");
            System.out.printf(Locale.ROOT, "  %-58s %18s %18s %8s%n", "", "without encryption", "with encryption",
                    "ratio");
            row("batched idempotent insert (" + entries + " entries, batches of " + batch + "), entries/s", batched);
            row("same batches again (all duplicates), entries/s", duplicates);
            row("one entry per transaction (" + single + " entries), entries/s", singles);
            row("report read (transcript of " + readEntries + " entries), reads/s", report);
            System.out.println("  ratio = time with encryption / time without (1.00 = no cost; goal for ingest:"
                    + " at most 1.20)");
        }
    }

    private static void row(String what, double[] rates) {
        System.out.printf(Locale.ROOT, "  %-58s %,18.0f %,18.0f %7.2fx%n", what, rates[0], rates[1],
                rates[0] / rates[1]);
    }

    private static double runReads(TranscriptRepository transcripts, TenantId tenant, SessionId session, int reads) {
        AccessScope staff = AccessScope.of(Fixtures.interviewer(tenant));
        long started = System.nanoTime();
        long seen = 0;
        for (int i = 0; i < reads; i++) {
            seen += transcripts.read(staff, tenant, session).size();
        }
        if (seen == 0) {
            throw new IllegalStateException("nothing read");
        }
        return reads / ((System.nanoTime() - started) / 1e9);
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
        session.runnerReady(new RunnerRef(new RunnerId("bench"), RunnerName.of(session.settings().architecture(),
                tenant,
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
