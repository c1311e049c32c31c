package ai.interviewinsights.app.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads a transcript entry's ISO-8601 timestamp as {@link Instant#parse} does, cheaply for the shape browsers send.
 *
 * <p>Why (decision 26): every entry of every {@code transcript_update} carries a timestamp, and
 * {@code Instant.parse} goes through {@code DateTimeFormatter.ISO_INSTANT}'s general machinery (a parse context, a
 * field map, a resolver) - about 4% of a runner's samples when each message carries one entry. The shape
 * {@code Date.toISOString()} writes, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} with a four-digit year and one to nine
 * fraction digits, is read here by hand; anything else (an offset, a lower-case {@code t} or {@code z}, a leap second,
 * {@code 24:00}, a day that is not in its month, a signed or longer year) goes to {@code Instant.parse} unchanged, so
 * what is accepted, the instant it means and the {@link DateTimeParseException} for bad input are exactly
 * {@code Instant.parse}'s.
 */
public final class IsoInstants {

    private static final long DAYS_0000_TO_1970 = 719_528L;

    private IsoInstants() {
    }

    /** The instant {@code text} names, as {@link Instant#parse}; throws its {@link DateTimeParseException}. */
    public static Instant parse(CharSequence text) {
        Instant fast = fast(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The instant, or null when the text is not the plain UTC shape with valid fields (the general parser decides). */
    public static Instant fast(CharSequence s) {
        int length = s.length();
        if (length < 20 || length > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length != 20) {
            int fractionDigits = length - 21;
            if (s.charAt(19) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = digits(s, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long seconds = epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * {@code instant.toString()}, written by hand for years 1-9999 (every other year goes to {@code toString}): the
     * date and time to the second, then the fraction in groups of three digits (none, 3, 6 or 9) as
     * {@code DateTimeFormatter.ISO_INSTANT} prints it, then {@code Z}.
     */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds > MAX_FAST_SECOND) {
            return instant.toString();
        }
        long day = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Days since 0000-03-01, then the civil date of the 400-year cycle (the algorithm of LocalDate.ofEpochDay).
        long zeroDay = day + DAYS_0000_TO_1970 - 60;
        long yearEstimate = (400 * zeroDay + 591) / 146_097;
        long dayOfYear = zeroDay - (365 * yearEstimate + yearEstimate / 4 - yearEstimate / 100 + yearEstimate / 400);
        if (dayOfYear < 0) {
            yearEstimate--;
            dayOfYear = zeroDay - (365 * yearEstimate + yearEstimate / 4 - yearEstimate / 100 + yearEstimate / 400);
        }
        int marchDayOfYear = (int) dayOfYear;
        int marchMonth = (marchDayOfYear * 5 + 2) / 153;
        int month = (marchMonth + 2) % 12 + 1;
        int dayOfMonth = marchDayOfYear - (marchMonth * 306 + 5) / 10 + 1;
        long year = yearEstimate + marchMonth / 10;
        int nanos = instant.getNano();
        char[] out = new char[30];
        put(out, 0, (int) year, 4);
        out[4] = '-';
        put(out, 5, month, 2);
        out[7] = '-';
        put(out, 8, dayOfMonth, 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3_600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        int at = 19;
        if (nanos != 0) {
            out[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                put(out, at, nanos / 1_000_000, 3);
                at += 3;
            } else if (nanos % 1_000 == 0) {
                put(out, at, nanos / 1_000, 6);
                at += 6;
            } else {
                put(out, at, nanos, 9);
                at += 9;
            }
        }
        out[at++] = 'Z';
        return new String(out, 0, at);
    }

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in epoch seconds: the years {@link #format} writes itself. */
    private static final long MIN_FAST_SECOND = -62_135_596_800L;
    private static final long MAX_FAST_SECOND = 253_402_300_799L;

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded, at {@code from}. */
    private static void put(char[] out, int from, int value, int width) {
        for (int i = from + width - 1; i >= from; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 if any is not one. */
    private static int digits(CharSequence s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days from 1970-01-01 to a valid proleptic Gregorian date of year 0-9999 (the algorithm of LocalDate). */
    private static long epochDay(long year, int month, int day) {
        long total = 365 * year;
        if (year >= 0) {
            total += (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            if (!leap) {
                total--;
            }
        }
        return total - DAYS_0000_TO_1970;
    }
}
