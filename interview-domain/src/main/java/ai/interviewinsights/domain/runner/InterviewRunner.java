package ai.interviewinsights.domain.runner;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.session.RunnerAssignment;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.TranscriptAssembler;
import ai.interviewinsights.domain.model.transcript.TranscriptBatch;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase;
import ai.interviewinsights.domain.port.in.EndCallUseCase;
import ai.interviewinsights.domain.port.in.TakeTranscriptUpdateUseCase;
import ai.interviewinsights.domain.port.out.ControlPlane;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.lang.System.Logger.Level;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The session runner's work for one interview: relay the browser's SDP offer to OpenAI, then own the call's
 * transcript. Every event of the call reaches it twice, once over the runner's own sideband connection and once as
 * the browser forwards it; a {@link TranscriptAssembler} merges both into one ordered transcript, and finished
 * entries go to the control plane through an outbox that is only emptied once the control plane has acknowledged
 * them. If the browser crashes, reloads or forwards nothing, the sideband alone still yields the whole transcript.
 *
 * <p>At the end (the candidate ends it, the call ends, or the time budget is spent) everything still open is
 * flushed and recorded before the end is reported, so the control plane never evaluates a transcript that is
 * still arriving.
 *
 * <p>Thread-safe: sideband events, browser messages and the time-budget check arrive on different threads.
 */
public final class InterviewRunner implements NegotiateSdpUseCase, TakeTranscriptUpdateUseCase, EndCallUseCase {

    private static final System.Logger LOG = System.getLogger(InterviewRunner.class.getName());
    /**
     * How long the end waits for a replaced call's hang-up already running, at most (its HTTP call has its own
     * timeout): this many waits of {@link #REPLACED_HANG_UP_SLICE_MILLIS}, about 15 s.
     */
    private static final int REPLACED_HANG_UP_SLICES = 150;
    private static final long REPLACED_HANG_UP_SLICE_MILLIS = 100;

    /** Told what happened, to pass on to the browser. Called without the runner's lock held. */
    public interface Observer {
        /** Entries became durable (stored now, or found already stored). */
        default void transcriptRecorded(AppendResult result) {
        }

        /** The interview is over; the runner has reported it and may exit. */
        default void ended(EndReason reason) {
        }

        /** OpenAI reported an error on the call (not fatal). */
        default void serverError(RealtimeEvent.ServerError error) {
        }

        /**
         * The control plane refused for good to record the call the browser was just answered with (the session is
         * over for it): the call has been hung up and the runner takes no more offers.
         */
        default void callRefused(String code, String message) {
        }
    }

    /**
     * How the runner writes what the browser and the sideband deliver to the control plane.
     *
     * <p>{@link #IMMEDIATE} ({@code onCallersThread}): every delivery is written at once, on the thread that
     * delivered it (a browser's batch is answered with what that write made durable). Otherwise writes run on the
     * runner's background thread, one at a time, and a browser's batch is answered at once with its entries
     * {@code pending}; the acknowledgement that they are durable follows when the write has succeeded (never
     * before). A write goes out {@code window} after the first unsent entry, or as soon as {@code maxEntries}
     * entries or {@code maxBytes} (as JSON) are waiting, whichever comes first; whatever arrives while a write is in
     * flight goes in the next one, which starts as soon as that write has returned. With a zero window that is
     * {@link #GROUP_COMMIT}. Batches stay within {@link TranscriptBatch#MAX_ENTRIES} and {@link #MAX_BATCH_BYTES}
     * either way.
     */
    public record IngestPolicy(java.time.Duration window, int maxEntries, int maxBytes, boolean onCallersThread) {
        public static final IngestPolicy IMMEDIATE = new IngestPolicy(java.time.Duration.ZERO, 1, 1);
        /**
         * Decision 17's fixed window: 20 ms after the first unsent entry (or 100 entries, 64 KiB). Kept for
         * comparison; the runner uses {@link #GROUP_COMMIT}.
         */
        public static final IngestPolicy COALESCED = new IngestPolicy(java.time.Duration.ofMillis(20), 100,
                64 * 1024);
        /**
         * Group commit (decision 26): an entry that finds no write in flight is written at once (no window to wait
         * out when the session is quiet); entries that arrive while a write is in flight are gathered and go
         * together the moment it returns. The batch grows with the load by itself: as large as what arrives during
         * one write, up to one batch's bounds.
         */
        public static final IngestPolicy GROUP_COMMIT = new IngestPolicy(java.time.Duration.ZERO, 1,
                MAX_BATCH_BYTES, false);

        /** A policy by its window: a zero window writes on the caller's thread ({@link #IMMEDIATE}'s way). */
        public IngestPolicy(java.time.Duration window, int maxEntries, int maxBytes) {
            this(window, maxEntries, maxBytes, Objects.requireNonNull(window, "window").isZero());
        }

        public IngestPolicy {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || maxEntries < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("window >= 0, maxEntries >= 1, maxBytes >= 1");
            }
            if (maxEntries > TranscriptBatch.MAX_ENTRIES || maxBytes > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("a coalesced write stays within one batch's bounds");
            }
        }

        boolean immediate() {
            return onCallersThread;
        }
    }

    /**
     * How the end waits for the sideband before the final flush: OpenAI may already have sent the last turns'
     * events when the candidate presses "end", and they must be stored, not dropped.
     *
     * @param max   the longest the end waits for every announced turn to finish
     * @param quiet how long the sideband must have been silent (with no turn open) before the end goes on
     */
    public record DrainPolicy(java.time.Duration max, java.time.Duration quiet) {
        public static final DrainPolicy DEFAULT = new DrainPolicy(java.time.Duration.ofSeconds(5),
                java.time.Duration.ofMillis(300));
        /** No waiting at all (tests that drive the runner synchronously). */
        public static final DrainPolicy NONE = new DrainPolicy(java.time.Duration.ZERO, java.time.Duration.ZERO);

        public DrainPolicy {
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(quiet, "quiet");
        }
    }

    private final SessionId session;
    private final ControlPlane controlPlane;
    private final RealtimeGateway realtime;
    private final Clock clock;
    private final SdpLimits limits;
    private final Observer observer;
    private final DrainPolicy drain;
    /** Where writes that must not hold up a reply run (the answer, a browser's batch); null: on the caller's thread. */
    private final java.util.concurrent.ScheduledExecutorService background;
    private final IngestPolicy ingest;

    private final Object lock = new Object();
    private final java.util.concurrent.locks.ReentrantLock sendLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.ReentrantLock negotiating = new java.util.concurrent.locks.ReentrantLock(true);
    private final Outbox outbox = new Outbox();
    private TranscriptAssembler assembler;
    /**
     * The assignment, fetched once (at start-up, at a standby's binding, or on first need) and kept: no offer asks the
     * control plane for it again.
     */
    private RunnerAssignment assignment;
    /**
     * The fetch under way, if any: whoever needs the assignment meanwhile (the first offer or transcript batch, while
     * the start's fetch is still out) waits for its answer instead of asking the control plane a second time. Waited
     * for outside {@link #lock} only: the fetcher takes the lock to keep its answer before it completes this.
     */
    private java.util.concurrent.CompletableFuture<RunnerAssignment> fetching;
    /** A call OpenAI accepted whose {@code callConnected} the control plane has not acknowledged yet. */
    private RealtimeCallId unreportedCall;
    /** A write is waiting for the window to pass (background writes only). */
    private boolean writeScheduled;
    /** A write is queued on the background thread and has not started yet (background writes only). */
    private boolean writeQueued;
    /** A tick's retry is waiting for the background thread. */
    private final java.util.concurrent.atomic.AtomicBoolean retryQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** Browser keys answered as pending, acknowledged once what they are stored as is durable (coalescing only). */
    private final Set<IdempotencyKey> browserAwaiting = new LinkedHashSet<>();
    private RealtimeCallId call;
    /** Answered calls whose work after the answer has not started yet, in the order of their offers. */
    private final List<Replacement> awaitingAfterAnswer = new ArrayList<>();
    /**
     * Replaced calls being hung up on the background thread right now. The end waits for them: a runner that has
     * reported its end may exit, and a hang-up cut short would leave the call open (and billed) at OpenAI until it
     * times out.
     */
    private final Set<Thread> replacedClosers = new HashSet<>();
    private RealtimeGateway.Sideband sideband;
    private Instant deadline;
    private boolean closing;
    /** Closing because the process is being stopped, not because the interview ended: the session stays live. */
    private boolean suspended;
    private boolean hungUp;
    private boolean ended;
    /**
     * An end that closed the call but could not be reported (its transcript writes or its report failed): the ticks
     * retry it until the control plane takes it, since nothing else would (the call is closed, the browser told).
     */
    private UnreportedEnd unreportedEnd;

    /** What an end that is still to be reported said: its reason and the browser's recording, as first given. */
    private record UnreportedEnd(EndReason reason, RecordingReport recording) {
    }
    /** How many {@link #end} calls are reporting (the browser's, the sideband's, the budget's may overlap). */
    private final java.util.concurrent.atomic.AtomicInteger reporting = new java.util.concurrent.atomic.AtomicInteger();
    /** When the sideband last spoke, on the injected clock (the end waits for it to go quiet). */
    private volatile long lastSidebandEventMillis;

    public InterviewRunner(SessionId session, ControlPlane controlPlane, RealtimeGateway realtime, Clock clock,
                           SdpLimits limits, Observer observer) {
        this(session, controlPlane, realtime, clock, limits, observer, DrainPolicy.DEFAULT);
    }

    public InterviewRunner(SessionId session, ControlPlane controlPlane, RealtimeGateway realtime, Clock clock,
                           SdpLimits limits, Observer observer, DrainPolicy drain) {
        this(session, controlPlane, realtime, clock, limits, observer, drain, null, IngestPolicy.IMMEDIATE);
    }

    /**
     * @param background where the runner writes to the control plane off the reply's path: the call's
     *                   {@code callConnected} after the answer, coalesced transcript writes. Null runs them on the
     *                   caller's thread (then {@code ingest} must be {@link IngestPolicy#IMMEDIATE}).
     */
    public InterviewRunner(SessionId session, ControlPlane controlPlane, RealtimeGateway realtime, Clock clock,
                           SdpLimits limits, Observer observer, DrainPolicy drain,
                           java.util.concurrent.ScheduledExecutorService background, IngestPolicy ingest) {
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        if (background == null && !ingest.immediate()) {
            throw new IllegalArgumentException("coalesced writes need a background executor");
        }
        this.background = background;
        this.drain = Objects.requireNonNull(drain, "drain");
        this.session = Objects.requireNonNull(session, "session");
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
        this.realtime = Objects.requireNonNull(realtime, "realtime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.lastSidebandEventMillis = clock.millis();
    }

    /**
     * Relays one offer at a time: two offers at once (two tabs, a double click, a retry racing its original) would
     * otherwise each create a call and neither would be hung up. In turn, each later offer replaces the call before it
     * (hung up, its sideband closed), so exactly one call is live, with exactly one sideband.
     */
    @Override
    public RelayedCall negotiate(NegotiateSdp command) {
        return negotiate(command, answered -> { });
    }

    /**
     * Relays the offer and tells {@code answered} as soon as OpenAI's answer is in; what the answer need not wait for
     * (decision 25) follows: the call this one replaces is hung up and its sideband closed, this call's sideband is
     * opened, then its {@code callConnected} is sent. With a background thread that work runs there, in the order of
     * the offers, so the browser's next message does not wait for it either; without one it runs here before this
     * returns. Offers are relayed one at a time either way; a call replaced before its sideband was opened gets
     * none, and the end hangs up whatever replaced call is still waiting for its turn.
     */
    @Override
    public RelayedCall negotiate(NegotiateSdp command, java.util.function.Consumer<RelayedCall> answered) {
        Objects.requireNonNull(answered, "answered");
        // Validate first: nothing unvalidated is ever sent to OpenAI with the server's key.
        SdpOffer offer = SdpOffer.validate(command.offer(), limits);
        negotiating.lock();
        try {
            Replacement replacement = relayInTurn(offer);
            try {
                answered.accept(replacement.relayed());
            } finally {
                inBackground(() -> afterAnswer(replacement));
            }
            return replacement.relayed();
        } finally {
            negotiating.unlock();
        }
    }

    /** A call OpenAI just accepted, with what it replaces (null when it is the session's first call). */
    private record Replacement(RelayedCall relayed, RunnerAssignment assignment,
                               RealtimeGateway.Sideband previous, RealtimeCallId previousCall) {
    }

    /** Relays the offer and makes its call the current one; the previous call is still to be hung up. */
    private Replacement relayInTurn(SdpOffer offer) {
        RunnerAssignment assignment = assignment();
        synchronized (lock) {
            if (closing) {
                throw closed();
            }
        }
        if (!assignment.status().isLive() || assignment.status() == SessionStatus.ENDING) {
            throw DomainException.gone("session.not_live", "the interview is " + assignment.status()
                    + "; it cannot take a new call");
        }
        RelayedCall relayed = realtime.relay(offer, assignment.realtime());
        RealtimeGateway.Sideband previous = null;
        RealtimeCallId previousCall = null;
        DomainException late = null;
        synchronized (lock) {
            if (closing) {
                // The end (or a suspension) came while OpenAI answered: it hung up the call it knew, not this one,
                // which nobody would (no sideband is opened for it, and no end is to come).
                late = closed();
            } else {
                ensureAssembler(assignment);
                previous = sideband;
                previousCall = call;
                // The previous call's sideband stops counting now: its last events are not this call's.
                sideband = null;
                if (previousCall != null) {
                    // The browser reloaded and negotiated a new call: the old call's open turns will never finish.
                    outbox.addAll(assembler.flush());
                }
                call = relayed.callId();
                // Recorded after the answer, from the outbox: the candidate does not wait for the control plane's
                // transactions, and a control plane that is briefly down loses nothing (the report is retried).
                unreportedCall = relayed.callId();
                assembler.expectSideband();
                if (deadline == null) {
                    // The session's own deadline when its call connected before (this runner replaces a lost one): the
                    // candidate gets the time that was left, not a fresh budget.
                    deadline = assignment.timeBudgetEnds()
                            .orElseGet(() -> clock.instant().plus(assignment.realtime().maxDuration()));
                }
            }
        }
        if (late != null) {
            hangUpQuietly(relayed.callId());
            throw late;
        }
        Replacement replacement = new Replacement(relayed, assignment, previous, previousCall);
        synchronized (lock) {
            awaitingAfterAnswer.add(replacement);
        }
        return replacement;
    }

    /**
     * What follows the answer: the replaced call hung up, this call's sideband opened (unless the interview ended
     * or the call was refused meanwhile: then it is closed again at once), the call's report handed over.
     */
    private void afterAnswer(Replacement replacement) {
        synchronized (lock) {
            if (!awaitingAfterAnswer.remove(replacement)) {
                return; // the end (or a suspension) took it over
            }
            replacedClosers.add(Thread.currentThread());
        }
        try {
            closeReplaced(replacement);
        } finally {
            synchronized (lock) {
                replacedClosers.remove(Thread.currentThread());
                lock.notifyAll();
            }
        }
        RealtimeCallId thisCall = replacement.relayed().callId();
        try {
            if (!isCurrent(thisCall)) {
                return; // ended (or refused) since the answer: this call is hung up already, nothing to listen to
            }
            RealtimeGateway.Sideband opened = realtime.openSideband(thisCall, replacement.assignment().realtime(),
                    event -> onServerEvent(thisCall, event));
            boolean stillCurrent;
            synchronized (lock) {
                stillCurrent = !closing && thisCall.equals(call);
                if (stillCurrent) {
                    sideband = opened;
                }
            }
            if (!stillCurrent) {
                // The end came while this sideband was being opened, and found none to close.
                opened.close();
            }
        } finally {
            sendOutboxQuietly();
        }
    }

    /** The replaced call's sideband closed and the call hung up (once: the caller took it off the waiting list). */
    private void closeReplaced(Replacement replacement) {
        if (replacement.previous() != null) {
            replacement.previous().close();
        }
        if (replacement.previousCall() != null) {
            hangUpQuietly(replacement.previousCall());
        }
    }

    /** Closes what replaced calls still wait for (the end or a suspension does not wait for the background). */
    private void closeAllReplaced() {
        List<Replacement> waiting;
        synchronized (lock) {
            waiting = List.copyOf(awaitingAfterAnswer);
            awaitingAfterAnswer.clear();
        }
        waiting.forEach(this::closeReplaced);
    }

    /**
     * Waits (bounded: a hang-up has its own timeout) until no replaced call is being hung up on the background thread
     * - other than by this thread, which would wait for itself.
     */
    private void awaitReplacedHangUps() {
        // Bounded by a count of waits rather than a deadline: the domain reads no clock of its own, and the injected
        // one may stand still (tests); each wait ends when a hang-up finishes or after a slice.
        synchronized (lock) {
            for (int slice = 0; slice < REPLACED_HANG_UP_SLICES; slice++) {
                if (replacedClosers.isEmpty() || replacedClosers.contains(Thread.currentThread())) {
                    return;
                }
                try {
                    lock.wait(REPLACED_HANG_UP_SLICE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!replacedClosers.isEmpty()) {
                LOG.log(Level.WARNING, "session {0}: a replaced call''s hang-up is still running at the end", session);
            }
        }
    }

    /** Whether {@code candidate} is the live call of an interview that is not closing. */
    private boolean isCurrent(RealtimeCallId candidate) {
        synchronized (lock) {
            return !closing && candidate.equals(call);
        }
    }

    /**
     * Learns the assignment now (a runner calls this as it starts, alongside its server, so its first offer does not
     * ask the control plane; an offer that comes while this fetch is still out waits for its answer rather than
     * asking again); a runner that does not know its session yet learns it on first need instead. Either way it
     * is fetched once: the status it carries is the session's at that moment, and what changes it later (the
     * candidate's end, staff's cancel) reaches the runner otherwise - its own end, its process being stopped, or
     * the control plane refusing the call's {@code callConnected}.
     */
    public RunnerAssignment prepare() {
        return assignment();
    }

    /**
     * The kept assignment, or the answer of the fetch under way, or a fetch of this caller's own: one request at a
     * time, so a caller waits at most one fetch's budget (the control plane client's retries). A fetch that failed
     * fails its waiters too, with its own error; the next caller asks anew. Never called with {@link #lock} held.
     */
    private RunnerAssignment assignment() {
        java.util.concurrent.CompletableFuture<RunnerAssignment> underWay;
        java.util.concurrent.CompletableFuture<RunnerAssignment> mine = null;
        synchronized (lock) {
            if (assignment != null && assignment.status().isLive()) {
                return assignment;
            }
            if (fetching == null) {
                fetching = mine = new java.util.concurrent.CompletableFuture<>();
            }
            underWay = fetching;
        }
        if (mine == null) {
            try {
                return underWay.join();
            } catch (java.util.concurrent.CompletionException e) {
                // The fetcher's own error (a DomainException with its code): nothing else completes it exceptionally.
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
        try {
            RunnerAssignment fetched = controlPlane.assignment();
            synchronized (lock) {
                assignment = fetched;
                fetching = null;
            }
            mine.complete(fetched);
            return fetched;
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                fetching = null;
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Takes entries the browser forwarded ({@code transcript_update}). */
    @Override
    public ClientBatchOutcome acceptClientEntries(List<ClientEntry> entries) {
        TranscriptBatch.requireWithinLimit(entries.size());
        RunnerAssignment known = assignmentForAnAssembler(() -> !closing); // (a first batch before any offer)
        synchronized (lock) {
            if (closing) {
                throw closed();
            }
            ensureAssembler(known);
            for (ClientEntry entry : entries) {
                // One taken before is not taken again; whether it is durable yet, the outcome says.
                if (!assembler.isReleased(entry.key())) {
                    outbox.addAll(assembler.accept(entry, clock.instant()));
                }
            }
        }
        if (!ingest.immediate()) {
            // Coalesced: written with whatever else arrives within the window, acknowledged once durable.
            ClientBatchOutcome outcome = outcome(entries, AppendResult.empty());
            synchronized (lock) {
                browserAwaiting.addAll(outcome.pending());
            }
            scheduleWrite();
            return outcome;
        }
        // Never wait behind another send (the sideband's, retrying while the control plane is down): what is not
        // sent now is acknowledged as pending at once, and whoever holds the send sends it, or the next tick does.
        AppendResult sent = trySendOutbox();
        return outcome(entries, sent);
    }

    /**
     * Schedules a background write: at once when the window is zero or enough is waiting (by count or bytes), else
     * after the window. At most one write waits for the background thread at a time, and it takes everything
     * waiting when it starts; while a write is in flight, the send loop itself takes what arrived meanwhile as soon
     * as that write returns (group commit), so arrivals during a write cost no extra task.
     */
    private void scheduleWrite() {
        boolean now;
        synchronized (lock) {
            if (outbox.isEmpty() || writeQueued) {
                return;
            }
            now = ingest.window().isZero() || outbox.size() >= ingest.maxEntries()
                    || outbox.weight() >= ingest.maxBytes();
            if (now) {
                writeQueued = true;
            } else if (writeScheduled) {
                return;
            } else {
                writeScheduled = true;
            }
        }
        Runnable write = () -> {
            synchronized (lock) {
                if (now) {
                    writeQueued = false;
                } else {
                    writeScheduled = false;
                }
            }
            sendOutboxQuietly();
        };
        try {
            if (now) {
                background.execute(write);
            } else {
                background.schedule(write, ingest.window().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            synchronized (lock) {
                // The runner is stopping: its end or suspend writes what is left.
                writeQueued = false;
                writeScheduled = false;
            }
        }
    }

    private void inBackground(Runnable task) {
        if (background == null) {
            task.run();
            return;
        }
        try {
            background.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            task.run();
        }
    }

    /**
     * Ends the interview: the browser's final entries are taken, the sideband is drained (every event OpenAI already
     * sent is taken, and announced turns get a bounded time to finish, see {@link DrainPolicy}), everything still
     * open is flushed (marked FAILED or TRUNCATED, never dropped) and recorded, the call is hung up and the end is
     * reported. Safe to call more than once.
     *
     * @param recording what the browser reported about its recording (video id, URL; parsed at the edge), or null:
     *                  forwarded to the control plane with the end
     */
    @Override
    public void end(EndReason reason, RecordingReport recording, List<ClientEntry> finalEntries) {
        RealtimeGateway.Sideband toDrain;
        RunnerAssignment known = assignmentForAnAssembler(() -> !ended); // (an end before any offer or batch)
        synchronized (lock) {
            if (ended) {
                return;
            }
            ensureAssembler(known);
            for (ClientEntry entry : finalEntries) {
                if (!assembler.isReleased(entry.key())) {
                    outbox.addAll(assembler.accept(entry, clock.instant()));
                }
            }
            toDrain = closing ? null : sideband;
        }
        // A call that ended on OpenAI's side has delivered everything already (the end arrives as its last event,
        // on the sideband's own thread, which must not wait for itself).
        if (toDrain != null && reason != EndReason.CALL_ENDED) {
            drainSideband(toDrain);
        }
        RealtimeGateway.Sideband toClose;
        RealtimeCallId toHangUp;
        synchronized (lock) {
            outbox.addAll(assembler.flush());
            closing = true;
            toClose = sideband;
            toHangUp = call != null && !hungUp ? call : null;
            sideband = null;
            hungUp = true;
            reporting.incrementAndGet();
        }
        try {
            closeAllReplaced();
            if (toClose != null) {
                toClose.close();
            }
            if (toHangUp != null && reason != EndReason.CALL_ENDED) {
                hangUpQuietly(toHangUp);
            }
            awaitReplacedHangUps();
            // Both must succeed before the runner counts as ended: the control plane evaluates what it has when the
            // end is reported. If either fails, calling end again retries them; nothing is flushed twice.
            sendOutbox();
            controlPlane.ended(reason, recording);
            synchronized (lock) {
                ended = true;
                unreportedEnd = null;
            }
            observer.ended(reason);
        } catch (DomainException e) {
            if (isTransient(e)) {
                // Retried by the ticks. A refusal for good (the session erased, the token expired) is not: asked
                // again every second it would only be refused again until the runner exits.
                synchronized (lock) {
                    if (!ended && unreportedEnd == null) {
                        unreportedEnd = new UnreportedEnd(reason, recording); // the first end's word is kept
                    }
                }
            }
            throw e;
        } finally {
            reporting.decrementAndGet();
        }
    }

    /**
     * The runner is being stopped (its process was told to terminate) before the interview ended: what the sideband
     * already delivered is taken (waiting at most {@code drainMax}), everything still open is flushed (FAILED or
     * TRUNCATED, never dropped) and recorded, and the call is hung up. The end is not reported: the session stays
     * live, so a candidate who comes back is given a fresh runner for it, which carries on after what is stored.
     */
    public void suspend(java.time.Duration drainMax) {
        RealtimeGateway.Sideband toDrain;
        synchronized (lock) {
            if (ended || closing || assembler == null) {
                return;
            }
            toDrain = sideband;
        }
        if (toDrain != null) {
            drainSideband(toDrain, new DrainPolicy(drainMax, drain.quiet().compareTo(drainMax) < 0 ? drain.quiet()
                    : java.time.Duration.ZERO));
        }
        RealtimeGateway.Sideband toClose;
        RealtimeCallId toHangUp;
        synchronized (lock) {
            if (closing) {
                return;
            }
            outbox.addAll(assembler.flush());
            closing = true;
            suspended = true;
            toClose = sideband;
            toHangUp = call != null && !hungUp ? call : null;
            sideband = null;
            hungUp = true;
        }
        closeAllReplaced();
        if (toClose != null) {
            toClose.close();
        }
        if (toHangUp != null) {
            hangUpQuietly(toHangUp);
        }
        // The transcript first: the process may be killed a few seconds after the signal.
        sendOutboxQuietly();
        // Then, as the end does, a replaced call's hang-up already running on the background thread (a daemon),
        // which would otherwise die with the process before OpenAI heard it, and the call would stay open.
        awaitReplacedHangUps();
    }

    /**
     * Why a closing runner takes no more: the interview ended ({@code session.not_live}: the page says so), or this
     * runner is being stopped while the session goes on ({@code runner.stopping}, retryable: the page reconnects and
     * the candidate is given a fresh runner for the same session). Under {@link #lock}.
     */
    private DomainException closed() {
        return suspended
                ? new DomainException(ErrorKind.UNAVAILABLE, "runner.stopping",
                        "this interview's runner is stopping; the interview carries on once the page reconnects", true,
                        null)
                : DomainException.gone("session.not_live", "the interview has ended");
    }

    /** Whether the control plane considers the session over (false when it cannot be asked). */
    public boolean sessionIsOver() {
        try {
            return !controlPlane.assignment().status().isLive();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Waits until the sideband has delivered what it received and no announced turn is still open (and the sideband
     * has been quiet for a moment, since the next turn's events may be in flight), for at most {@link DrainPolicy#max()}.
     */
    private void drainSideband(RealtimeGateway.Sideband toDrain) {
        drainSideband(toDrain, drain);
    }

    private void drainSideband(RealtimeGateway.Sideband toDrain, DrainPolicy drain) {
        // Time is the injected clock's; a clock that does not move (a test's) cannot hold the end longer than the
        // bound either: the loop also counts its own pauses.
        long deadline = clock.millis() + drain.max().toMillis();
        long pausesLeft = drain.max().toMillis() / DRAIN_PAUSE_MILLIS + 1;
        toDrain.awaitDelivered(drain.max());
        // Quiet counts from when the sideband settled: events OpenAI sent just before may still be on the wire.
        long settled = clock.millis();
        while (true) {
            int open;
            synchronized (lock) {
                if (closing) {
                    return;
                }
                open = assembler.pendingCount();
            }
            boolean quiet = clock.millis() - Math.max(settled, lastSidebandEventMillis) >= drain.quiet().toMillis();
            if (open == 0 && quiet) {
                return;
            }
            if (clock.millis() >= deadline || pausesLeft-- <= 0) {
                LOG.log(Level.INFO, "session {0}: ending with {1} turn(s) unfinished after waiting {2} ms", session,
                        open, drain.max().toMillis());
                return;
            }
            try {
                Thread.sleep(DRAIN_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final long DRAIN_PAUSE_MILLIS = 20;

    /**
     * Lets time pass (the app calls this every second or so): turns that waited too long for an unseen predecessor
     * are released, the call is hung up when the time budget is spent, and an end whose report failed (the control
     * plane was down) is reported again, its transcript first. Returns whether it ended now.
     */
    public boolean enforceTimeBudget() {
        Instant due;
        boolean released = false;
        UnreportedEnd retry;
        synchronized (lock) {
            // An end that failed to report is retried here (not while another end is reporting): its call is closed
            // and its writes wait in the outbox, which a runner that exited without it would lose.
            retry = closing && !ended && reporting.get() == 0 ? unreportedEnd : null;
            due = closing ? null : deadline;
            if (!closing && assembler != null) {
                List<TranscriptEntry> overdue = assembler.tick(clock.instant());
                outbox.addAll(overdue);
                released = !overdue.isEmpty() || !outbox.isEmpty();
            }
            released |= unreportedCall != null;
        }
        if (released) {
            // Also whatever a browser's batch left behind when another send was running. With a background thread
            // the tick only hands the write over (the thread that ticks must not wait for the control plane), and at
            // most one such retry waits at a time: while the control plane is down, ticks do not pile up.
            if (background == null) {
                sendOutboxQuietly();
            } else if (retryQueued.compareAndSet(false, true)) {
                inBackground(() -> {
                    retryQueued.set(false);
                    sendOutboxQuietly();
                });
            }
        }
        if (retry != null) {
            end(retry.reason(), retry.recording(), List.of());
            return true;
        }
        if (due != null && !clock.instant().isBefore(due)) {
            end(EndReason.TIME_BUDGET_SPENT, null, List.of());
            return true;
        }
        return false;
    }

    /** Entries received but not yet acknowledged by the control plane. */
    public int unacknowledgedEntries() {
        synchronized (lock) {
            return outbox.size() + (assembler == null ? 0 : assembler.pendingCount());
        }
    }

    private boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    /**
     * Whether an end closed the call but its report failed for now: the next {@link #enforceTimeBudget} reports it
     * again, waiting for the control plane (its caller runs it where waiting is fine).
     */
    public boolean hasUnreportedEnd() {
        synchronized (lock) {
            return closing && !ended && unreportedEnd != null;
        }
    }

    public boolean isEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    /**
     * Whether an {@link #end} is being reported: past its drain, what it took is being stored and the end told to the
     * control plane, which may have it already (and may stop this runner any moment); the observer tells the browser
     * once the report returns. An end still draining the sideband is not counted: a stop cuts that short itself.
     */
    public boolean isEnding() {
        return reporting.get() > 0;
    }

    public Optional<Instant> deadline() {
        synchronized (lock) {
            return Optional.ofNullable(deadline);
        }
    }

    public SessionId session() {
        return session;
    }

    private void onServerEvent(RealtimeCallId from, RealtimeEvent event) {
        lastSidebandEventMillis = clock.millis();
        if (event instanceof RealtimeEvent.ServerError error) {
            LOG.log(Level.WARNING, "session {0}: OpenAI reported {1}/{2}", session, error.type(), error.code());
            observer.serverError(error);
            return;
        }
        if (event instanceof RealtimeEvent.CallEnded) {
            boolean current;
            synchronized (lock) {
                current = from.equals(call);
            }
            if (current) {
                try {
                    end(EndReason.CALL_ENDED, null, List.of());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "session {0}: reporting the end failed: {1}", session,
                            DomainException.describe(e));
                }
            }
            return;
        }
        synchronized (lock) {
            if (closing || !from.equals(call)) {
                return;
            }
            outbox.addAll(assembler.accept(event));
        }
        if (ingest.immediate()) {
            sendOutboxQuietly();
        } else {
            scheduleWrite();
        }
    }

    /**
     * The assignment, learnt before the lock is taken, when no assembler is made yet and {@code stillOpen} (read under
     * the lock) holds; else null. {@link #ensureAssembler} then makes the assembler from it under the lock.
     */
    private RunnerAssignment assignmentForAnAssembler(java.util.function.BooleanSupplier stillOpen) {
        boolean first;
        synchronized (lock) {
            first = assembler == null && stillOpen.getAsBoolean();
        }
        return first ? assignment() : null;
    }

    /** Under the lock: the assembler, made from {@code known} (learnt before the lock was taken) if there is none. */
    private void ensureAssembler(RunnerAssignment known) {
        if (assembler == null) {
            assembler = new TranscriptAssembler(session, java.util.Objects.requireNonNull(known,
                    "the assignment is learnt before the lock is taken").storedEntries());
        }
    }

    /**
     * The most a batch to the control plane may weigh, as JSON: well under the control plane's 1 MiB body limit,
     * so a batch of long entries is never refused for its size.
     */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    /**
     * Sends the outbox in batches bounded by count and by size; entries leave it only once the control plane
     * acknowledged them, so a failure here loses nothing: the next send retries them. A batch the control plane
     * refuses for good (invalid input, too large) is split in halves until the refused entry stands alone; that one
     * entry is dropped and the drop is audited, so no entry ever blocks the ones after it.
     */
    private AppendResult sendOutbox() {
        sendLock.lock();
        try {
            return sendLocked(true);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends the outbox unless another send is running; the observer is not told (the caller acknowledges what this
     * send made durable in its own reply, once).
     */
    private AppendResult trySendOutbox() {
        if (!sendLock.tryLock()) {
            return AppendResult.empty();
        }
        try {
            return sendLocked(false);
        } finally {
            sendLock.unlock();
        }
    }

    private AppendResult sendLocked(boolean notify) {
        reportCallLocked();
        {
            AppendResult total = AppendResult.empty();
            int limit = TranscriptBatch.MAX_ENTRIES;
            while (true) {
                List<TranscriptEntry> batch;
                synchronized (lock) {
                    if (outbox.isEmpty()) {
                        break;
                    }
                    batch = nextBatch(limit);
                }
                AppendResult result;
                try {
                    result = controlPlane.recordTranscript(batch);
                } catch (DomainException e) {
                    if (e.kind() != ErrorKind.INVALID_INPUT) {
                        throw e;
                    }
                    if (batch.size() > 1) {
                        limit = Math.max(1, batch.size() / 2);
                    } else {
                        dropRefused(batch.get(0), e);
                    }
                    continue;
                }
                synchronized (lock) {
                    outbox.removeHead(batch.size());
                }
                limit = TranscriptBatch.MAX_ENTRIES;
                total = total.plus(result);
                if (notify) {
                    observer.transcriptRecorded(withBrowserKeys(result));
                }
            }
            return total;
        }
    }

    /**
     * Reports the call OpenAI accepted, if not yet acknowledged (under the send lock). A transient failure is thrown
     * (the report stays, and the next send retries it, before any transcript); a refusal for good means the session
     * is over for the control plane: that call is hung up and the runner takes no more offers.
     */
    private void reportCallLocked() {
        RealtimeCallId toReport;
        synchronized (lock) {
            toReport = unreportedCall;
        }
        if (toReport == null) {
            return;
        }
        try {
            controlPlane.callConnected(toReport);
        } catch (DomainException e) {
            if (isTransient(e)) {
                throw e;
            }
            synchronized (lock) {
                if (toReport.equals(unreportedCall)) {
                    unreportedCall = null;
                }
            }
            callRefused(toReport, e);
            return;
        }
        synchronized (lock) {
            if (toReport.equals(unreportedCall)) {
                unreportedCall = null;
            }
        }
    }

    private static boolean isTransient(DomainException e) {
        return e.retryable() || switch (e.kind()) {
            case UNAVAILABLE, RATE_LIMITED, UPSTREAM_FAILED -> true;
            default -> false;
        };
    }

    private void callRefused(RealtimeCallId refused, DomainException why) {
        RealtimeGateway.Sideband toClose = null;
        boolean current;
        synchronized (lock) {
            current = refused.equals(call);
            if (current) {
                toClose = sideband;
                sideband = null;
                closing = true;
                hungUp = true;
            }
        }
        LOG.log(Level.WARNING, "session {0}: the control plane refused call {1} ({2}); hanging it up", session,
                refused, why.code());
        if (toClose != null) {
            toClose.close();
        }
        hangUpQuietly(refused);
        if (current) {
            observer.callRefused(why.code(), why.getMessage());
        }
    }

    /**
     * Adds the browser's keys this write made durable under another key (a browser entry matched to the sideband's
     * turn is stored under the turn's key) as duplicates, so the browser hears about every key it was told is pending.
     */
    private AppendResult withBrowserKeys(AppendResult result) {
        synchronized (lock) {
            if (browserAwaiting.isEmpty()) {
                return result;
            }
            Set<IdempotencyKey> durable = new HashSet<>(result.stored());
            durable.addAll(result.duplicates());
            List<IdempotencyKey> duplicates = new ArrayList<>(result.duplicates());
            for (java.util.Iterator<IdempotencyKey> it = browserAwaiting.iterator(); it.hasNext(); ) {
                IdempotencyKey key = it.next();
                IdempotencyKey storedAs = assembler.resolve(key);
                if (durable.contains(storedAs)) {
                    if (!storedAs.equals(key) && !durable.contains(key)) {
                        duplicates.add(key);
                    }
                    it.remove();
                }
            }
            return new AppendResult(result.stored(), duplicates);
        }
    }

    /** The head of the outbox: at most {@code limit} entries and {@link #MAX_BATCH_BYTES}, but at least one. */
    private List<TranscriptEntry> nextBatch(int limit) {
        int count = 0;
        long bytes = 0;
        while (count < Math.min(limit, outbox.size())) {
            long weight = jsonWeight(outbox.get(count));
            if (count > 0 && bytes + weight > MAX_BATCH_BYTES) {
                break;
            }
            bytes += weight;
            count++;
        }
        return outbox.head(count);
    }

    /** An upper bound of an entry's size as JSON: its texts escaped and UTF-8 encoded, plus the fixed fields. */
    static long jsonWeight(TranscriptEntry entry) {
        return 512 + utf8JsonLength(entry.text()) + (entry.failureReason() == null ? 0
                : utf8JsonLength(entry.failureReason()));
    }

    private static long utf8JsonLength(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                n += 6;
            } else if (c == '"' || c == '\\') {
                n += 2;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                n += 2;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void dropRefused(TranscriptEntry entry, DomainException why) {
        synchronized (lock) {
            outbox.removeHeadIf(entry.key());
        }
        LOG.log(Level.WARNING, "session {0}: the control plane refused entry {1} for good ({2}); dropped",
                session, entry.key(), why.code());
        try {
            controlPlane.entryDropped(entry.key(), why.code(), why.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: reporting the dropped entry {1} failed: {2}", session, entry.key(),
                    DomainException.describe(e));
        }
    }

    private void sendOutboxQuietly() {
        try {
            sendOutbox();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: transcript not recorded yet, will retry: {1}", session,
                    DomainException.describe(e));
        }
    }

    private ClientBatchOutcome outcome(List<ClientEntry> entries, AppendResult sent) {
        Set<IdempotencyKey> stored = new LinkedHashSet<>();
        Set<IdempotencyKey> duplicates = new LinkedHashSet<>();
        Set<IdempotencyKey> pending = new LinkedHashSet<>();
        // One look under the lock per key of this message (the outbox answers in constant time): what each key is
        // stored as, and whether that is released by the assembler yet still waiting to be written.
        IdempotencyKey[] storedAsOf = new IdempotencyKey[entries.size()];
        boolean[] releasedAndWritten = new boolean[entries.size()];
        synchronized (lock) {
            for (int i = 0; i < storedAsOf.length; i++) {
                // A browser entry matched to a sideband turn is stored under that turn's key.
                storedAsOf[i] = assembler.resolve(entries.get(i).key());
                releasedAndWritten[i] = assembler.isReleased(storedAsOf[i]) && !outbox.contains(storedAsOf[i]);
            }
        }
        for (int i = 0; i < storedAsOf.length; i++) {
            IdempotencyKey key = entries.get(i).key();
            IdempotencyKey storedAs = storedAsOf[i];
            boolean same = storedAs.equals(key);
            if (same && sent.stored().contains(key)) {
                stored.add(key);
            } else if (sent.stored().contains(storedAs) || sent.duplicates().contains(storedAs)
                    || releasedAndWritten[i]) {
                // Taken before is not enough: sent again while it waits in the outbox it is pending still, and a
                // duplicate says durable (the browser then drops its copy).
                duplicates.add(key);
            } else {
                pending.add(key);
            }
        }
        duplicates.removeAll(stored);
        // This send may have made other entries durable too (the sideband's, or the browser's earlier pending ones):
        // the one acknowledgement says so, since the observer was not told.
        sent.stored().forEach(k -> {
            if (!duplicates.contains(k) && !pending.contains(k)) {
                stored.add(k);
            }
        });
        sent.duplicates().forEach(k -> {
            if (!stored.contains(k) && !pending.contains(k)) {
                duplicates.add(k);
            }
        });
        return new ClientBatchOutcome(List.copyOf(stored), List.copyOf(duplicates), List.copyOf(pending));
    }

    private void hangUpQuietly(RealtimeCallId id) {
        try {
            realtime.hangUp(id);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: hang-up of {1} failed: {2}", session, id,
                    DomainException.describe(e));
        }
    }
}
