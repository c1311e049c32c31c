package ai.interviewinsights.app.e2e;

import ai.interviewinsights.app.web.Json;
import ai.interviewinsights.domain.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The performance benchmark of issue 16 (docs/performance.md): one command, one table. It starts the same fake
 * OpenAI the e2e tests use (a MockWebServer speaking the GA calls endpoint and the sideband), the real app on its
 * embedded defaults (embedded PostgreSQL, one local OS process per interview), and a baseline relay (a minimal Node
 * server, {@code benchmark/baseline-relay.js}, forwarding the SDP as multipart like OpenAI's sample servers); then it
 * measures, everything on loopback:
 * <ul>
 *   <li>relay offer -> answer latency (p50, p99) and throughput at 1, 50 and 200 concurrent sessions: through our
 *       runner's WebSocket, through the Node baseline, and straight at the fake (the floor);</li>
 *   <li>the cold first offer of a fresh runner beside a fresh Node process's first offer;</li>
 *   <li>{@code POST /api/sessions} -> READY of a cold runner; RSS and threads of a runner idle and in a call;</li>
 *   <li>transcript ingest over the runner's WebSocket (entries/s, B entries per message, C clients) beside a raw
 *       INSERT floor into a plain table of the same database (B rows per transaction, C connections);</li>
 *   <li>offer latency with 0 and 50,000 entries already stored for the session.</li>
 * </ul>
 * Every loop is bounded in count and time. It is not a test: timing never decides pass or fail; the figures are
 * read as ratios measured in one run on one machine.
 *
 * <p>Run: {@code bash scripts/benchmark [--quick]} (or the {@code benchmark} Maven profile of this module);
 * {@code --footprint} runs only the start and the runners' memory, with its split by mapping; {@code --live=N} only N
 * idle runners live at once and the memory they take together.
 */
public final class PerformanceBenchmark {

    private static final ObjectMapper JSON = Json.mapper();
    private static final String OFFER = Fixtures.resource("sdp/chrome-offer.sdp");

    private final boolean quick;
    private final int[] levels;
    private final int maxRunners;
    private final Duration budget;
    private final int maxPerClient;
    private final int samples;
    private final List<String[]> rows = new ArrayList<>();
    private final HttpClient http;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private E2eApp e2e;
    private String positionId;
    private Process node;
    private int nodePort;

    private PerformanceBenchmark(boolean quick) {
        this.quick = quick;
        this.levels = quick ? new int[] {1, 10, 20} : new int[] {1, 50, 200};
        this.maxRunners = quick ? 10 : 50;
        this.budget = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(8);
        this.maxPerClient = quick ? 200 : 1000;
        this.samples = quick ? 3 : 5;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] args) throws Exception {
        // The clients drop a pooled connection after 2 s idle, before any server here would close it (Node's
        // keep-alive is 5 s): a request sent on a connection the server is closing failed a whole relay level with
        // "header parser received no bytes". Set before the first HttpClient is made (the JDK reads it once).
        System.setProperty("jdk.httpclient.keepalive.timeout", "2");
        // --ingest: only the ingest rows, at the quick sizes (the transcript path's own before/after, decision 26).
        boolean ingestOnly = Arrays.asList(args).contains("--ingest");
        boolean quick = ingestOnly || Arrays.asList(args).contains("--quick");
        PerformanceBenchmark benchmark = new PerformanceBenchmark(quick);
        benchmark.poolOnly = Arrays.asList(args).contains("--pool");
        benchmark.relayOnly = Arrays.asList(args).contains("--relay");
        benchmark.profileRelay = Arrays.asList(args).contains("--profile-relay");
        benchmark.profileIngest = Arrays.asList(args).contains("--profile-ingest");
        benchmark.ingestJdkClient = Arrays.asList(args).contains("--ingest-jdk-client");
        benchmark.footprintOnly = Arrays.asList(args).contains("--footprint");
        // --live=N: N idle runners live at once, and what they take from the machine (goal 3's "300 on 24 GiB").
        benchmark.liveCount = liveCount(args);
        benchmark.ingestOnly = ingestOnly;
        Runtime.getRuntime().addShutdownHook(new Thread(benchmark::stopNode, "benchmark-stop-node"));
        int status = 0;
        try {
            benchmark.run();
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        } finally {
            try {
                benchmark.close();
            } catch (Throwable e) {
                // A fake still holding a sideband open must not keep this JVM alive after the table is written.
                log("closing: " + e);
            }
        }
        System.exit(status);
    }

    /** {@code --live=N}'s N (0 without it); anything else than a count from 1 to 2,000 stops here, before any start. */
    private static int liveCount(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("--live")) {
                String value = arg.startsWith("--live=") ? arg.substring("--live=".length()) : "";
                int count = value.matches("\\d{1,4}") ? Integer.parseInt(value) : 0;
                if (count < 1 || count > 2000) {
                    System.err.println("--live needs a count of runners from 1 to 2000, as in --live=300 (got " + arg
                            + ")");
                    System.exit(2);
                }
                return count;
            }
        }
        return 0;
    }

    private void run() throws Exception {
        log("starting the fake OpenAI, the app (embedded PostgreSQL) and the Node baseline relay");
        // A standby pool exists but is off (size 0) until its own section turns it on: the cold rows stay cold.
        Map<String, String> env = new java.util.HashMap<>(Map.of("SESSION_RATE_LIMIT_PER_MINUTE", "100000",
                "IDLE_TIMEOUT_MINUTES", "120", "LOG_FORMAT", "json", "RUNNER_POOL_SIZE_HYBRID", "1"));
        // Runner JVM options to compare (docs/operations.md): RUNNER_JVM_FLAGS="..." bash scripts/benchmark --relay
        String runnerFlags = System.getenv("RUNNER_JVM_FLAGS");
        if (runnerFlags != null && !runnerFlags.isBlank()) {
            env.put("RUNNER_JVM_FLAGS", runnerFlags);
            log("runner JVM flags added: " + runnerFlags);
            row("runner JVM flags added (RUNNER_JVM_FLAGS)", runnerFlags, "", "after the built-in RunnerJvm.FLAGS");
        }
        e2e = new E2eApp(env);
        provisionerLines = ProvisionerLines.attach();
        e2e.app.standbyRunners().orElseThrow().reconfigure(StandbyPoolSizes.off());
        E2eApp.Reply position = e2e.post("/api/positions", e2e.adminToken, Map.of("title", "Benchmark Engineer",
                "description", "Benchmarks", "competencies", List.of(Map.of("name", "Speed", "weight", 1))));
        check(position.status() == 201, "position: " + position.raw());
        positionId = position.body().path("id").asText();
        if (poolOnly) {
            // As in the full run: the cold starts map the archive the first runner writes (without it, the first
            // cold start took ~1 s and was the row's p99).
            section("first runner", this::firstRunner);
            section("standby pool", this::standbyPool);
            print();
            return;
        }
        if (profileIngest) {
            section("ingest soak", this::ingestSoak);
            print();
            return;
        }
        if (ingestOnly) {
            section("ingest", this::ingest);
            print();
            return;
        }
        nodePort = startNode();
        node = lastNode;

        section("first runner", this::firstRunner);
        if (profileRelay) {
            section("relay soak", this::relaySoak);
            print();
            return;
        }
        if (relayOnly) {
            section("relay", this::relay);
            // The warm-up must not cost the realistic case (decision 25, amended): measured with the relay rows.
            section("cold first offer", this::coldFirstOffer);
            print();
            return;
        }
        if (liveCount > 0) {
            section("runners live at once", this::liveAtOnce);
            print();
            return;
        }
        if (footprintOnly) {
            section("runner start and footprint", this::runnerStartAndFootprint);
            section("runners live at once", this::liveFootprint);
            print();
            return;
        }
        section("runner start and footprint", this::runnerStartAndFootprint);
        section("relay", this::relay);
        section("cold first offer", this::coldFirstOffer);
        section("ingest", this::ingest);
        section("offer versus stored entries", this::offerVersusStoredEntries);
        section("standby pool", this::standbyPool);
        print();
    }

    @FunctionalInterface
    private interface Section {
        void run() throws Exception;
    }

    /** One part of the table; a part that fails says so in the table and the others still run. */
    private void section(String name, Section section) {
        try {
            section.run();
        } catch (Exception e) {
            e.printStackTrace();
            row(name, "FAILED", "", String.valueOf(e).replace('|', '/').replace('\n', ' '));
        }
    }

    // ---- runner start and footprint ---------------------------------------------------------------------------

    /**
     * One interview first, not measured: the first runner after a new build writes the class-data archive the
     * later ones map (RunnerJvm), once it has ended. The table is about those later runners.
     */
    private void firstRunner() throws Exception {
        log("a first interview (not measured): the first runner writes the class-data archive");
        // It must be a cold runner (they write runner-cds); a standby still ready from the app's start would take the
        // session and write the pool's archive instead, leaving every measured runner without one.
        var pool = e2e.app.standbyRunners().orElseThrow();
        for (int i = 0; i < 50 && !pool.standbyPids(Architecture.HYBRID)
                .isEmpty(); i++) {
            pool.reconfigure(StandbyPoolSizes.off());
            Thread.sleep(100);
        }
        Set<Long> before = new HashSet<>(e2e.app.localRunners().orElseThrow().pids());
        Session session = startSession();
        long pid = e2e.app.localRunners().orElseThrow().pids().stream().filter(p -> !before.contains(p))
                .findFirst().orElseThrow();
        interviewOnce(session);
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                log("the first runner did not exit: " + e);
            }
        });
        // The archive is kept once the control plane has seen that runner's exit: wait for it (writing 35 MB on a
        // loaded machine has taken over a minute).
        long archives = 0;
        for (int i = 0; i < 1800 && archives == 0; i++) {
            try (var files = Files.list(e2e.dataDir.resolve("runner-cds"))) {
                archives = files.filter(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot"))
                        .count();
            } catch (java.io.IOException e) {
                archives = 0;
            }
            if (archives == 0) {
                Thread.sleep(100);
            }
        }
        row("class-data archive for runners", archives > 0 ? "yes" : "no", "",
                archives > 0 ? "written by the first runner, mapped by every later one" : "runners start without");
        String named = System.getProperty(ai.interviewinsights.app.local.RunnerJvm.RUNNER_JAR_PROPERTY);
        if (named != null) {
            Path jar = ai.interviewinsights.app.local.RunnerJvm.runnersJarBeside(Path.of(named)).orElse(Path.of(named));
            int entries;
            try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
                entries = zip.size();
            }
            row("jar runners start from", jar.getFileName().toString(), "",
                    String.format("%,d entries, %,d MB", entries, Files.size(jar) >> 20));
        }
    }

    private boolean poolOnly;
    /** Only the start and footprint rows, with where a runner's memory is (issue 16, goal 3): {@code --footprint}. */
    private boolean footprintOnly;
    private int liveCount;
    /** Only the relay rows (and the first runner that writes the archive): {@code --relay}. */
    private boolean relayOnly;
    /** One client's warm offers on one runner for 30 s, its pid logged, to attach a profiler: {@code --profile-relay}. */
    private boolean profileRelay;

    /**
     * A steady stream of warm offers on one runner, long enough to attach JFR to it
     * ({@code jcmd <pid> JFR.start settings=profile}): the pid is logged first. Bounded: 30 s or 20,000 offers.
     */
    private void relaySoak() throws Exception {
        Set<Long> before = new HashSet<>(e2e.app.localRunners().orElseThrow().pids());
        Session session = startSession();
        long pid = e2e.app.localRunners().orElseThrow().pids().stream().filter(p -> !before.contains(p))
                .findFirst().orElseThrow();
        try (Client client = new Client(session.websocketUrl())) {
            client.offer();
            // First the regime of the relay rows (a runner's first 200 offers: mostly interpreted), then a JIT-warm one.
            log("RELAY_SOAK runner pid=" + pid);
            Thread.sleep(5_000);
            List<Long> first = new ArrayList<>();
            long cpuFirst = cpuNanos(List.of(pid));
            Map<String, Long> threadsBefore = threadCpuNanos(pid);
            for (int i = 0; i < 200; i++) {
                first.add(client.offer());
            }
            cpuFirst = cpuNanos(List.of(pid)) - cpuFirst;
            log("RELAY_SOAK first 200 done");
            Map<String, Long> threadsAfter = threadCpuNanos(pid);
            threadsAfter.forEach((name, nanos) -> {
                long used = nanos - threadsBefore.getOrDefault(name, 0L);
                if (used > 0) {
                    log("RELAY_SOAK thread " + name + ": " + ms(used / first.size()) + " per offer");
                }
            });
            row("relay soak, 1 session, offers 2-201", "p50 " + ms(percentile(first, 50)) + ", p99 "
                    + ms(percentile(first, 99)), "", "runner CPU per offer " + ms(cpuFirst / first.size()));
            List<Long> latencies = new ArrayList<>();
            long cpuBefore = cpuNanos(List.of(pid));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end && latencies.size() < 20_000) {
                latencies.add(client.offer());
            }
            long cpu = cpuNanos(List.of(pid)) - cpuBefore;
            row("relay soak, 1 session, next 30 s", "p50 " + ms(percentile(latencies, 50)) + ", p99 "
                    + ms(percentile(latencies, 99)), "", latencies.size() + " offers; runner CPU per offer "
                    + ms(cpu / latencies.size()));
        }
        endSession(session);
    }
    private boolean ingestOnly;
    /** The ingest rows' browsers on the JDK's WebSocket client, as before decision 26's second amendment. */
    private boolean ingestJdkClient;
    /** B=20 C=8 pipelined for 30 s, the pids logged first, to attach a profiler: {@code --profile-ingest}. */
    private boolean profileIngest;

    /**
     * The {@code B=20 C=8 pipelined} ingest row for long enough to attach JFR to the runners and this JVM (the
     * control plane): {@code INGEST_SOAK} logs the pids, waits 5 s, then runs 30 s (or 2,000 bursts per client).
     */
    private void ingestSoak() throws Exception {
        List<Client> sockets = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Session session = startSession();
            sessions.add(session);
            sockets.add(new Client(session.websocketUrl(), !ingestJdkClient));
        }
        int[] next = new int[8];
        for (int i = 0; i < 8; i++) {
            next[i] = sockets.get(i).ingestPipelined("c" + i, next[i], 20, PIPELINE); // warm
        }
        log("INGEST_SOAK harness pid=" + ProcessHandle.current().pid() + " runner pids="
                + e2e.app.localRunners().orElseThrow().pids());
        Thread.sleep(5_000);
        List<Long> runnerPids = e2e.app.localRunners().orElseThrow().pids();
        long runnersBefore = cpuNanos(runnerPids);
        long postgresBefore = postgresCpuNanos();
        long harnessBefore = cpuNanos(List.of(ProcessHandle.current().pid()));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long start = System.nanoTime();
        List<Future<Integer>> loops = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int i = c;
            loops.add(pool.submit(() -> {
                int bursts = 0;
                while (System.nanoTime() < end && bursts < 2_000) {
                    next[i] = sockets.get(i).ingestPipelined("c" + i, next[i], 20, PIPELINE);
                    bursts++;
                }
                return bursts;
            }));
        }
        long bursts = 0;
        for (Future<Integer> loop : loops) {
            bursts += loop.get(150, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double entries = bursts * 20.0 * PIPELINE;
        String cpu = String.format(Locale.ROOT, "CPU per entry: runners %.1f µs, PostgreSQL %.1f µs, harness JVM "
                        + "(control plane, clients) %.1f µs", (cpuNanos(runnerPids) - runnersBefore) / 1e3 / entries,
                (postgresCpuNanos() - postgresBefore) / 1e3 / entries,
                (cpuNanos(List.of(ProcessHandle.current().pid())) - harnessBefore) / 1e3 / entries);
        log("INGEST_SOAK done");
        explainInserts(sessions.get(0));
        row("ingest soak B=20 C=8 pipelined (entries/s)", rate(bursts * 20 * PIPELINE / seconds, "/s"), "",
                bursts + " bursts of " + PIPELINE + " messages; " + cpu);
        sockets.forEach(Client::close);
        sessions.forEach(this::endSession);
    }

    /**
     * Claim -> READY (ADR 0020): {@code POST /api/sessions} until its 201 with status {@code ready}, the candidate
     * made beforehand, with a standby ready (the pool on, size 1, refilled between samples) against the same with
     * the pool off (a cold start), in the same run, one at a time. The first warm start is not measured: its
     * runner, once ended, writes the class-data archive that the later standbys map.
     */
    private void standbyPool() throws Exception {
        ai.interviewinsights.app.local.StandbyRunnerPool standby = e2e.app.standbyRunners().orElseThrow();
        int warmSamples = Integer.parseInt(System.getenv().getOrDefault("POOL_CLAIMS", quick ? "15" : "40"));
        int coldSamples = Integer.parseInt(System.getenv().getOrDefault("POOL_COLD_STARTS", quick ? "5" : "10"));
        long apiVideoMillis = Long.parseLong(System.getenv().getOrDefault("POOL_APIVIDEO_MS", "0"));
        log("standby pool: " + coldSamples + " cold starts, then " + warmSamples + " claims of a ready standby"
                + (apiVideoMillis > 0 ? "; the fake api.video answers after " + apiVideoMillis + " ms" : ""));
        e2e.apiVideo.answerAfter(apiVideoMillis);
        standby.reconfigure(StandbyPoolSizes.off());
        List<Long> cold = new ArrayList<>();
        List<Long> coldOffers = new ArrayList<>();
        List<Long> coldOpens = new ArrayList<>();
        int provisionsBefore = provisionerLines.count();
        double[] missesBefore = misses(scrapeMetrics());
        for (int i = 0; i < coldSamples; i++) {
            String candidate = newCandidate();
            long t0 = System.nanoTime();
            Session session = startSessionFor(candidate);
            cold.add(System.nanoTime() - t0);
            coldOffers.add(firstOffer(session, coldOpens));
            endSession(session);
        }
        double[] missesAfter = misses(scrapeMetrics());
        StandbyPoolSizes one = new StandbyPoolSizes(Map.of(Architecture.HYBRID, 1), Map.of());
        standby.reconfigure(one);
        awaitStandby(standby);
        Session first = startSessionFor(newCandidate());
        // As the cold runners' first interview (firstRunner): the archive then holds the classes of the socket, the
        // transcript and the offer, as one written after a real interview would. Without them every claimed
        // standby parsed those classes from the jar at its first offer (~100 ms of it).
        interviewOnce(first);
        Thread.sleep(3_000); // its runner exits in order and writes the pool's class-data archive
        standby.reconfigure(one); // later standbys map it
        List<Long> warm = new ArrayList<>();
        List<Long> warmOffers = new ArrayList<>();
        List<Long> warmOpens = new ArrayList<>();
        List<long[]> waiting = new ArrayList<>();
        List<Long> grants = new ArrayList<>();
        List<Long> settledGrants = new ArrayList<>();
        Map<String, Integer> waitingThreads = new java.util.TreeMap<>();
        for (int i = 0; i < warmSamples; i++) {
            String candidate = newCandidate();
            awaitStandby(standby);
            Thread.sleep(300); // let the fresh standby's start settle (its JIT, its GC)
            for (long pid : standby.standbyPids(Architecture.HYBRID)) { // the standby about to be claimed, at rest
                waiting.add(footprint(pid));
                waitingThreads.clear();
                waitingThreads.putAll(threadNames(pid));
            }
            long t0 = System.nanoTime();
            Session session = startSessionFor(candidate);
            warm.add(System.nanoTime() - t0);
            warmOffers.add(firstOffer(session, warmOpens));
            if (i % 2 == 0) {
                grants.add(askForTheGrant(session)); // the room asks alongside its call's set-up; here after its offer
            } else {
                // The same ask once the claim's refill (the next standby's JVM start) is done: what is left of the
                // row above without the two cores shared with a starting runner.
                awaitStandby(standby);
                Thread.sleep(300);
                settledGrants.add(askForTheGrant(session));
            }
            endSession(session);
        }
        standby.reconfigure(StandbyPoolSizes.off());
        e2e.apiVideo.answerAfter(0);
        String provider = apiVideoMillis > 0 ? "; api.video " + apiVideoMillis + " ms a call (POOL_APIVIDEO_MS)" : "";
        row("start -> READY, cold (pool off, same run)", "p50 " + ms(percentile(cold, 50)), "",
                "p99 " + ms(percentile(cold, 99)) + ", " + coldSamples + " starts, sequential" + provider);
        coldSplit("start -> READY, cold (pool off): its parts", provisionsBefore, cold);
        row("claim -> READY, warm (standby pool, goal <= 50 ms)", "p50 " + ms(percentile(warm, 50)), "",
                "p99 " + ms(percentile(warm, 99)) + ", min " + ms(min(warm)) + ", " + warmSamples
                        + " claims, sequential; load " + loadAverage() + provider);
        row("recording grant, asked after READY (the room's)", "p50 " + ms(percentile(grants, 50)), "",
                "p99 " + ms(percentile(grants, 99)) + "; POST /api/sessions/{id}/recording-grant after each claim, off"
                        + " READY's path (ADR 0028): the video and its token at once; every other claim" + provider);
        if (!settledGrants.isEmpty()) { // (one claim asks only at once)
            row("recording grant, asked once the pool has refilled", "p50 " + ms(percentile(settledGrants, 50)), "",
                    "p99 " + ms(percentile(settledGrants, 99)) + "; the same ask after the next standby is ready,"
                            + " every other claim: the row above less the refill's share of the two cores"
                            + provider);
        }
        row("standby RSS / threads, ready and waiting", medianRss(waiting) + " / " + medianThreads(waiting), "",
                "median of " + waiting.size() + " standbys, read just before each claim; the last one's threads: "
                        + waitingThreads);
        row("first offer after a cold start (pool off)", "p50 " + ms(percentile(coldOffers, 50)), "",
                "p99 " + ms(percentile(coldOffers, 99)) + "; offer -> answer, sent as soon as the socket is open after"
                        + " READY (the room's page builds its offer first, then connects); the socket's opening p50 "
                        + ms(percentile(coldOpens, 50)));
        row("first offer after a claim (standby)", "p50 " + ms(percentile(warmOffers, 50)), "",
                "p99 " + ms(percentile(warmOffers, 99)) + "; the same, on a claimed standby; the socket's opening p50 "
                        + ms(percentile(warmOpens, 50)));
        // The provisioner's own figure (the app's /metrics, last two minutes): from the claim to a runner that takes
        // connections, without the rest of POST /api/sessions (database, recording token).
        String scraped = scrapeMetrics();
        row("claim -> runner listening (provisioner, /metrics)", "p50 " + quantile(scraped, "0.5"), "",
                "p99 " + quantile(scraped, "0.99") + ", interview_runner_pool_claim_seconds{outcome=\"hit\"}");
        // The cold starts above, as the app counts them (each a miss, the pool being off): the operator's figure.
        double count = missesAfter[1] - missesBefore[1];
        row("cold start -> runner listening (provisioner, /metrics)", count > 0 ? String.format(java.util.Locale.ROOT,
                "mean %.2f ms", (missesAfter[0] - missesBefore[0]) * 1000 / count) : "n/a", "",
                String.format(java.util.Locale.ROOT, "%.0f misses counted for the %d starts above, "
                        + "interview_runner_pool_claim_seconds{outcome=\"miss\"}", count, coldSamples));
    }

    /**
     * A short interview, not measured, whose runner then writes a class-data archive: a transcript and an offer (their
     * classes go into the archive), the call recorded, the end.
     */
    private void interviewOnce(Session session) throws Exception {
        try (Client client = new Client(session.websocketUrl())) {
            client.ingest("first", 0, 10);
            client.offer();
        }
        // The call is recorded just after the answer (decision 0017): an end before that would cancel the session,
        // and a cancelled session's runner is stopped, possibly before it finished writing the archive.
        awaitActive(session);
        endSession(session);
    }

    /**
     * A browser's first offer on a session just made READY: offer -> answer, the socket opened beforehand; the
     * opening's own time (the upgrade and the runner's check of the candidate's token) goes to {@code opened}.
     */
    private long firstOffer(Session session, List<Long> opened) throws Exception {
        long t0 = System.nanoTime();
        try (Client client = new Client(session.websocketUrl())) {
            opened.add(System.nanoTime() - t0);
            return client.offer();
        }
    }

    /** The hybrid misses' total seconds and count so far (zero before the first). */
    private static double[] misses(String metrics) {
        String labels = "{architecture=\"hybrid\",outcome=\"miss\"}";
        return new double[] {E2eApp.value(metrics, "interview_runner_pool_claim_seconds_sum" + labels),
                E2eApp.value(metrics, "interview_runner_pool_claims_total" + labels)};
    }

    private String scrapeMetrics() throws Exception {
        String token = Files.readString(e2e.dataDir.resolve("metrics-token")).strip();
        return http.send(HttpRequest.newBuilder(URI.create(e2e.url("/metrics")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * The local provisioner's own account of each cold start it made ("spawned in X ms, listening Y ms later"), read
     * from its log line in this JVM: the runner's part of {@code POST /api/sessions} (issue 16, goal 2).
     */
    private static final class ProvisionerLines extends ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> {
        private static final java.util.regex.Pattern STARTED =
                java.util.regex.Pattern.compile("spawned in (\\d+) ms, listening (\\d+) ms later");
        private final List<Long> runnerMillis = Collections.synchronizedList(new ArrayList<>());

        static ProvisionerLines attach() {
            ProvisionerLines lines = new ProvisionerLines();
            var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                    ai.interviewinsights.app.local.LocalProcessRunnerProvisioner.class);
            lines.setContext(logger.getLoggerContext());
            lines.start();
            logger.addAppender(lines);
            return lines;
        }

        @Override
        protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
            var matched = STARTED.matcher(event.getFormattedMessage());
            if (matched.find()) {
                runnerMillis.add(Long.parseLong(matched.group(1)) + Long.parseLong(matched.group(2)));
            }
        }

        int count() {
            return runnerMillis.size();
        }

        /** The runner's part (spawn + its start to listening) of the starts counted since {@code from}. */
        List<Long> since(int from) {
            synchronized (runnerMillis) {
                return List.copyOf(runnerMillis.subList(from, runnerMillis.size()));
            }
        }
    }

    private ProvisionerLines provisionerLines;

    /**
     * Splits these cold starts (issue 16, goal 2): the runner's part (spawn, its JVM's start, its READY line: the
     * provisioner's own figure) and the rest of {@code POST /api/sessions} (the control plane's work before and after
     * it), as medians and means over the same starts.
     */
    private void coldSplit(String label, int from, List<Long> starts) {
        List<Long> runner = provisionerLines.since(from);
        if (runner.size() != starts.size()) {
            row(label, "n/a", "", "the provisioner logged " + runner.size() + " cold starts for " + starts.size());
            return;
        }
        double meanMs = starts.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
        double runnerMeanMs = runner.stream().mapToLong(Long::longValue).average().orElse(0);
        List<Long> runnerNanos = runner.stream().map(m -> m * 1_000_000).toList();
        row(label, String.format(Locale.ROOT, "runner p50 %s, mean %.1f ms; control plane mean %.1f ms",
                        ms(percentile(runnerNanos, 50)), runnerMeanMs, meanMs - runnerMeanMs), "",
                "the runner: spawn -> listening (the provisioner's log line); the control plane: the rest of POST"
                        + " /api/sessions (mean of the same starts)");
    }

    private static String quantile(String metrics, String q) {
        String prefix = "interview_runner_pool_claim_seconds{architecture=\"hybrid\",outcome=\"hit\",quantile=\""
                + q + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> String.format(java.util.Locale.ROOT, "%.2f ms",
                        Double.parseDouble(l.substring(prefix.length()).strip()) * 1000))
                .orElse("n/a");
    }

    private void awaitStandby(ai.interviewinsights.app.local.StandbyRunnerPool standby) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (standby.standbyPids(Architecture.HYBRID).isEmpty()) {
            check(System.nanoTime() < deadline, "no standby runner became ready within 120 s");
            Thread.sleep(50);
        }
    }

    private String newCandidate() throws Exception {
        E2eApp.Reply candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Bench Candidate",
                "email", "bench-" + UUID.randomUUID() + "@example.com"));
        check(candidate.status() == 201, "candidate: " + candidate.raw());
        return candidate.body().path("id").asText();
    }

    /**
     * Starts a session as the room's page does: its recording's grant asked for after READY (ADR 0028), so READY
     * waits for no video provider; {@link #askForTheGrant} is the room's ask.
     */
    private Session startSessionFor(String candidateId) throws Exception {
        E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id", candidateId,
                "position_id", positionId, "recording_grant", "after_ready"));
        check(started.status() == 201 && "ready".equals(started.body().path("status").asText()),
                "session: " + started.raw());
        return new Session(started.body().path("session_id").asText(),
                started.body().path("websocket_url").asText());
    }

    /**
     * The floor of a runner's start: a Jetty server with one handler, one WebSocket and nothing of ours
     * ({@link BareJetty}: what a runner serves on, ADR 0027), from the runners' jar (the application's when there is
     * none) with the runners' flags and a class-data archive of its own (written by a first run), exec -> listening,
     * wall and CPU. No runner starts faster on this machine.
     */
    private void bareJettyFloor() throws Exception {
        String named = System.getProperty(ai.interviewinsights.app.local.RunnerJvm.RUNNER_JAR_PROPERTY);
        if (named == null) {
            row("start -> listening, a bare Jetty server (floor)", "n/a", "", "no application jar");
            return;
        }
        String jar = ai.interviewinsights.app.local.RunnerJvm.runnersJarBeside(Path.of(named)).map(Path::toString)
                .orElse(named);
        Path folder = Files.createTempDirectory("ii-bare-jetty");
        Path own = folder.resolve("bare.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(own))) {
            // The class and its nested ones (its handler, its listener).
            for (String name : List.of("BareJetty", "BareJetty$1", "BareJetty$Echo")) {
                String entry = BareJetty.class.getPackageName().replace('.', '/') + "/" + name + ".class";
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                try (var in = BareJetty.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        // The runners' own JVM, flags and archive life (RunnerJvm): the first run records as it exits, later ones map.
        ai.interviewinsights.app.local.RunnerJvm jvm = ai.interviewinsights.app.local.RunnerJvm.forClassPath(
                own + java.io.File.pathSeparator + jar, BareJetty.class.getName(), List.of(), folder, "bare");
        ai.interviewinsights.app.local.RunnerJvm.Launch first = jvm.next();
        List<String> recording = new ArrayList<>(first.command());
        recording.add("10");
        Process recorder = new ProcessBuilder(recording).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        recorder.waitFor(120, TimeUnit.SECONDS);
        first.onExit().accept(recorder.exitValue());
        Path archive = jvm.archive().orElseThrow();
        for (int i = 0; i < 1200 && !Files.isRegularFile(archive); i++) {
            Thread.sleep(100);
        }
        List<Long> wall = new ArrayList<>();
        List<Long> cpu = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            List<String> run = new ArrayList<>(jvm.next().command());
            run.add("1000");
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(run).redirectErrorStream(true).start();
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null
                        && !line.startsWith(ai.interviewinsights.app.local.LocalProcessRunnerProvisioner.READY_LINE)) {
                    // the server's own lines, if any
                }
                wall.add(System.nanoTime() - t0);
                cpu.add(cpuNanos(List.of(process.pid())));
                process.waitFor(30, TimeUnit.SECONDS);
            }
            Thread.sleep(300);
        }
        row("start -> listening, a bare Jetty server (floor)", "p50 " + ms(percentile(wall, 50)), "",
                "CPU p50 " + ms(percentile(cpu, 50)) + "; one handler and a WebSocket, nothing of ours, the same jar,"
                        + " flags and kind of archive: the floor of a runner's start, exec -> listening");
    }

    private void runnerStartAndFootprint() throws Exception {
        log("runner start -> READY and footprint (" + samples + " cold starts)");
        List<Long> starts = new ArrayList<>();
        // The runner's CPU (user + system) from its exec to READY: steadier than the wall clock on a shared machine.
        List<Long> startCpu = new ArrayList<>();
        List<long[]> idle = new ArrayList<>();
        List<long[]> inCall = new ArrayList<>();
        String idleByMapping = "";
        String inCallByMapping = "";
        int provisionsBefore = provisionerLines.count();
        for (int i = 0; i < samples; i++) {
            Set<Long> before = new HashSet<>(e2e.app.localRunners().orElseThrow().pids());
            long t0 = System.nanoTime();
            Session session = startSession();
            starts.add(System.nanoTime() - t0);
            long pid = e2e.app.localRunners().orElseThrow().pids().stream().filter(p -> !before.contains(p))
                    .findFirst().orElseThrow();
            startCpu.add(cpuNanos(List.of(pid)));
            Thread.sleep(1500); // let start-up settle (JIT, GC) before reading the footprint
            idle.add(footprint(pid));
            idleByMapping = byMapping(pid);
            try (Client client = new Client(session.websocketUrl())) {
                // The entries go first: once a call is up, the browser's lines wait for the sideband's word.
                int key = 0;
                for (int batch = 0; batch < 20; batch++) {
                    key = client.ingest("fp" + i, key, 10);
                }
                client.offer();
                Thread.sleep(500);
                inCall.add(footprint(pid));
                inCallByMapping = byMapping(pid);
            }
            endSession(session);
        }
        row("start -> READY, cold runner (POST /api/sessions)", "p50 " + ms(percentile(starts, 50)), "",
                "min " + ms(min(starts)) + ", " + samples + " starts, sequential; JDK " + Runtime.version().feature());
        coldSplit("start -> READY, cold runner: its parts", provisionsBefore, starts);
        row("runner CPU from exec to READY, cold runner", "p50 " + ms(percentile(startCpu, 50)), "",
                "min " + ms(min(startCpu)) + "; user + system, the warm-up alongside the start included");
        bareJettyFloor();
        int concurrent = quick ? 4 : 6;
        List<Future<Long>> starting = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            starting.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                Session session = startSession();
                long took = System.nanoTime() - t0;
                endSession(session);
                return took;
            }));
        }
        List<Long> together = new ArrayList<>();
        for (Future<Long> start : starting) {
            together.add(start.get(180, TimeUnit.SECONDS));
        }
        row("start -> READY, " + concurrent + " cold runners at once", "p50 " + ms(percentile(together, 50)), "",
                "max " + ms(Collections.max(together)));
        row("runner RSS / threads, idle (after READY)", medianRss(idle) + " / " + medianThreads(idle), "",
                "median of " + samples + " runners");
        row("runner RSS / threads, in a call", medianRss(inCall) + " / " + medianThreads(inCall), "",
                "after 200 transcript entries and one offer (call and sideband open)");
        row("runner RSS by mapping, idle (last runner)", idleByMapping, "", "MB resident; shared: the libraries, "
                + "the archives' read-only pages, the JDK's modules image");
        row("runner RSS by mapping, in a call (last runner)", inCallByMapping, "", "the same runner, in its call");
    }

    /** {@code --footprint}: as many idle runners live at once as the relay would start, then ended. */
    private void liveFootprint() throws Exception {
        for (Session session : idleRunners(maxRunners)) {
            endSession(session);
        }
    }

    /**
     * {@code --live=N}: N sessions started one after another, their runners left idle at once, then what they take:
     * the median runner's RSS and PSS, the sum of their PSS (every page they use, a shared one counted once: what a
     * machine is sized by), and how much the machine's {@code MemAvailable} fell.
     */
    private void liveAtOnce() throws Exception {
        long availableBefore = memAvailableKb();
        List<Session> sessions = new ArrayList<>();
        long started = System.nanoTime();
        try {
            // 5 s for the last runners' warm-ups to end
            List<long[]> live = startIdle(sessions, liveCount, 5000);
            long startNanos = System.nanoTime() - started - TimeUnit.MILLISECONDS.toNanos(5000);
            long pssSumKb = live.stream().mapToLong(v -> v[2]).sum();
            long fellKb = availableBefore - memAvailableKb();
            row("runner RSS / threads, idle, " + live.size() + " runners live at once", medianRss(live) + " / "
                    + medianThreads(live), "", String.format(Locale.ROOT, "started one after another in %.1f s",
                    startNanos / 1e9));
            row(live.size() + " idle runners: their PSS summed / the machine's MemAvailable fell by",
                    String.format(Locale.ROOT, "%.2f GiB / %.2f GiB", pssSumKb / 1048576.0, fellKb / 1048576.0), "",
                    String.format(Locale.ROOT, "21 GiB hold ~%d idle runners at their PSS; MemAvailable still counts"
                            + " the mapped archive and JDK pages as available, and its fall includes the control"
                            + " plane's and PostgreSQL's growth", (long) (21 * 1048576.0 / (pssSumKb
                            / (double) live.size()))));
        } finally {
            for (Session session : sessions) {
                endSession(session);
            }
        }
    }

    /**
     * Starts {@code count} sessions one after another (each added to {@code sessions} as it starts, so a caller can
     * end what did start), waits {@code settleMillis}, and returns every live local runner's footprint.
     */
    private List<long[]> startIdle(List<Session> sessions, int count, long settleMillis) throws Exception {
        for (int i = 0; i < count; i++) {
            sessions.add(startSession());
            if ((i + 1) % 50 == 0) {
                log((i + 1) + " runners live");
            }
        }
        Thread.sleep(settleMillis);
        List<long[]> live = new ArrayList<>();
        for (long pid : e2e.app.localRunners().orElseThrow().pids()) {
            live.add(footprint(pid));
        }
        return live;
    }

    private static long memAvailableKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no MemAvailable in /proc/meminfo");
    }

    /** Starts {@code count} sessions' runners, lets them settle, and reports their median footprint, live at once. */
    private List<Session> idleRunners(int count) throws Exception {
        List<Session> sessions = new ArrayList<>();
        List<long[]> live = startIdle(sessions, count, 1500);
        row("runner RSS / threads, idle, " + live.size() + " runners live at once", medianRss(live) + " / "
                + medianThreads(live), "", "PSS splits shared pages (the class-data archive) between runners");
        return sessions;
    }

    /**
     * Where a runner's resident memory is, from {@code /proc/<pid>/smaps} (MB): the JVM's library and the others,
     * the JDK's class-data archive and the runners' own (read-only pages are file pages shared by every runner, the
     * read-write ones are written as classes load: private), the JDK's modules image, the Java heap (with the
     * runner's {@code -Xmx96m} and compressed references, the anonymous mapping just below 4 GB), the code cache
     * (the one executable anonymous mapping), malloc's main arena, and the rest of the anonymous memory (malloc's
     * other arenas, metaspace, thread stacks, the JIT's and GC's own structures).
     */
    private static String byMapping(long pid) throws Exception {
        Map<String, Long> kb = new java.util.LinkedHashMap<>();
        for (String part : List.of("java heap", "JDK archive rw", "runner archive rw", "code cache", "malloc main",
                "other anon", "libjvm", "other libs", "JDK archive ro", "runner archive ro", "modules image",
                "other")) {
            kb.put(part, 0L);
        }
        String part = "other";
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = line.trim().split("\\s+", 6);
                String perms = f[1];
                String path = f.length > 5 ? f[5] : "";
                String[] range = f[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                boolean write = perms.charAt(1) == 'w';
                if (path.endsWith(".jsa") || path.endsWith(".aot")) { // a CDS archive, or JDK 25's AOT cache
                    part = (path.contains("/lib/server/") ? "JDK archive " : "runner archive ") + (write ? "rw" : "ro");
                } else if (path.contains("libjvm")) {
                    part = "libjvm";
                } else if (path.contains(".so")) {
                    part = "other libs";
                } else if (path.endsWith("/modules")) {
                    part = "modules image";
                } else if (path.equals("[heap]")) {
                    part = "malloc main";
                } else if (path.isEmpty() && perms.startsWith("rwx")) {
                    part = "code cache";
                } else if (path.isEmpty() && end <= 0x1_0000_0000L && start >= 0x1_0000_0000L - (96L << 20)) {
                    part = "java heap";
                } else if (path.isEmpty()) {
                    part = "other anon";
                } else {
                    part = "other";
                }
            } else if (line.startsWith("Rss:")) {
                kb.merge(part, Long.parseLong(line.replaceAll("\\D", "")), Long::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        kb.forEach((name, value) -> {
            if (value >= 100) {
                out.append(out.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f", value / 1024.0));
            }
        });
        return out.toString();
    }

    private static long[] footprint(long pid) throws Exception {
        long rssKb = 0;
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        // PSS: resident memory with each shared page (the class-data archive, the JDK's own) split between the
        // processes that map it; what a machine full of runners really spends on each.
        long pssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                pssKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {rssKb, threads, pssKb};
    }

    private static String medianRss(List<long[]> values) {
        List<Long> rss = values.stream().map(v -> v[0]).sorted().toList();
        List<Long> pss = values.stream().map(v -> v[2]).sorted().toList();
        return String.format(Locale.ROOT, "%.0f MB RSS (%.0f MB PSS)", rss.get(rss.size() / 2) / 1024.0,
                pss.get(pss.size() / 2) / 1024.0);
    }

    private static String medianThreads(List<long[]> values) {
        List<Long> threads = values.stream().map(v -> v[1]).sorted().toList();
        return threads.get(threads.size() / 2) + " threads";
    }

    // ---- relay ------------------------------------------------------------------------------------------------

    private void relay() throws Exception {
        int runners = Math.min(maxRunners, levels[levels.length - 1]);
        log("starting " + runners + " runners for the relay");
        List<Session> sessions = idleRunners(runners);
        // What a start costs in CPU, the relay's warm-up included (decision 25, amended): each idle runner's
        // user + system time since its exec, median.
        List<Long> startCpu = new ArrayList<>();
        for (long pid : e2e.app.localRunners().orElseThrow().pids()) {
            startCpu.add(cpuNanos(List.of(pid)));
        }
        row("runner CPU from exec to idle (start and relay warm-up), " + startCpu.size() + " runners",
                "p50 " + ms(percentile(startCpu, 50)), "", "min " + ms(percentile(startCpu, 0)) + ", max "
                        + ms(percentile(startCpu, 100)) + "; started one after another, then 1.5 s idle");
        // One forwarder for the section (a forwarder closed and another opened could take the same port, and a
        // pooled connection of the client's would meet it).
        try (TcpProxy forwarder = new TcpProxy(0, URI.create(e2e.openai.baseUrl()).getPort())) {
            for (int level : levels) {
                // A runner serves one session and one browser (a second WebSocket replaces the first): ours runs at
                // most as many concurrent sessions as there are runners, the baseline and the floor at the full level.
                int used = Math.min(level, runners);
                log("relay at " + level + " concurrent sessions (ours: " + used + " runners)");
                List<Client> clients = new ArrayList<>();
                for (int i = 0; i < used; i++) {
                    clients.add(new Client(sessions.get(i).websocketUrl()));
                }
                e2e.openai.forgetRecorded(); // the fake's records of the earlier levels, in this JVM's bounded heap
                for (Client client : clients) {
                    client.offer(); // warm: every client's first offer is not measured
                }
                // CPU per warm offer (decision 25): each side's processes, /proc's user + system time over its loop.
                List<Long> runnerPids = e2e.app.localRunners().orElseThrow().pids();
                long runnersBefore = cpuNanos(runnerPids);
                Map<String, Long> threadsBefore = runnerThreadCpuNanos(runnerPids);
                long postgresBefore = postgresCpuNanos();
                long harnessBefore = cpuNanos(List.of(ProcessHandle.current().pid()));
                Result ours = closedLoop(used, i -> clients.get(i).offer());
                long runnersCpu = cpuNanos(runnerPids) - runnersBefore;
                Map<String, Long> threadsAfter = runnerThreadCpuNanos(runnerPids);
                long postgresCpu = postgresCpuNanos() - postgresBefore;
                long harnessOurs = cpuNanos(List.of(ProcessHandle.current().pid())) - harnessBefore;
                // One session only: the same runner's next loop, once its JIT has compiled the relay (a fresh
                // runner's first loop is mostly its warm-up), beside the same second loop of Node and of direct.
                Result oursWarm = level == 1 ? closedLoop(used, i -> clients.get(i).offer()) : null;
                clients.forEach(Client::close);
                long nodeBefore = cpuNanos(List.of(node.pid()));
                harnessBefore = cpuNanos(List.of(ProcessHandle.current().pid()));
                Step toNode = i -> postOffer("http://127.0.0.1:" + nodePort + "/session", false);
                Step toFake = i -> postOffer(e2e.openai.baseUrl() + "/v1/realtime/calls", true);
                Result baseline = closedLoop(level, toNode);
                long nodeCpu = cpuNanos(List.of(node.pid())) - nodeBefore;
                long harnessBaseline = cpuNanos(List.of(ProcessHandle.current().pid())) - harnessBefore;
                Result baselineWarm = level == 1 ? closedLoop(level, toNode) : null;
                Result direct = closedLoop(level, toFake);
                Result directWarm = level == 1 ? closedLoop(level, toFake) : null;
                // The floor of a relay's extra hop, one session: the same request through a forwarder that only
                // moves bytes (at 50 and more its threads would measure its own scheduling, not a hop).
                Result hop = level == 1 ? closedLoop(level, i -> postOffer("http://127.0.0.1:" + forwarder.port()
                        + "/v1/realtime/calls", true)) : null;
                String label = "relay offer -> answer, " + level + " session" + (level == 1 ? "" : "s")
                        + (used < level ? " (ours: " + used + " runners)" : "");
                row(label + " p50", ms(ours.p50()), ms(baseline.p50()) + " / direct " + ms(direct.p50())
                                + (hop == null ? "" : " / TCP hop " + ms(hop.p50())),
                        ratio(ours.p50(), baseline.p50()) + " of baseline; +" + ms(ours.p50() - direct.p50())
                                + " over direct (Node +" + ms(baseline.p50() - direct.p50())
                                + (hop == null ? "" : ", a byte-moving hop +" + ms(hop.p50() - direct.p50())) + ")");
                row(label + " p99", ms(ours.p99()), ms(baseline.p99()) + " / direct " + ms(direct.p99()),
                        ratio(ours.p99(), baseline.p99()) + " of baseline");
                if (oursWarm != null) {
                    row(label + " p50, the next loop" + (quick ? "" : " (JIT-warm)"), ms(oursWarm.p50()),
                            ms(baselineWarm.p50()) + " / direct " + ms(directWarm.p50()),
                            ratio(oursWarm.p50(), baselineWarm.p50()) + " of baseline; +"
                                    + ms(oursWarm.p50() - directWarm.p50()) + " over direct (Node +"
                                    + ms(baselineWarm.p50() - directWarm.p50()) + "); offers " + (ours.count() + 2)
                                    + "-" + (ours.count() + oursWarm.count() + 1) + " of the runner");
                }
                row(label + " throughput", rate(ours.perSecond(), "offers/s"),
                        rate(baseline.perSecond(), "offers/s") + " / direct " + rate(direct.perSecond(), "offers/s"),
                        ratio(baseline.perSecond(), ours.perSecond()) + " fewer than baseline (" + ours.count()
                                + " offers)");
                row(label + " runner CPU per warm offer by thread", byThread(threadsBefore, threadsAfter, runnersCpu,
                        ours.count()), "",
                        "all runners' threads by name (digits as N); ended: threads gone by the end");
                row(label + " CPU per warm offer", "runner " + ms(runnersCpu / ours.count()) + ", PostgreSQL "
                                + ms(postgresCpu / ours.count()), "node " + ms(nodeCpu / baseline.count()),
                        ratio(runnersCpu / (double) ours.count(), nodeCpu / (double) baseline.count())
                                + " of baseline (runner / node); harness JVM (control plane, fake OpenAI, clients) "
                                + ms(harnessOurs / ours.count()) + " / " + ms(harnessBaseline / baseline.count()));
            }
            int warmOffers = Integer.parseInt(System.getenv().getOrDefault("RELAY_WARM_OFFERS", "0"));
            if (warmOffers > 0 && runners > 1) {
                relayOnceWarm(sessions, runners, warmOffers);
            }
        }
        for (Session session : sessions) {
            endSession(session);
        }
    }

    /**
     * {@code RELAY_WARM_OFFERS=N}: the most concurrent sessions ours runs (50 runners, 10 at {@code --quick}) once
     * each runner has relayed N more offers, beside Node's next loop at the same level. It tells the runners' JIT
     * warm-up (paid in each of the JVMs: every runner starts from interpreted code) apart from their steady cost; a
     * real runner relays about one offer in its life, so the row above, not this one, is what candidates meet.
     */
    private void relayOnceWarm(List<Session> sessions, int runners, int warmOffers) throws Exception {
        log("relay at " + runners + " sessions: each runner relays " + warmOffers
                + " offers first (RELAY_WARM_OFFERS)");
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            clients.add(new Client(sessions.get(i).websocketUrl()));
        }
        try {
            long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            List<Future<Integer>> warming = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                Client client = clients.get(c);
                boolean janitor = c == 0;
                warming.add(pool.submit(() -> {
                    int done = 0;
                    while (done < warmOffers && System.nanoTime() < end) {
                        client.offer();
                        done++;
                        if (janitor && done % 20 == 0) {
                            e2e.openai.forgetRecorded(); // this JVM's heap holds the fake's records (-Xmx1g)
                        }
                    }
                    return done;
                }));
            }
            int fewest = Integer.MAX_VALUE;
            try {
                for (Future<Integer> done : warming) {
                    fewest = Math.min(fewest, done.get(6, TimeUnit.MINUTES));
                }
            } finally {
                warming.forEach(f -> f.cancel(true)); // after a failure, the other clients stop too
            }
            List<Long> runnerPids = e2e.app.localRunners().orElseThrow().pids();
            long runnersBefore = cpuNanos(runnerPids);
            Map<String, Long> threadsBefore = runnerThreadCpuNanos(runnerPids);
            long postgresBefore = postgresCpuNanos();
            Result ours = closedLoop(runners, i -> clients.get(i).offer());
            long runnersCpu = cpuNanos(runnerPids) - runnersBefore;
            Map<String, Long> threadsAfter = runnerThreadCpuNanos(runnerPids);
            long postgresCpu = postgresCpuNanos() - postgresBefore;
            e2e.openai.forgetRecorded();
            Step toNode = i -> postOffer("http://127.0.0.1:" + nodePort + "/session", false);
            closedLoop(runners, toNode); // Node's own warm-up at this level (one process: long since compiled)
            long nodeBefore = cpuNanos(List.of(node.pid()));
            Result baseline = closedLoop(runners, toNode);
            long nodeCpu = cpuNanos(List.of(node.pid())) - nodeBefore;
            Result direct = closedLoop(runners, i -> postOffer(e2e.openai.baseUrl() + "/v1/realtime/calls", true));
            String label = "relay offer -> answer, " + runners + " sessions, each runner after " + fewest
                    + " more offers";
            row(label + " p50", ms(ours.p50()), ms(baseline.p50()) + " / direct " + ms(direct.p50()),
                    ratio(ours.p50(), baseline.p50()) + " of baseline (Node's next loop); +" + ms(ours.p50()
                            - direct.p50()) + " over direct (Node +" + ms(baseline.p50() - direct.p50()) + ")");
            row(label + " throughput", rate(ours.perSecond(), "offers/s"), rate(baseline.perSecond(), "offers/s")
                    + " / direct " + rate(direct.perSecond(), "offers/s"), ratio(baseline.perSecond(),
                    ours.perSecond()) + " fewer than baseline (" + ours.count() + " offers)");
            row(label + " runner CPU per offer by thread", byThread(threadsBefore, threadsAfter, runnersCpu,
                    ours.count()), "", "the relay on runner-http-N; the replaced call's hang-up, the new call's"
                    + " sideband and callConnected on runner-background (work Node's relay does not do)");
            row(label + " CPU per offer", "runner " + ms(runnersCpu / ours.count()) + ", PostgreSQL "
                    + ms(postgresCpu / ours.count()), "node " + ms(nodeCpu / baseline.count()),
                    ratio(runnersCpu / (double) ours.count(), nodeCpu / (double) baseline.count())
                            + " of baseline (runner / node)");
        } finally {
            clients.forEach(Client::close);
        }
    }

    private void coldFirstOffer() throws Exception {
        // The relay's last level ended its runners just before this section: their exits (each stores what it holds
        // and hangs up) took the two cores from the first runner samples and not from the Node ones taken after
        // them. Wait (bounded) until they are gone, and take twice the usual samples: five swung 0.8x-2.1x.
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int live = e2e.app.localRunners().orElseThrow().pids().size();
        while (live > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
            live = e2e.app.localRunners().orElseThrow().pids().size();
        }
        int count = 2 * samples;
        log("cold first offer (" + count + " fresh runners, " + count + " fresh Node processes; " + live
                + " earlier runners still alive)");
        List<Long> ours = new ArrayList<>();
        List<Long> baseline = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Session session = startSession();
            try (Client client = new Client(session.websocketUrl())) {
                ours.add(client.offer());
            }
            endSession(session);
            int port = startNode();
            Process fresh = lastNode;
            try {
                baseline.add(postOffer("http://127.0.0.1:" + port + "/session", false));
            } finally {
                fresh.destroy();
                fresh.waitFor(5, TimeUnit.SECONDS);
            }
        }
        row("cold first offer (fresh runner / fresh Node)", "p50 " + ms(percentile(ours, 50)),
                "p50 " + ms(percentile(baseline, 50)), ratio(percentile(ours, 50), percentile(baseline, 50))
                        + " of baseline; " + count + " each, after the earlier runners exited (" + live + " left)");
    }

    // ---- ingest -----------------------------------------------------------------------------------------------

    /**
     * The first entry's timestamp; entry n is n ms later. Parsed once: parsing it per entry was a third of the
     * ingest rows' load generator's samples, on the cores the measured processes share.
     */
    private static final Instant SPOKEN_FROM = Instant.parse("2026-11-22T10:00:00Z");

    /** Messages per burst in the pipelined ingest rows. */
    private static final int PIPELINE = 50;

    private void ingest() throws Exception {
        // Eight sessions without a call (the browser's entries are then the only source and stored at once), one
        // client each; every configuration continues each session's transcript with new keys.
        List<Session> sessions = new ArrayList<>();
        List<Client> sockets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Session session = startSession();
            sessions.add(session);
            sockets.add(new Client(session.websocketUrl(), !ingestJdkClient));
        }
        int[] next = new int[8];
        for (int batch : new int[] {1, 20}) {
            for (int clients : new int[] {1, 8}) {
                log("ingest B=" + batch + " C=" + clients);
                Result ours = closedLoop(clients, i -> {
                    long t0 = System.nanoTime();
                    next[i] = sockets.get(i).ingest("c" + i, next[i], batch);
                    return System.nanoTime() - t0;
                });
                double oursRate = ours.perSecond() * batch;
                Raw floor = rawInsertRate(batch, clients);
                double raw = floor.perSecond();
                row("ingest B=" + batch + " C=" + clients + " (entries/s)", rate(oursRate, "/s"),
                        "raw INSERT " + rate(raw, "/s"), String.format(Locale.ROOT, "%.0f%% of raw", 100 * oursRate / raw)
                                + "; ack p50 " + ms(ours.p50()) + "; one message at a time, each awaiting its ack");
                // As a browser forwards: messages go out as the data channel shows them, without waiting for acks
                // (bursts of PIPELINE messages, then every key of the burst awaited as durable).
                log("ingest B=" + batch + " C=" + clients + " pipelined");
                // CPU per entry on each side (/proc's user + system time over the loop): where the machine's two
                // cores go, against the raw floor's PostgreSQL and client (decision 26).
                List<Long> runnerPids = e2e.app.localRunners().orElseThrow().pids();
                long runnersBefore = cpuNanos(runnerPids);
                long postgresBefore = postgresCpuNanos();
                long harnessBefore = cpuNanos(List.of(ProcessHandle.current().pid()));
                Result piped = closedLoop(clients, i -> {
                    long t0 = System.nanoTime();
                    next[i] = sockets.get(i).ingestPipelined("c" + i, next[i], batch, PIPELINE);
                    return System.nanoTime() - t0;
                });
                long entries = (long) piped.latencies().length * batch * PIPELINE;
                long runnersCpu = cpuNanos(runnerPids) - runnersBefore;
                long postgresCpu = postgresCpuNanos() - postgresBefore;
                long harnessCpu = cpuNanos(List.of(ProcessHandle.current().pid())) - harnessBefore;
                double pipedRate = piped.perSecond() * batch * PIPELINE;
                row("ingest B=" + batch + " C=" + clients + " pipelined (entries/s)", rate(pipedRate, "/s"),
                        "raw INSERT " + rate(raw, "/s"), String.format(Locale.ROOT, "%.0f%% of raw", 100 * pipedRate / raw)
                                + "; bursts of " + PIPELINE + " messages, all acked p50 " + ms(piped.p50())
                                + String.format(Locale.ROOT, "; CPU per entry: runners %.1f µs, PostgreSQL %.1f µs, "
                                        + "harness JVM (control plane, clients) %.1f µs; raw: PostgreSQL %.1f µs, "
                                        + "client %.1f µs", runnersCpu / 1e3 / entries, postgresCpu / 1e3 / entries,
                                harnessCpu / 1e3 / entries, floor.postgresNanosPerRow() / 1e3,
                                floor.clientNanosPerRow() / 1e3));
            }
        }
        sockets.forEach(Client::close);
        for (Session session : sessions) {
            endSession(session);
        }
    }

    /**
     * What PostgreSQL does per row (decision 26): {@code EXPLAIN ANALYZE} of 500 rows into the transcript under the
     * session's runner scope (row-level security, the session reference's statement trigger of V25, the primary key,
     * the checks, ON CONFLICT)
     * beside the same rows into the raw floor's table, each in a transaction rolled back. Logged, not a row.
     */
    private void explainInserts(Session session) {
        String rows = "from generate_series(1, 500) g";
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            String tenant;
            try (ResultSet r = s.executeQuery("select tenant_id from interview.interview_sessions where id = '"
                    + session.id() + "'")) {
                r.next();
                tenant = r.getString(1);
            }
            String claims = JSON.createObjectNode().put("iss", "interview-insights").put("role", "authenticated")
                    .put("aud", "authenticated").put("sub", session.id()).set("app_metadata", JSON.createObjectNode()
                            .put("tenant_id", tenant).put("tenant_role", "runner").put("session_id", session.id()))
                    .toString();
            for (int round = 0; round < 2; round++) {
                s.execute("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', '"
                        + claims + "', true)");
                log("EXPLAIN transcript insert, runner scope (round " + round + "):");
                try (ResultSet r = s.executeQuery("explain (analyze, buffers) insert into interview.transcript_entries"
                        + " (tenant_id, session_id, idempotency_key, speaker, text_ct, spoken_at, position, source,"
                        + " status) select '" + tenant + "', '" + session.id() + "', 'explain_' || g, 'candidate',"
                        + " convert_to('Every write carries an idempotency key, entry ' || g, 'UTF8'), now(),"
                        + " 1000000 + g, 'client', 'complete' " + rows
                        + " on conflict (session_id, idempotency_key) do nothing returning idempotency_key")) {
                    while (r.next()) {
                        log("  " + r.getString(1));
                    }
                }
                c.rollback();
                s.execute("create table if not exists public.bench_raw_entries (session_id uuid not null, "
                        + "idempotency_key text not null, speaker text not null, text text not null, "
                        + "spoken_at timestamptz not null, position bigint not null, primary key (session_id, "
                        + "idempotency_key))");
                log("EXPLAIN raw insert (round " + round + "):");
                try (ResultSet r = s.executeQuery("explain (analyze, buffers) insert into public.bench_raw_entries"
                        + " (session_id, idempotency_key, speaker, text, spoken_at, position) select '" + session.id()
                        + "', 'explain_' || g, 'candidate', 'Every write carries an idempotency key, entry ' || g,"
                        + " now(), g " + rows)) {
                    while (r.next()) {
                        log("  " + r.getString(1));
                    }
                }
                c.rollback();
            }
        } catch (Exception e) {
            log("EXPLAIN failed: " + e);
        }
    }

    /** The raw floor: rows per second, and the CPU per row of PostgreSQL and of this JVM (the JDBC client). */
    private record Raw(double perSecond, double postgresNanosPerRow, double clientNanosPerRow) {
    }

    /** Rows per second into a plain table of the same database: B rows per transaction, C connections. */
    private Raw rawInsertRate(int batch, int clients) throws Exception {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("create table if not exists public.bench_raw_entries (session_id uuid not null, "
                    + "idempotency_key text not null, speaker text not null, text text not null, "
                    + "spoken_at timestamptz not null, position bigint not null, primary key (session_id, idempotency_key))");
            s.execute("truncate public.bench_raw_entries");
        }
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Connection c = superuser();
            c.setAutoCommit(false);
            connections.add(c);
        }
        UUID session = UUID.randomUUID();
        long[] position = new long[clients];
        try {
            long postgresBefore = postgresCpuNanos();
            long clientBefore = cpuNanos(List.of(ProcessHandle.current().pid()));
            Result result = closedLoop(clients, i -> {
                long t0 = System.nanoTime();
                Connection c = connections.get(i);
                try (PreparedStatement insert = c.prepareStatement("insert into public.bench_raw_entries "
                        + "(session_id, idempotency_key, speaker, text, spoken_at, position) values (?,?,?,?,?,?)")) {
                    for (int b = 0; b < batch; b++) {
                        long p = position[i]++;
                        insert.setObject(1, session);
                        insert.setString(2, "k" + i + "_" + p);
                        insert.setString(3, "candidate");
                        insert.setString(4, "Every write carries an idempotency key, entry " + p);
                        insert.setTimestamp(5, Timestamp.from(Instant.now()));
                        insert.setLong(6, p * clients + i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                c.commit();
                return System.nanoTime() - t0;
            });
            double rows = (double) result.latencies().length * batch;
            return new Raw(result.perSecond() * batch, (postgresCpuNanos() - postgresBefore) / rows,
                    (cpuNanos(List.of(ProcessHandle.current().pid())) - clientBefore) / rows);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    // ---- offer cost versus stored transcript ------------------------------------------------------------------

    private void offerVersusStoredEntries() throws Exception {
        int stored = 50_000;
        int offers = quick ? 10 : 30;
        log("offer latency at 0 and " + stored + " stored entries");
        Session empty = startSession();
        long atZero;
        try (Client client = new Client(empty.websocketUrl())) {
            client.offer();
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < offers; i++) {
                latencies.add(client.offer());
            }
            atZero = percentile(latencies, 50);
        }
        Session full = startSession();
        insertEntries(full, stored);
        long atFull;
        try (Client client = new Client(full.websocketUrl())) {
            client.offer();
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < offers; i++) {
                latencies.add(client.offer());
            }
            atFull = percentile(latencies, 50);
        }
        endSession(empty);
        endSession(full);
        row("offer p50 at 0 / " + stored + " stored entries", ms(atZero) + " / " + ms(atFull), "",
                ratio(atFull, atZero) + " (" + offers + " offers each, warm runner)");
    }

    private void insertEntries(Session session, int count) throws Exception {
        try (Connection c = superuser()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into interview.transcript_entries "
                    + "(tenant_id, session_id, idempotency_key, speaker, text, spoken_at, position, source, status) "
                    + "values (?,?,?,?,?,?,?,'sideband','complete')")) {
                UUID tenant = UUID.fromString(e2e.tenant.toString());
                UUID id = UUID.fromString(session.id());
                for (int i = 0; i < count; i++) {
                    insert.setObject(1, tenant);
                    insert.setObject(2, id);
                    insert.setString(3, "pre_" + i);
                    insert.setString(4, i % 2 == 0 ? "ai" : "candidate");
                    insert.setString(5, "A stored line of an earlier part of the interview, number " + i);
                    insert.setTimestamp(6, Timestamp.from(Instant.parse("2026-11-22T10:00:00Z").plusMillis(i)));
                    insert.setLong(7, i);
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    private Connection superuser() throws Exception {
        // The embedded PostgreSQL of the app's data directory: its port is in postmaster.pid (4th line).
        List<String> pid = Files.readAllLines(e2e.dataDir.resolve("postgres").resolve("postmaster.pid"));
        // Every role logs in with its generated SCRAM password, kept in a file beside the app's other secrets.
        Path passwordFile;
        try (var files = Files.walk(e2e.dataDir, 3)) {
            passwordFile = files.filter(f -> f.getFileName().toString().equals("postgres-postgres-password"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no superuser password file"));
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/postgres",
                "postgres", Files.readString(passwordFile).strip());
    }

    // ---- sessions, clients, loops -----------------------------------------------------------------------------

    /**
     * The room's ask for its recording's grant, with the candidate's token, its time in ns; the candidate's consent
     * first (untimed), as the staff room records it before it joins.
     */
    private long askForTheGrant(Session session) throws Exception {
        String token = E2eApp.candidateToken(session.websocketUrl());
        String notice = e2e.get("/api/sessions/" + session.id() + "/lobby", token).body().path("notice")
                .path("version").asText();
        E2eApp.Reply consent = e2e.post("/api/sessions/" + session.id() + "/consent", token, Map.of(
                "notice_version", notice, "ai_evaluation", true, "recording", true));
        check(consent.status() == 201, "consent: " + consent.raw());
        long t0 = System.nanoTime();
        E2eApp.Reply granted = e2e.post("/api/sessions/" + session.id() + "/recording-grant", token, Map.of());
        long took = System.nanoTime() - t0;
        check(granted.status() == 201 && granted.body().path("upload_token").isTextual(), "grant: " + granted.raw());
        return took;
    }

    private record Session(String id, String websocketUrl) {
    }

    private Session startSession() throws Exception {
        E2eApp.Reply candidate = e2e.post("/api/candidates", e2e.adminToken, Map.of("name", "Bench Candidate",
                "email", "bench-" + UUID.randomUUID() + "@example.com"));
        check(candidate.status() == 201, "candidate: " + candidate.raw());
        E2eApp.Reply started = e2e.post("/api/sessions", e2e.adminToken, Map.of("candidate_id",
                candidate.body().path("id").asText(), "position_id", positionId));
        check(started.status() == 201 && "ready".equals(started.body().path("status").asText()),
                "session: " + started.raw());
        return new Session(started.body().path("session_id").asText(), started.body().path("websocket_url").asText());
    }

    private void awaitActive(Session session) throws Exception {
        for (int i = 0; i < 300; i++) {
            E2eApp.Reply reply = e2e.get("/api/sessions/" + session.id(), e2e.adminToken);
            if ("active".equals(reply.body().path("status").asText())) {
                return;
            }
            Thread.sleep(20);
        }
        log("session " + session.id() + " not active within 6 s");
    }

    private void endSession(Session session) {
        try {
            e2e.post("/api/sessions/" + session.id() + "/end", e2e.adminToken, Map.of());
        } catch (Exception e) {
            log("could not end " + session.id() + ": " + e);
        }
    }

    /** One text frame out. */
    private interface SendText {
        void text(String text) throws Exception;
    }

    /** The ingest rows' browsers' WebSocket client (see {@link Client#Client(String, boolean)}). */
    private static final okhttp3.OkHttpClient OKHTTP = new okhttp3.OkHttpClient.Builder()
            .readTimeout(Duration.ZERO).build();

    /** A browser on the runner's WebSocket, synchronous: one request, then its reply. */
    private final class Client implements AutoCloseable {

        private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        /** Sends one text frame, returning once it is written (JDK) or queued in order for the wire (OkHttp). */
        private final SendText send;
        private final Runnable close;

        Client(String url) throws Exception {
            this(url, false);
        }

        /**
         * @param okhttp OkHttp's WebSocket instead of the JDK's: the ingest rows' browsers. The JDK client encodes a
         *               text frame's UTF-8 one {@code charAt} at a time through a {@code CharsetEncoder} (its
         *               {@code StringCharBuffer} has no array for the fast loop): 38% of this JVM's samples in the
         *               B=20 C=8 pipelined row, on the cores the control plane, the runners and PostgreSQL share,
         *               while the raw floor's client (JDBC) pays nothing alike. A browser stand-in should cost the
         *               machine little; OkHttp writes the frame from {@code String.getBytes}. The relay rows keep
         *               the JDK client (their latency includes the send, as before).
         */
        Client(String url, boolean okhttp) throws Exception {
            if (okhttp) {
                CompletableFuture<Void> open = new CompletableFuture<>();
                okhttp3.WebSocket socket = OKHTTP.newWebSocket(new okhttp3.Request.Builder().url(url).build(),
                        new okhttp3.WebSocketListener() {
                            @Override
                            public void onOpen(okhttp3.WebSocket ws, okhttp3.Response response) {
                                open.complete(null);
                            }

                            @Override
                            public void onMessage(okhttp3.WebSocket ws, String text) {
                                received(text);
                            }

                            @Override
                            public void onFailure(okhttp3.WebSocket ws, Throwable t, okhttp3.Response response) {
                                open.completeExceptionally(t);
                                inbox.add(JSON.createObjectNode().put("type", "error").put("failure", t.toString()));
                            }
                        });
                open.get(30, TimeUnit.SECONDS);
                send = text -> {
                    if (!socket.send(text)) {
                        throw new IllegalStateException("the WebSocket refused a frame (closed or 16 MiB queued)");
                    }
                };
                close = socket::cancel;
                return;
            }
            StringBuilder partial = new StringBuilder();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                received(partial.toString());
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            send = text -> socket.sendText(text, true).get(30, TimeUnit.SECONDS);
            close = socket::abort;
        }

        private void received(String text) {
            try {
                inbox.add(JSON.readTree(text));
            } catch (Exception e) {
                inbox.add(JSON.createObjectNode().put("type", "unreadable"));
            }
        }

        /** Sends an offer and returns the nanoseconds until its answer. */
        long offer() throws Exception {
            // "type" first, as the room's page sends it (room.js): Map.of's order changes from one JVM to the next,
            // and an offer whose type came last made the runner's decoder buffer the whole message first.
            String message = JSON.writeValueAsString(JSON.createObjectNode().put("type", "sdp_offer")
                    .put("sdp", OFFER));
            long t0 = System.nanoTime();
            send.text(message);
            await("sdp_answer");
            return System.nanoTime() - t0;
        }

        /**
         * Sends {@code messages} messages of {@code count} new entries each, back to back, then waits until every key
         * is acknowledged as durable.
         */
        int ingestPipelined(String prefix, int next, int count, int messages) throws Exception {
            Set<String> keys = new HashSet<>();
            for (int m = 0; m < messages; m++) {
                ObjectNode message = JSON.createObjectNode().put("type", "transcript_update");
                ArrayNode entries = message.putArray("entries");
                for (int i = 0; i < count; i++) {
                    int n = next + m * count + i;
                    String item = "item_" + prefix + "_" + n;
                    keys.add(item);
                    entries.addObject().put("item_id", item)
                            .put("previous_item_id", n == 0 ? null : "item_" + prefix + "_" + (n - 1))
                            .put("speaker", n % 2 == 0 ? "ai" : "candidate")
                            .put("text", "Every write carries an idempotency key, entry " + n)
                            .put("timestamp", SPOKEN_FROM.plusMillis(n).toString());
                }
                send.text(JSON.writeValueAsString(message));
            }
            while (!keys.isEmpty()) {
                JsonNode ack = await("transcript_ack");
                ack.path("stored").forEach(k -> keys.remove(k.asText()));
                ack.path("duplicates").forEach(k -> keys.remove(k.asText()));
            }
            return next + count * messages;
        }

        /** Sends {@code count} new entries in one message and waits until all are acknowledged as durable. */
        int ingest(String prefix, int next, int count) throws Exception {
            ObjectNode message = JSON.createObjectNode().put("type", "transcript_update");
            ArrayNode entries = message.putArray("entries");
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < count; i++) {
                int n = next + i;
                String item = "item_" + prefix + "_" + n;
                keys.add(item);
                entries.addObject().put("item_id", item)
                        .put("previous_item_id", n == 0 ? null : "item_" + prefix + "_" + (n - 1))
                        .put("speaker", n % 2 == 0 ? "ai" : "candidate")
                        .put("text", "Every write carries an idempotency key, entry " + n)
                        .put("timestamp", SPOKEN_FROM.plusMillis(n).toString());
            }
            send.text(JSON.writeValueAsString(message));
            while (!keys.isEmpty()) {
                JsonNode ack = await("transcript_ack");
                ack.path("stored").forEach(k -> keys.remove(k.asText()));
                ack.path("duplicates").forEach(k -> keys.remove(k.asText()));
            }
            return next + count;
        }

        private JsonNode await(String type) throws Exception {
            while (true) {
                JsonNode message = inbox.poll(30, TimeUnit.SECONDS);
                if (message == null) {
                    throw new IllegalStateException("no " + type + " within 30 s");
                }
                String got = message.path("type").asText();
                if (got.equals(type)) {
                    return message;
                }
                if (got.equals("error")) {
                    throw new IllegalStateException("the runner answered " + message);
                }
            }
        }

        @Override
        public void close() {
            close.run();
        }
    }

    /** POSTs the offer (raw to the Node relay, multipart straight to the fake) and returns the nanoseconds taken. */
    private long postOffer(String url, boolean multipart) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (multipart) {
            String boundary = "bench" + UUID.randomUUID().toString().replace("-", "");
            String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"sdp\"\r\n"
                    + "Content-Type: application/sdp\r\n\r\n" + OFFER + "\r\n--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"session\"\r\nContent-Type: application/json\r\n\r\n"
                    + "{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}\r\n--" + boundary + "--\r\n";
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Authorization", "Bearer " + E2eApp.OPENAI_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(OFFER));
        }
        long t0 = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            if (!closedLocally(e)) {
                throw e;
            }
            // The JDK client's own pool closed the connection it had just handed out (its clean-up racing the
            // request: "connection closed locally", no reply read), which failed a whole relay level in the
            // eleventh round. Sent again once on a fresh connection, counted, and timed from the first attempt; if
            // the first had reached the relay, that relay ran one offer more (this harness only).
            staleConnections.incrementAndGet();
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        long took = System.nanoTime() - t0;
        check(response.statusCode() / 100 == 2 && response.body().startsWith("v=0"),
                "offer to " + url + ": " + response.statusCode() + " " + response.body());
        return took;
    }

    /** Requests sent again because the JDK client's pool closed their connection itself ({@link #postOffer}). */
    private final java.util.concurrent.atomic.AtomicInteger staleConnections =
            new java.util.concurrent.atomic.AtomicInteger();

    private static boolean closedLocally(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException && "connection closed locally".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Step {
        /** One operation of client {@code i}; returns its latency in nanoseconds. */
        long run(int i) throws Exception;
    }

    private record Result(long[] latencies, double perSecond) {
        long p50() {
            return latencies[(int) Math.min(latencies.length - 1, Math.floor(latencies.length * 0.50))];
        }

        long p99() {
            return latencies[(int) Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
        }

        int count() {
            return latencies.length;
        }
    }

    /** {@code clients} closed loops in parallel, each until the time budget or its count is spent. */
    private Result closedLoop(int clients, Step step) throws Exception {
        long start = System.nanoTime();
        long end = start + budget.toNanos();
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int i = c;
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < end && mine.size() < maxPerClient) {
                    mine.add(step.run(i));
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            all.addAll(future.get(budget.toSeconds() + 120, TimeUnit.SECONDS));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted, sorted.length / seconds);
    }

    // ---- CPU time ---------------------------------------------------------------------------------------------

    /** Linux's USER_HZ: the unit of /proc's CPU times (100 on every mainstream kernel). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /**
     * User + system CPU time these processes have used so far, from {@code /proc/<pid>/stat} (with what their
     * exited and reaped children used); a process that is gone counts 0.
     */
    private static long cpuNanos(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // The command may contain spaces and parentheses: the fields start after the last ')'.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are 11-14 here (counted from field 3).
                for (int i = 11; i <= 14; i++) {
                    ticks += Long.parseLong(fields[i]);
                }
            } catch (Exception gone) {
                // exited meanwhile
            }
        }
        return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }

    /** CPU time per thread name of one process (threads of one name summed; names as /proc cuts them). */
    /** The CPU of every runner's threads, summed by thread name (digits as N). */
    private static Map<String, Long> runnerThreadCpuNanos(List<Long> pids) {
        Map<String, Long> all = new java.util.TreeMap<>();
        for (long pid : pids) {
            threadCpuNanos(pid).forEach((name, nanos) -> all.merge(name, nanos, Long::sum));
        }
        return all;
    }

    /**
     * Where the runners' CPU of a loop went, per offer: the thread names that used the most, and what threads that
     * ended during the loop used (the process's total less its live threads').
     */
    private static String byThread(Map<String, Long> before, Map<String, Long> after, long total, int offers) {
        Map<String, Long> used = new java.util.HashMap<>();
        long live = 0;
        for (Map.Entry<String, Long> thread : after.entrySet()) {
            long delta = Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
            used.put(thread.getKey(), delta);
            live += delta;
        }
        used.put("ended", Math.max(0, total - live));
        return used.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(7)
                .map(e -> e.getKey() + " " + ms(e.getValue() / Math.max(1, offers)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** A process's threads by name (the 15 characters Linux keeps), with how many bear each. */
    private static Map<String, Integer> threadNames(long pid) {
        Map<String, Integer> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    byName.merge(Files.readString(task.resolve("comm")).strip(), 1, Integer::sum);
                } catch (Exception gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (Exception e) {
            // the process is gone
        }
        return byName;
    }

    private static Map<String, Long> threadCpuNanos(long pid) {
        Map<String, Long> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "N");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byName.merge(name, ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND, Long::sum);
                } catch (Exception gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (Exception e) {
            // the process is gone
        }
        return byName;
    }

    /** The embedded PostgreSQL's CPU: the postmaster (its first line in postmaster.pid) and every backend. */
    private long postgresCpuNanos() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(e2e.dataDir.resolve("postgres")
                    .resolve("postmaster.pid")).get(0).strip());
            List<Long> pids = new ArrayList<>();
            pids.add(postmaster);
            ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
            return cpuNanos(pids);
        } catch (Exception e) {
            return 0;
        }
    }

    // ---- the Node baseline ------------------------------------------------------------------------------------

    private Process lastNode;

    private int startNode() throws Exception {
        Path script = Path.of(PerformanceBenchmark.class.getResource("/benchmark/baseline-relay.js").toURI());
        ProcessBuilder builder = new ProcessBuilder(System.getenv().getOrDefault("NODE", "node"), script.toString())
                .redirectErrorStream(true);
        builder.environment().put("OPENAI_BASE_URL", e2e.openai.baseUrl());
        builder.environment().put("OPENAI_API_KEY", E2eApp.OPENAI_KEY);
        builder.environment().put("PORT", "0");
        lastNode = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(lastNode.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("BASELINE_LISTENING port=")) {
                        return Integer.parseInt(line.substring("BASELINE_LISTENING port=".length()).strip());
                    }
                }
                throw new IllegalStateException("node exited");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, pool);
        return port.get(30, TimeUnit.SECONDS);
    }

    // ---- the table --------------------------------------------------------------------------------------------

    private void row(String what, String ours, String baseline, String note) {
        rows.add(new String[] {what, ours, baseline, note});
        log(what + ": " + ours + (baseline.isEmpty() ? "" : " vs " + baseline) + "  " + note);
    }

    private void print() {
        StringBuilder table = new StringBuilder();
        table.append("\n| measure | ours | baseline (Node) / floor | ratio, notes |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        table.append("\n").append(quick ? "--quick: " : "").append("levels ").append(Arrays.toString(levels))
                .append(", at most ").append(maxRunners).append(" runners, ").append(budget.toSeconds())
                .append(" s or ").append(maxPerClient).append(" operations per client and measure; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, load average ")
                .append(loadAverage()).append(" at the end.\n");
        if (staleConnections.get() > 0) {
            table.append(staleConnections.get()).append(" request(s) sent again: the JDK client's pool had closed"
                    + " their connection itself (postOffer).\n");
        }
        // The app's own log goes to standard output: the table goes to standard error and to a file.
        System.err.println(table);
        try {
            Path file = Path.of("target", "benchmark", "performance-" + Instant.now().toString().replace(':', '-')
                    + ".md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, table);
            log("table written to " + file.toAbsolutePath());
        } catch (Exception e) {
            log("could not write the table: " + e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static long percentile(List<Long> values, int p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * p / 100.0))];
    }

    private static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "-" : String.format(Locale.ROOT, "%.1fx", a / b);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static void log(String message) {
        System.err.println("[benchmark] " + message);
    }

    private void stopNode() {
        Process[] all = {node, lastNode};
        for (Process process : all) {
            if (process != null) {
                process.destroy();
            }
        }
    }

    private void close() {
        stopNode();
        if (e2e != null) {
            try {
                e2e.close();
            } catch (Exception e) {
                log("closing the app: " + e);
            }
        }
        pool.shutdownNow();
    }
}
