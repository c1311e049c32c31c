package ai.interviewinsights.app.local;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One start per runner name, for the local provisioners: runners of different names start in parallel, a second
 * request for a name already starting waits for that start and gets its runner, and a name held by another session
 * (running or starting) is refused with {@code runner.name_collision}.
 *
 * <p>It guards its map with its owner's lock, and reads the owner's running runners ({@code running}) under that same
 * lock: a start that ends makes its runner visible to {@code running} before it leaves this map (under the lock),
 * so a request for the name never sees neither and starts a second runner for it.
 */
final class StartsInFlight {

    /** A runner that runs under a name: whose it is, and where it listens. */
    record Running(SessionId session, RunnerRef ref) {
    }

    private record Starting(SessionId session, CompletableFuture<RunnerRef> ref) {
    }

    private final Object lock;
    private final Duration startTimeout;
    private final Map<String, Starting> starting = new HashMap<>(); // guarded by lock

    /**
     * @param lock         the owner's lock, under which it also registers its running runners
     * @param startTimeout how long a start may take; a waiting request gives up a little after it
     */
    StartsInFlight(Object lock, Duration startTimeout) {
        this.lock = lock;
        this.startTimeout = startTimeout;
    }

    /**
     * The runner of {@code spec}: the one running under its name ({@code running}, read under the lock), the one
     * starting for it, or a new one from {@code start}, called on this thread without the lock.
     */
    RunnerRef startOnce(RunnerSpec spec, Function<String, Running> running, Supplier<RunnerRef> start) {
        String name = spec.name().value();
        CompletableFuture<RunnerRef> mine = null;
        Starting theirs;
        synchronized (lock) {
            Running existing = running.apply(name);
            if (existing != null) {
                if (!existing.session().equals(spec.session())) {
                    throw collision(spec);
                }
                return existing.ref(); // a retry of the same session's start: the same runner
            }
            theirs = starting.get(name);
            if (theirs == null) {
                mine = new CompletableFuture<>();
                starting.put(name, new Starting(spec.session(), mine));
            }
        }
        if (theirs != null) {
            if (!theirs.session().equals(spec.session())) {
                throw collision(spec);
            }
            return await(theirs.ref());
        }
        try {
            RunnerRef ref = start.get();
            mine.complete(ref);
            return ref;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (lock) {
                starting.remove(name);
            }
        }
    }

    /**
     * Waits for the starts under way now to end, however they end: a runner still starting is not known by its id
     * yet, so whoever destroys a runner by id lets them finish first.
     */
    void awaitAll() {
        List<CompletableFuture<RunnerRef>> inFlight;
        synchronized (lock) {
            inFlight = starting.values().stream().map(Starting::ref).toList();
        }
        for (CompletableFuture<RunnerRef> start : inFlight) {
            try {
                start.get(startTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // that start failed: nothing of it to destroy
            }
        }
    }

    private RunnerRef await(CompletableFuture<RunnerRef> ref) {
        try {
            return ref.get(startTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.start_failed", "interrupted", true, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new DomainException(ErrorKind.UNAVAILABLE,
                    "runner.start_failed", "the runner did not start", true, e.getCause());
        } catch (TimeoutException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "runner.start_failed",
                    "the runner did not come up in time", true, e);
        }
    }

    private static DomainException collision(RunnerSpec spec) {
        return DomainException.conflict("runner.name_collision", "runner name " + spec.name()
                + " is taken by another session");
    }
}
