package ai.interviewinsights.domain.model.interview;

import ai.interviewinsights.domain.model.DomainException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A list of names OpenAI accepts (voices, models), checked before a request leaves the building. OpenAI adds
 * names over time, so the list is configuration that operators can extend, not an enum that breaks.
 */
public final class NameCatalog {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final String kind;
    private final Set<String> names;

    private NameCatalog(String kind, Set<String> names) {
        this.kind = kind;
        this.names = Set.copyOf(names);
    }

    public static NameCatalog of(String kind, Collection<String> names) {
        Set<String> checked = new LinkedHashSet<>();
        for (String name : names) {
            checked.add(wellFormed(kind, name));
        }
        return new NameCatalog(kind, checked);
    }

    /** The voices of the GA Realtime API (marin and cedar are OpenAI's recommendation). */
    public static NameCatalog realtimeVoices() {
        return of("voice", java.util.List.of("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse",
                "marin", "cedar"));
    }

    /**
     * OpenAI's GA Realtime models as of 2026-11-28 (docs/adapters/openai.md has the sources): the 2.1 generation
     * first, {@code gpt-realtime} while it lives (shutdown 2027-01-20, see {@link ModelRetirements}).
     */
    public static NameCatalog realtimeModels() {
        return of("realtime_model", java.util.List.of("gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2",
                "gpt-realtime-1.5", "gpt-realtime-mini", "gpt-realtime"));
    }

    /**
     * Models that can transcribe the candidate's speech inside a Realtime session: the streaming ones first, the
     * Whisper and GPT-4o transcription models while they live (shutdown 2027-02-26).
     */
    public static NameCatalog transcriptionModels() {
        return of("transcription_model", java.util.List.of("gpt-realtime-whisper", "gpt-live-transcribe",
                "gpt-transcribe", "whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe",
                "gpt-4o-transcribe-diarize"));
    }

    /** A catalog that also knows the given names (for example names OpenAI added after this release). */
    public NameCatalog extendedWith(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>(names);
        for (String name : more) {
            all.add(wellFormed(kind, name));
        }
        return new NameCatalog(kind, all);
    }

    /**
     * Returns the name if it is known.
     *
     * @throws DomainException {@code invalid.<kind>} naming the accepted values otherwise
     */
    public String require(String name) {
        String normalised = name == null ? null : name.strip().toLowerCase(Locale.ROOT);
        if (normalised == null || !names.contains(normalised)) {
            throw DomainException.invalid("invalid." + kind,
                    kind + " '" + shorten(name) + "' is not known; accepted: " + String.join(", ", sorted()));
        }
        return normalised;
    }

    public boolean contains(String name) {
        return name != null && names.contains(name.strip().toLowerCase(Locale.ROOT));
    }

    public Set<String> names() {
        return names;
    }

    public String kind() {
        return kind;
    }

    private java.util.List<String> sorted() {
        return names.stream().sorted().toList();
    }

    private static String wellFormed(String kind, String name) {
        String normalised = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(normalised).matches()) {
            throw DomainException.invalid("invalid." + kind, kind + " names are [a-z0-9._-], at most 64 characters");
        }
        return normalised;
    }

    private static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
