package ai.interviewinsights.app.observability;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.List;
import java.util.function.Predicate;
import net.logstash.logback.mask.RegexValueMasker;
import net.logstash.logback.mask.ValueMasker;

/**
 * The JSON lines' last line of defence against a logged credential: the library's own {@link RegexValueMasker}s, one
 * per pattern and applied in order (as a logstash {@code ValueMask} of those patterns applies them), each run only on a
 * value that holds the literal text its pattern cannot match without. The result is the same; what changes is that a
 * value without any such literal (a line's time, logger and thread name, most messages) no longer goes through five
 * regular expressions. In a runner, mostly interpreted, that was a quarter of the CPU of the work that follows each
 * answer (issue 16); {@code CredentialMaskerTest} holds it to the plain chain.
 */
final class CredentialMasker implements ValueMasker {

    /**
     * A credential's pattern and a test that every value it can match passes.
     *
     * @param regex    the pattern, as a logstash value mask takes it
     * @param mayMatch false only for a value the pattern cannot match
     */
    record Credential(String regex, Predicate<String> mayMatch) {

        /** A pattern each match of which contains {@code literal}, in that case. */
        static Credential containing(String regex, String literal) {
            return new Credential(regex, value -> value.contains(literal));
        }

        /** A {@code (?i)(word|word) ...} pattern: each match is one of the words, in any case, then a space. */
        static Credential wordThenSpace(String regex, List<String> words) {
            return new Credential(regex, value -> {
                for (int space = value.indexOf(' '); space >= 0; space = value.indexOf(' ', space + 1)) {
                    for (String word : words) {
                        int start = space - word.length();
                        if (start >= 0 && value.regionMatches(true, start, word, 0, word.length())) {
                            return true;
                        }
                    }
                }
                return false;
            });
        }
    }

    private record Guarded(Credential credential, RegexValueMasker masker) {
    }

    private final List<Guarded> maskers;

    CredentialMasker(List<Credential> credentials, String mask) {
        this.maskers = credentials.stream().map(c -> new Guarded(c, new RegexValueMasker(c.regex(), mask))).toList();
    }

    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (!(value instanceof CharSequence)) {
            return null;
        }
        Object current = value;
        for (Guarded guarded : maskers) {
            if (guarded.credential().mayMatch().test(current.toString())) {
                Object masked = guarded.masker().mask(context, current);
                if (masked != null) {
                    current = masked;
                }
            }
        }
        return current == value ? null : current;
    }
}
