package ai.interviewinsights.domain.model.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 8866 grammar, checked in linear time (a few forward searches and one pass over the lines) with no regular
 * expressions, so hostile input can neither make it backtrack nor make it read past the size limit.
 *
 * <p>Line order follows section 5 of the RFC: {@code v o s i? u? e* p* c? b* (t r*)+ z? k? a*} in the session part
 * and {@code m i? c* b* k? a*} in each media section. Unknown type letters are rejected (RFC 8866 allows a parser
 * to reject them, and nothing a browser sends to OpenAI needs one).
 */
final class SdpGrammar {

    // Rank of each type letter in the session part; a line may not come after a line of higher rank,
    // except t/r pairs, which repeat.
    private static final String SESSION_ORDER = "vosiuepcbtrzka";
    private static final String MEDIA_ORDER = "micbka";
    private static final int MAX_LINES = 4_096;

    private SdpGrammar() {
    }

    /**
     * The text as a String ({@code toString()}, read once the text is known to be non-empty and within the size
     * limit): what is parsed, and relayed, is that String.
     */
    static String checked(CharSequence text, SdpLimits limits) {
        if (text == null || text.length() == 0) {
            throw reject(1, "empty", "the description is empty");
        }
        checkSize(text, limits);
        return text.toString();
    }

    /** The lines of a {@link #checked} text, in the grammar's order. */
    static List<SdpLine> parse(String checkedText) {
        List<SdpLine> lines = splitLines(checkedText);
        checkOrder(lines);
        return lines;
    }

    /** Refuses oversized input reading at most {@code maxBytes} characters of it. */
    private static void checkSize(CharSequence text, SdpLimits limits) {
        if (text.length() <= limits.maxBytes() / 3) {
            // No character takes more than 3 bytes in UTF-8 (a surrogate pair takes 4 for its 2): a text of at most
            // a third of the limit fits without being read. Every browser's offer is such a text; a runner checks one
            // per offer and one per answer, mostly interpreted (issue 16), where a charAt per character was an eighth
            // of the offer's own time.
            return;
        }
        long bytes = 0;
        int line = 1;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += utf8Length(c);
            }
            if (bytes > limits.maxBytes()) {
                throw reject(line, "size_limit", "the description exceeds " + limits.maxBytes() + " bytes");
            }
            if (c == '\n') {
                line++;
            }
        }
    }

    private static int utf8Length(char c) {
        if (c < 0x80) {
            return 1;
        }
        return c < 0x800 ? 2 : 3; // a lone surrogate is encoded as '?' or 3 bytes; either way at most 3
    }

    /**
     * The lines, each checked for its shape. Line ends, NULs and CRs are found with {@code String.indexOf}, one
     * forward pass each, rather than a {@code charAt} per character: the same result in a fraction of the bytecodes a
     * runner's interpreter executes per offer (issue 16).
     */
    private static List<SdpLine> splitLines(String text) {
        List<SdpLine> lines = new ArrayList<>();
        int length = text.length();
        int nul = text.indexOf(0); // the first NUL at or after the current line's start, or -1
        int cr = text.indexOf('\r'); // the same for CR
        int start = 0;
        int number = 1;
        while (start < length) {
            if (number > MAX_LINES) {
                throw reject(number, "too_many_lines", "a description has at most " + MAX_LINES + " lines");
            }
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            String terminator;
            int contentEnd;
            if (end == length) {
                terminator = "";
                contentEnd = end;
            } else if (end > start && text.charAt(end - 1) == '\r') {
                terminator = "\r\n";
                contentEnd = end - 1;
            } else {
                terminator = "\n";
                contentEnd = end;
            }
            if (nul >= 0 && nul < start) {
                nul = text.indexOf(0, start);
            }
            if (cr >= 0 && cr < start) {
                cr = text.indexOf('\r', start);
            }
            boolean badCharacter = nul >= 0 && nul < contentEnd || cr >= 0 && cr < contentEnd;
            lines.add(line(text, start, contentEnd, terminator, number, badCharacter));
            start = end + 1;
            number++;
        }
        return lines;
    }

    /** @param badCharacter the line holds a NUL or a bare CR */
    private static SdpLine line(String text, int start, int end, String terminator, int number,
                                boolean badCharacter) {
        if (end - start < 2) {
            throw reject(number, "line_syntax", "every line is <type>=<value>; this line is empty or too short");
        }
        char type = text.charAt(start);
        if (type < 'a' || type > 'z' || text.charAt(start + 1) != '=') {
            throw reject(number, "line_syntax", "every line is <type>=<value> with a lowercase type letter");
        }
        if (badCharacter) {
            throw reject(number, "line_syntax", "a value may not contain NUL or a bare CR");
        }
        return new SdpLine(number, type, text.substring(start + 2, end), terminator);
    }

    private static void checkOrder(List<SdpLine> lines) {
        SdpLine first = lines.get(0);
        if (first.type() != 'v' || !first.value().equals("0")) {
            throw reject(1, "version_first", "the first line must be v=0");
        }
        if (lines.size() < 2 || lines.get(1).type() != 'o') {
            throw reject(Math.min(2, lines.size()), "origin_second", "the second line must be o=");
        }
        checkOrigin(lines.get(1));
        if (lines.size() < 3 || lines.get(2).type() != 's') {
            throw reject(Math.min(3, lines.size()), "session_name_third", "the third line must be s=");
        }
        if (lines.get(2).value().isEmpty()) {
            throw reject(3, "session_name_third", "s= must not be empty (use s=- or a single space)");
        }
        int rank = SESSION_ORDER.indexOf('s');
        boolean timing = false;
        int i = 3;
        for (; i < lines.size() && lines.get(i).type() != 'm'; i++) {
            SdpLine line = lines.get(i);
            int next = SESSION_ORDER.indexOf(line.type());
            if (next < 0 || line.type() == 'v' || line.type() == 'o' || line.type() == 's') {
                throw reject(line.number(), "unknown_type",
                        "'" + line.type() + "=' is not allowed at session level");
            }
            boolean repeatTiming = line.type() == 't' && rank == SESSION_ORDER.indexOf('r');
            boolean repeatable = line.type() == 'e' || line.type() == 'p' || line.type() == 'b'
                    || line.type() == 't' || line.type() == 'r' || line.type() == 'a';
            if (!repeatTiming && (next < rank || next == rank && !repeatable)) {
                throw reject(line.number(), "line_order",
                        "'" + line.type() + "=' is out of order at session level (RFC 8866 section 5)");
            }
            if (!timing && next > SESSION_ORDER.indexOf('r')) {
                throw reject(line.number(), "timing_required",
                        "a t= line must come before '" + line.type() + "=' in the session part");
            }
            if (line.type() == 'r' && !timing) {
                throw reject(line.number(), "line_order", "r= must follow a t= line");
            }
            if (line.type() == 't') {
                checkTiming(line);
                timing = true;
            }
            if (line.type() == 'c') {
                checkConnection(line);
            }
            if (line.type() == 'a') {
                checkAttribute(line);
            }
            rank = next;
        }
        if (!timing) {
            throw reject(i < lines.size() ? lines.get(i).number() : lines.size(), "timing_required",
                    "the session part needs a t= line");
        }
        int mediaRank = -1;
        for (; i < lines.size(); i++) {
            SdpLine line = lines.get(i);
            int next = MEDIA_ORDER.indexOf(line.type());
            if (next < 0) {
                throw reject(line.number(), "unknown_type", "'" + line.type() + "=' is not allowed in a media section");
            }
            if (line.type() == 'm') {
                checkMediaLine(line);
                mediaRank = 0;
                continue;
            }
            boolean repeatable = line.type() == 'c' || line.type() == 'b' || line.type() == 'a';
            if (next < mediaRank || next == mediaRank && !repeatable) {
                throw reject(line.number(), "line_order",
                        "'" + line.type() + "=' is out of order in a media section (RFC 8866 section 5)");
            }
            if (line.type() == 'c') {
                checkConnection(line);
            }
            if (line.type() == 'a') {
                checkAttribute(line);
            }
            mediaRank = next;
        }
    }

    private static void checkOrigin(SdpLine line) {
        String[] fields = line.value().split(" ", -1);
        if (fields.length != 6 || anyEmpty(fields) || !isDigits(fields[1]) || !isDigits(fields[2])) {
            throw reject(line.number(), "origin_syntax",
                    "o= is <username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
        }
    }

    private static void checkTiming(SdpLine line) {
        String[] fields = line.value().split(" ", -1);
        if (fields.length != 2 || !isDigits(fields[0]) || !isDigits(fields[1])) {
            throw reject(line.number(), "timing_syntax", "t= is <start-time> <stop-time>, both decimal");
        }
    }

    private static void checkConnection(SdpLine line) {
        String[] fields = line.value().split(" ", -1);
        if (fields.length != 3 || anyEmpty(fields)) {
            throw reject(line.number(), "connection_syntax", "c= is <nettype> <addrtype> <connection-address>");
        }
    }

    private static void checkMediaLine(SdpLine line) {
        String[] fields = line.value().split(" ", -1);
        if (fields.length < 4 || anyEmpty(fields) || !isToken(fields[0]) || !isToken(fields[2].replace("/", ""))) {
            throw reject(line.number(), "media_syntax", "m= is <media> <port> <proto> <fmt> ...");
        }
        String port = fields[1];
        int slash = port.indexOf('/');
        String number = slash < 0 ? port : port.substring(0, slash);
        if (!isDigits(number) || number.length() > 5 || Integer.parseInt(number) > 65535
                || slash >= 0 && !isDigits(port.substring(slash + 1))) {
            throw reject(line.number(), "media_syntax", "the m= port must be a number from 0 to 65535");
        }
    }

    private static void checkAttribute(SdpLine line) {
        String value = line.value();
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        if (!isToken(name)) {
            throw reject(line.number(), "attribute_syntax", "a= is a=<name> or a=<name>:<value> with a token name");
        }
    }

    private static boolean anyEmpty(String[] fields) {
        for (String field : fields) {
            if (field.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty() || text.length() > 20) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8866 token: visible ASCII except the separators it lists. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '!' || c >= '#' && c <= '\'' || c == '*' || c == '+' || c == '-' || c == '.'
                    || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= '^' && c <= '~';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    static SdpRejectedException reject(int line, String rule, String detail) {
        return new SdpRejectedException(new SdpViolation(line, rule, detail));
    }
}
