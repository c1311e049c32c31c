package ai.interviewinsights.domain.runner;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.out.ControlPlane;
import ai.interviewinsights.domain.testing.ForwardingControlPlane;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ingest (issue 16, goal 4), by behaviour: what the browser delivers in many messages is written to the control
 * plane in one batch, and no entry is acknowledged before the control plane's write succeeded; a failed write is
 * retried and nothing is lost.
 */
class RunnerIngestCoalescingTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    /** The real control plane in-process, recording each write, able to hold a write or to fail it. */
    private static final class Recording extends ForwardingControlPlane {
        final List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failuresLeft = new AtomicInteger();
        volatile CountDownLatch hold;
        final CountDownLatch held = new CountDownLatch(1);

        Recording(ControlPlane real) {
            super(real);
        }

        @Override
        public AppendResult recordTranscript(List<TranscriptEntry> entries) {
            writes.add(entries.size());
            CountDownLatch gate = hold;
            if (gate != null) {
                held.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new DomainException(ErrorKind.UNAVAILABLE, "control_plane.unreachable",
                        "the control plane could not be reached", true, null);
            }
            return real.recordTranscript(entries);
        }

    }

    /** What the browser was told is durable, in order. */
    private static final class Acks implements InterviewRunner.Observer {
        final Set<IdempotencyKey> durable = Collections.synchronizedSet(new HashSet<>());
        final AtomicInteger acks = new AtomicInteger();

        @Override
        public void transcriptRecorded(AppendResult result) {
            durable.addAll(result.stored());
            durable.addAll(result.duplicates());
            acks.incrementAndGet();
        }
    }

    private InterviewSession session;
    private Recording controlPlane;

    private InterviewRunner runner(InterviewRunner.IngestPolicy policy, Acks acks) {
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        session = platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null)).session();
        controlPlane = new Recording(new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session.id()),
                platform.services));
        return new InterviewRunner(session.id(), controlPlane, platform.openai, platform.clock, SdpLimits.defaults(),
                acks, InterviewRunner.DrainPolicy.NONE, background, policy);
    }

    private ClientEntry note(int i) {
        return new ClientEntry(IdempotencyKey.of("note-" + i), null, null, Speaker.CANDIDATE, "note " + i,
                platform.clock.instant().plusMillis(i), false);
    }

    private Set<String> storedKeys() {
        Set<String> keys = new HashSet<>();
        platform.services.interviewReport().report(Fixtures.admin(ACME), session.id()).transcript()
                .forEach(e -> keys.add(e.key().value()));
        return keys;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(20, TimeUnit.SECONDS), "not within 20 s");
    }

    private static void eventually(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void ten_messages_of_one_entry_become_one_write() throws Exception {
        Acks acks = new Acks();
        // A window far longer than the test: only the count bound can trigger the write.
        InterviewRunner runner = runner(new InterviewRunner.IngestPolicy(Duration.ofMinutes(5), 10, 64 * 1024), acks);
        for (int i = 0; i < 10; i++) {
            InterviewRunner.ClientBatchOutcome outcome = runner.acceptClientEntries(List.of(note(i)));
            assertEquals(List.of(IdempotencyKey.of("note-" + i)), outcome.pending(),
                    "answered at once, as pending: nothing is durable yet");
            assertTrue(outcome.stored().isEmpty() && outcome.duplicates().isEmpty());
        }
        eventually(() -> acks.durable.size() == 10, "all ten acknowledged");
        assertEquals(List.of(10), controlPlane.writes, "one write for ten messages");
        assertEquals(10, storedKeys().size());
    }

    @Test
    void the_window_writes_what_is_waiting_without_reaching_the_count() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(new InterviewRunner.IngestPolicy(Duration.ofMillis(20), 100, 64 * 1024),
                acks);
        for (int i = 0; i < 3; i++) {
            runner.acceptClientEntries(List.of(note(i)));
        }
        eventually(() -> acks.durable.size() == 3, "acknowledged after the window");
        assertEquals(3, controlPlane.writes.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void nothing_is_acknowledged_before_the_control_plane_has_answered() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(new InterviewRunner.IngestPolicy(Duration.ofMinutes(5), 2, 64 * 1024), acks);
        CountDownLatch release = new CountDownLatch(1);
        controlPlane.hold = release;
        try {
            runner.acceptClientEntries(List.of(note(0)));
            runner.acceptClientEntries(List.of(note(1)));
            await(controlPlane.held); // the write is at the control plane, not answered
            assertEquals(0, acks.acks.get(), "no acknowledgement while the write is in flight");
            assertEquals(2, runner.unacknowledgedEntries());
        } finally {
            release.countDown();
        }
        eventually(() -> acks.durable.size() == 2, "acknowledged once the control plane answered");
    }

    /**
     * The browser sends an entry again before it is written (its socket reconnected and it resent what was pending):
     * the runner has it already, waiting in its outbox, and says so as pending. It said duplicate, which the
     * protocol defines as durable, so a client would drop its copy of an entry not stored yet.
     */
    @Test
    void an_entry_sent_again_before_it_is_written_is_pending_again_not_a_duplicate() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(new InterviewRunner.IngestPolicy(Duration.ofMinutes(5), 100, 64 * 1024),
                acks);
        assertEquals(List.of(IdempotencyKey.of("note-0")), runner.acceptClientEntries(List.of(note(0))).pending());
        InterviewRunner.ClientBatchOutcome again = runner.acceptClientEntries(List.of(note(0), note(1)));
        assertEquals(List.of(IdempotencyKey.of("note-0"), IdempotencyKey.of("note-1")), again.pending(),
                "not durable yet: " + again);
        assertEquals(List.of(), again.duplicates());
        assertEquals(2, runner.unacknowledgedEntries(), "kept once");

        runner.enforceTimeBudget(); // the tick writes what waits
        eventually(() -> acks.durable.size() == 2, "acknowledged once written");
        InterviewRunner.ClientBatchOutcome afterwards = runner.acceptClientEntries(List.of(note(0)));
        assertEquals(List.of(IdempotencyKey.of("note-0")), afterwards.duplicates(), "durable now: a duplicate");
        assertEquals(Set.of("note-0", "note-1"), storedKeys());
    }

    @Test
    void a_failed_write_is_retried_and_nothing_acknowledged_is_lost() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(new InterviewRunner.IngestPolicy(Duration.ofMinutes(5), 4, 64 * 1024), acks);
        controlPlane.failuresLeft.set(1);
        for (int i = 0; i < 4; i++) {
            runner.acceptClientEntries(List.of(note(i)));
        }
        eventually(() -> !controlPlane.writes.isEmpty(), "the first write attempt");
        background.submit(() -> { }).get(20, TimeUnit.SECONDS); // that attempt has failed by now
        assertEquals(0, acks.acks.get(), "a failed write acknowledges nothing");
        assertEquals(4, runner.unacknowledgedEntries(), "and keeps every entry");

        runner.enforceTimeBudget(); // the runner's tick retries what is waiting
        background.submit(() -> { }).get(20, TimeUnit.SECONDS);
        assertEquals(Set.of("note-0", "note-1", "note-2", "note-3"), acks.durable.stream().map(IdempotencyKey::value)
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of("note-0", "note-1", "note-2", "note-3"), storedKeys(), "every acknowledged entry stored");
        assertEquals(0, runner.unacknowledgedEntries());
    }

    @Test
    void a_large_burst_is_written_in_batches_within_the_bounds_of_one_batch() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(InterviewRunner.IngestPolicy.COALESCED, acks);
        CountDownLatch release = new CountDownLatch(1);
        controlPlane.hold = release;
        List<ClientEntry> burst = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            burst.add(note(i));
            if (burst.size() == 100) {
                runner.acceptClientEntries(burst);
                burst = new ArrayList<>();
            }
        }
        await(controlPlane.held);
        release.countDown();
        eventually(() -> acks.durable.size() == 1200, "all acknowledged");
        assertTrue(controlPlane.writes.stream().allMatch(n -> n <= 500), "at most 500 per write: "
                + controlPlane.writes);
        assertTrue(controlPlane.writes.size() < 12, "coalesced while a write was in flight: " + controlPlane.writes);
        assertEquals(1200, storedKeys().size());
    }

    // ---- group commit (decision 26) -----------------------------------------------------------------------------

    @Test
    void group_commit_writes_an_entry_that_finds_no_write_in_flight_at_once() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(InterviewRunner.IngestPolicy.GROUP_COMMIT, acks);
        InterviewRunner.ClientBatchOutcome outcome = runner.acceptClientEntries(List.of(note(0)));
        assertEquals(List.of(IdempotencyKey.of("note-0")), outcome.pending(), "answered at once, as pending");
        // No window and no count to reach: the one entry is written without anything else arriving.
        eventually(() -> acks.durable.size() == 1, "the lone entry acknowledged");
        assertEquals(List.of(1), controlPlane.writes);
        assertEquals(Set.of("note-0"), storedKeys());
    }

    @Test
    void group_commit_gathers_what_arrives_while_a_write_is_in_flight_into_the_next_write() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(InterviewRunner.IngestPolicy.GROUP_COMMIT, acks);
        CountDownLatch release = new CountDownLatch(1);
        controlPlane.hold = release;
        try {
            runner.acceptClientEntries(List.of(note(0)));
            await(controlPlane.held); // the first write is at the control plane, not answered
            for (int i = 1; i < 10; i++) {
                runner.acceptClientEntries(List.of(note(i)));
            }
            assertEquals(0, acks.acks.get(), "nothing acknowledged while the write is in flight");
            assertEquals(10, runner.unacknowledgedEntries());
        } finally {
            release.countDown();
        }
        eventually(() -> acks.durable.size() == 10, "all ten acknowledged");
        assertEquals(List.of(1, 9), controlPlane.writes, "the nine that arrived during the first write: one write");
        assertEquals(10, storedKeys().size());
    }

    @Test
    void group_commit_acknowledges_nothing_of_a_failed_write_and_retries_it_whole() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(InterviewRunner.IngestPolicy.GROUP_COMMIT, acks);
        // The held write fails, and so does the write queued behind it (which takes all three).
        controlPlane.failuresLeft.set(2);
        CountDownLatch release = new CountDownLatch(1);
        controlPlane.hold = release;
        try {
            runner.acceptClientEntries(List.of(note(0)));
            await(controlPlane.held);
            runner.acceptClientEntries(List.of(note(1), note(2)));
        } finally {
            release.countDown();
        }
        eventually(() -> controlPlane.writes.size() == 2, "both attempts");
        background.submit(() -> { }).get(20, TimeUnit.SECONDS);
        assertEquals(0, acks.acks.get(), "a failed write acknowledges nothing");
        assertEquals(3, runner.unacknowledgedEntries(), "and keeps every entry, in order");

        runner.enforceTimeBudget(); // the tick retries
        eventually(() -> acks.durable.size() == 3, "all three acknowledged after the retry");
        assertEquals(List.of(1, 3, 3), controlPlane.writes, "each attempt carried everything unacknowledged");
        assertEquals(Set.of("note-0", "note-1", "note-2"), storedKeys());
        assertEquals(0, runner.unacknowledgedEntries());
    }

    @Test
    void group_commit_keeps_each_write_within_one_batchs_bounds_and_the_order() throws Exception {
        Acks acks = new Acks();
        InterviewRunner runner = runner(InterviewRunner.IngestPolicy.GROUP_COMMIT, acks);
        CountDownLatch release = new CountDownLatch(1);
        controlPlane.hold = release;
        runner.acceptClientEntries(List.of(note(0)));
        await(controlPlane.held);
        List<ClientEntry> burst = new ArrayList<>();
        for (int i = 1; i <= 1200; i++) {
            burst.add(note(i));
            if (burst.size() == 100) {
                runner.acceptClientEntries(burst);
                burst = new ArrayList<>();
            }
        }
        release.countDown();
        eventually(() -> acks.durable.size() == 1201, "all acknowledged");
        assertTrue(controlPlane.writes.stream().allMatch(n -> n <= 500), "at most 500 per write: "
                + controlPlane.writes);
        assertEquals(List.of(1, 500, 500, 200), controlPlane.writes, "what waited went in full batches");
        List<Long> positions = platform.services.interviewReport().report(Fixtures.admin(ACME), session.id())
                .transcript().stream().map(TranscriptEntry::position).toList();
        List<String> keys = platform.services.interviewReport().report(Fixtures.admin(ACME), session.id())
                .transcript().stream().map(e -> e.key().value()).toList();
        for (int i = 0; i < keys.size(); i++) {
            assertEquals("note-" + i, keys.get(i), "stored in the order received");
        }
        assertEquals(positions.stream().sorted().toList(), positions);
    }
}
