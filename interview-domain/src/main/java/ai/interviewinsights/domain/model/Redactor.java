package ai.interviewinsights.domain.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one rule for keeping secrets out of text that leaves an adapter for a log line, an exception message or a
 * problem document. Every adapter that quotes a vendor's words scrubs them through a {@code Redactor}, so the rule
 * cannot drift between adapters (it did: three copies with three markers and three lengths):
 * <ol>
 *   <li>every known secret value is replaced by {@value #MARK}, whatever its length;</li>
 *   <li>then every match of a vendor's key shape (OpenAI's {@code sk-...}, say) is replaced by {@value #MARK}: the
 *       adapter that knows the vendor adds its shapes, the domain knows none;</li>
 *   <li>runs of white space, line breaks included, become one space, so quoted text cannot forge a log line;</li>
 *   <li>the result is cut to {@link #maxLength()} characters, with {@code ...} after a cut.</li>
 * </ol>
 * Instances are immutable; the {@code and...} methods return extended copies, so a per-call redactor (one that also
 * hides a token the call carried) never changes the adapter's own.
 */
public final class Redactor {

    /** What a scrubbed secret or key-shaped text becomes. */
    public static final String MARK = "[redacted]";
    /** How much of a vendor's text is kept by default: enough to read, too little to flood a log. */
    public static final int DEFAULT_MAX_LENGTH = 300;

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private final List<Secret> secrets;
    private final List<Pattern> shapes;
    private final int maxLength;

    private Redactor(List<Secret> secrets, List<Pattern> shapes, int maxLength) {
        this.secrets = List.copyOf(secrets);
        this.shapes = List.copyOf(shapes);
        this.maxLength = Require.between(maxLength, 16, 100_000, "max_length");
    }

    /** A redactor hiding these secrets (nulls are skipped: an optional secret that is not configured hides nothing). */
    public static Redactor hiding(Secret... secrets) {
        return new Redactor(List.of(), List.of(), DEFAULT_MAX_LENGTH).andSecrets(Arrays.asList(secrets));
    }

    /** This redactor, also hiding these secrets. */
    public Redactor andSecrets(Collection<Secret> more) {
        List<Secret> all = new ArrayList<>(secrets);
        for (Secret secret : more) {
            if (secret != null) {
                all.add(secret);
            }
        }
        return new Redactor(all, shapes, maxLength);
    }

    /** This redactor, also hiding whatever matches these vendor key shapes. */
    public Redactor andShapes(Pattern... more) {
        List<Pattern> all = new ArrayList<>(shapes);
        for (Pattern shape : more) {
            all.add(Objects.requireNonNull(shape, "shape"));
        }
        return new Redactor(secrets, all, maxLength);
    }

    /** This redactor, cutting at another length (for messages that hold our own words around the vendor's). */
    public Redactor cutAt(int length) {
        return new Redactor(secrets, shapes, length);
    }

    public int maxLength() {
        return maxLength;
    }

    /** The text scrubbed by the rule above; {@code null} becomes the empty string. */
    public String scrub(String text) {
        String scrubbed = hideSecrets(text);
        for (Pattern shape : shapes) {
            scrubbed = shape.matcher(scrubbed).replaceAll(MARK);
        }
        scrubbed = WHITE_SPACE.matcher(scrubbed).replaceAll(" ").strip();
        return scrubbed.length() > maxLength ? scrubbed.substring(0, maxLength) + "..." : scrubbed;
    }

    /**
     * Step 1 of the rule alone, for a whole reply body that is parsed afterwards (folding or cutting would corrupt
     * it): the known secrets become {@value #MARK}; {@code null} becomes the empty string.
     */
    public String hideSecrets(String text) {
        if (text == null) {
            return "";
        }
        String hidden = text;
        for (Secret secret : secrets) {
            hidden = hidden.replace(secret.reveal(), MARK);
            String stripped = secret.reveal().strip();
            if (!stripped.isEmpty()) {
                hidden = hidden.replace(stripped, MARK); // a pasted token often carries a stray new line
            }
        }
        return hidden;
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " secrets, " + shapes.size() + " shapes, max " + maxLength + "]";
    }
}
