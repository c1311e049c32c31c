package ai.interviewinsights.app.architecture.planted.clock;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Random;

/**
 * Planted violations for {@code PlantedViolationsTest}: compiled only into the test classes, never imported by the
 * real architecture test. Each nested class commits exactly one sin, so each can be shown to fail on its own.
 */
public final class PlantedClockReads {

    private PlantedClockReads() {
    }

    /** {@code Clock.systemUTC()}. */
    public static final class SystemUtcClock {
        Instant now() {
            return Clock.systemUTC().instant();
        }
    }

    /** {@code Clock.systemDefaultZone()}. */
    public static final class SystemDefaultZoneClock {
        Instant now() {
            return Clock.systemDefaultZone().instant();
        }
    }

    /** {@code ZonedDateTime.now()}. */
    public static final class ZonedNow {
        ZonedDateTime now() {
            return ZonedDateTime.now();
        }
    }

    /** {@code ZonedDateTime.now(ZoneId)}: still the system clock. */
    public static final class ZonedNowInAZone {
        ZonedDateTime now() {
            return ZonedDateTime.now(ZoneOffset.UTC);
        }
    }

    /** {@code OffsetDateTime.now()}. */
    public static final class OffsetNow {
        OffsetDateTime now() {
            return OffsetDateTime.now();
        }
    }

    /** {@code new Random()}. */
    public static final class OwnRandom {
        int roll() {
            return new Random().nextInt(6);
        }
    }

    /** {@code new SecureRandom()}. */
    public static final class OwnSecureRandom {
        int roll() {
            return new SecureRandom().nextInt(6);
        }
    }

    /** The injected way: every reading goes through a {@code Clock} it was given. Must pass. */
    public static final class InjectedClock {
        private final Clock clock;

        InjectedClock(Clock clock) {
            this.clock = clock;
        }

        ZonedDateTime now() {
            return ZonedDateTime.now(clock).plusSeconds(OffsetDateTime.now(clock).getSecond())
                    .plusNanos(Instant.now(clock).getNano());
        }
    }
}
