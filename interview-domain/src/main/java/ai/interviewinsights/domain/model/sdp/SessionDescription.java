package ai.interviewinsights.domain.model.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A session description (RFC 8866) parsed into its lines, session part and media sections, keeping every line's
 * original terminator: {@link #serialise()} reproduces the input byte for byte, so what we relay is exactly what
 * the browser sent. Parsing checks the grammar only; what an offer or answer must contain is checked by
 * {@link SdpOffer} and {@link SdpAnswer}.
 */
public final class SessionDescription {

    private final String text;
    private final List<SdpLine> lines;
    private final List<SdpLine> sessionLines;
    private final List<MediaSection> mediaSections;
    private final Optional<SdpLine> bundleLine;
    private final Optional<List<String>> bundleGroup;

    private SessionDescription(String text, List<SdpLine> lines) {
        this.text = text;
        this.lines = List.copyOf(lines);
        int firstMedia = 0;
        while (firstMedia < lines.size() && lines.get(firstMedia).type() != 'm') {
            firstMedia++;
        }
        this.sessionLines = this.lines.subList(0, firstMedia);
        List<MediaSection> sections = new ArrayList<>();
        int start = firstMedia;
        for (int i = firstMedia + 1; i <= lines.size(); i++) {
            if (i == lines.size() || lines.get(i).type() == 'm') {
                sections.add(new MediaSection(sections.size(), this.lines.subList(start, i)));
                start = i;
            }
        }
        this.mediaSections = List.copyOf(sections);
        // Found once: offers and answers ask for the BUNDLE group several times each (it used a regular expression).
        SdpLine bundle = null;
        for (SdpLine line : sessionLines) {
            if (line.isAttribute("group") && line.attributeValue().orElse("").startsWith("BUNDLE")) {
                bundle = line;
                break;
            }
        }
        this.bundleLine = Optional.ofNullable(bundle);
        this.bundleGroup = bundleLine.map(line -> mids(line.attributeValue().orElseThrow()));
    }

    /** The mids after {@code BUNDLE}: the value trimmed, split at runs of spaces. */
    private static List<String> mids(String groupValue) {
        String rest = groupValue.substring("BUNDLE".length()).trim();
        List<String> mids = new ArrayList<>();
        int start = 0;
        while (start < rest.length()) {
            int space = rest.indexOf(' ', start);
            int end = space < 0 ? rest.length() : space;
            if (end > start) {
                mids.add(rest.substring(start, end));
            }
            start = end + 1;
        }
        return Collections.unmodifiableList(mids);
    }

    /** The first {@code a=<name>} line of {@code lines}. */
    static Optional<SdpLine> first(List<SdpLine> lines, String name) {
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a description, checking size first so oversized input is refused without being read whole.
     *
     * @throws SdpRejectedException naming the first line that breaks the grammar
     */
    public static SessionDescription parse(CharSequence text, SdpLimits limits) {
        String checked = SdpGrammar.checked(text, limits);
        return new SessionDescription(checked, SdpGrammar.parse(checked));
    }

    public List<SdpLine> lines() {
        return lines;
    }

    /** The lines before the first {@code m=} line. */
    public List<SdpLine> sessionLines() {
        return sessionLines;
    }

    public List<MediaSection> mediaSections() {
        return mediaSections;
    }

    /** The value of the first session-level {@code a=<name>:value} line. */
    public Optional<String> sessionAttribute(String name) {
        return first(sessionLines, name).flatMap(SdpLine::attributeValue);
    }

    /** The mids of the session-level {@code a=group:BUNDLE} line, if there is one. */
    public Optional<List<String>> bundleGroup() {
        return bundleGroup;
    }

    public Optional<SdpLine> sessionBundleLine() {
        return bundleLine;
    }

    /**
     * The value of an attribute for a section: its own line if it has one, else the session-level line
     * (RFC 8866: session-level attributes are defaults for every media section).
     */
    public Optional<String> effectiveAttribute(MediaSection section, String name) {
        return section.attribute(name).or(() -> sessionAttribute(name));
    }

    /**
     * The exact original text: the text parsed, which its lines and their terminators reproduce byte for byte
     * ({@code SdpRoundTripTest}); kept rather than rebuilt from them.
     */
    public String serialise() {
        return text;
    }

    @Override
    public String toString() {
        return "SessionDescription[" + lines.size() + " lines, " + mediaSections.size() + " media sections]";
    }
}
