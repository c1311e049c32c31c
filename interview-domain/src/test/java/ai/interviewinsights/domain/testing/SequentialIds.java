package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.port.out.IdGenerator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Predictable ids and tokens: {@code 00000001-0000-4000-8000-000000000001}, ... Thread-safe. */
public final class SequentialIds implements IdGenerator {

    private final AtomicLong next = new AtomicLong(1);
    private final long prefix;

    public SequentialIds() {
        this(0);
    }

    /** @param prefix distinguishes generators in one test (fills the first 8 hex digits) */
    public SequentialIds(long prefix) {
        this.prefix = prefix;
    }

    @Override
    public UUID newId() {
        long n = next.getAndIncrement();
        // The counter sits in the first 8 hex digits, which runner names use as the session's short id.
        return new UUID((n << 32) | ((prefix & 0xFFFFL) << 16) | 0x4000L, 0x8000000000000000L | n);
    }

    @Override
    public String newToken() {
        return "tok_" + String.format("%032d", next.getAndIncrement());
    }
}
