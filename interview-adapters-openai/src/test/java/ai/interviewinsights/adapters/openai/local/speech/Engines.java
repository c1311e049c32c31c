package ai.interviewinsights.adapters.openai.local.speech;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offline engines for tests that need them. scripts/test installs them, so a machine without them is a broken
 * test machine: such tests fail, saying how to fix it, rather than skip and hide it.
 */
public final class Engines {

    /** Three sentences of the kind a candidate says (the ones toolchain.md measured: 27 of 28 words). */
    public static final List<String> INTERVIEW_SENTENCES = List.of(
            "I designed a payment system that kept working when one region failed.",
            "I explained the trade offs to my team with a short written decision record.",
            "We measured the latency every week and fixed the slowest queries first.");

    private static volatile OfflineVoice voice;

    private Engines() {
    }

    public static OfflineVoice require() {
        OfflineVoice found = voice;
        if (found == null) {
            found = OfflineVoice.detect();
            voice = found;
        }
        if (!found.speaks() || !found.hears()) {
            fail("this test needs the offline speech engines (festival + pocketsphinx), which are missing here"
                    + " (OfflineVoice.detect(): \"" + found.description() + "\"); bash scripts/test installs them,"
                    + " or by hand: sudo apt-get install -y " + String.join(" ", OfflineVoice.PACKAGES));
        }
        return found;
    }

    public static SpeechSynthesizer synthesizer() {
        return require().synthesizer().orElseThrow();
    }

    public static SpeechRecognizer recognizer() {
        return require().recognizer().orElseThrow();
    }

    /** The share of the expected words (counted with repeats) that the heard text contains. */
    public static double wordOverlap(String expected, String heard) {
        Map<String, Integer> available = new HashMap<>();
        for (String word : words(heard)) {
            available.merge(word, 1, Integer::sum);
        }
        List<String> wanted = words(expected);
        int found = 0;
        for (String word : wanted) {
            Integer left = available.get(word);
            if (left != null && left > 0) {
                available.put(word, left - 1);
                found++;
            }
        }
        return wanted.isEmpty() ? 1 : (double) found / wanted.size();
    }

    public static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").split("\\s+"))
                .filter(w -> !w.isBlank()).toList();
    }
}
