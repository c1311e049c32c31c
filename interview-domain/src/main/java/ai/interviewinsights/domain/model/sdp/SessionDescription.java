package ai.interviewinsights.domain.model.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A session description (RFC 8866) parsed into its lines, session part and media sections, keeping every line's
 * original terminator: {@link #serialise()} reproduces the input byte for byte, so what we relay is exactly what
 * the browser sent. Parsing checks the grammar only; what an offer or answer must contain is checked by
 * {@link SdpOffer} and {@link SdpAnswer}.
 */
public final class SessionDescription {

    private final List<SdpLine> lines;
    private final List<SdpLine> sessionLines;
    private final List<MediaSection> mediaSections;

    private SessionDescription(List<SdpLine> lines) {
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
    }

    /**
     * Parses a description, checking size first so oversized input is refused without being read whole.
     *
     * @throws SdpRejectedException naming the first line that breaks the grammar
     */
    public static SessionDescription parse(CharSequence text, SdpLimits limits) {
        return new SessionDescription(SdpGrammar.parse(text, limits));
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
        return sessionLines.stream().filter(l -> l.isAttribute(name)).findFirst().flatMap(SdpLine::attributeValue);
    }

    /** The mids of the session-level {@code a=group:BUNDLE} line, if there is one. */
    public Optional<List<String>> bundleGroup() {
        return sessionLines.stream()
                .filter(l -> l.isAttribute("group"))
                .map(l -> l.attributeValue().orElse(""))
                .filter(v -> v.startsWith("BUNDLE"))
                .findFirst()
                .map(v -> Arrays.stream(v.substring("BUNDLE".length()).trim().split(" +"))
                        .filter(s -> !s.isEmpty()).toList());
    }

    public Optional<SdpLine> sessionBundleLine() {
        return sessionLines.stream()
                .filter(l -> l.isAttribute("group") && l.attributeValue().orElse("").startsWith("BUNDLE"))
                .findFirst();
    }

    /**
     * The value of an attribute for a section: its own line if it has one, else the session-level line
     * (RFC 8866: session-level attributes are defaults for every media section).
     */
    public Optional<String> effectiveAttribute(MediaSection section, String name) {
        return section.attribute(name).or(() -> sessionAttribute(name));
    }

    /** The exact original text. */
    public String serialise() {
        StringBuilder out = new StringBuilder(lines.size() * 40);
        for (SdpLine line : lines) {
            out.append(line.type()).append('=').append(line.value()).append(line.terminator());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "SessionDescription[" + lines.size() + " lines, " + mediaSections.size() + " media sections]";
    }
}
