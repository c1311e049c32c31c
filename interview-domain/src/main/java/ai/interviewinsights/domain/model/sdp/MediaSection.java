package ai.interviewinsights.domain.model.sdp;

import java.util.List;
import java.util.Optional;

/**
 * One media description: its {@code m=} line and the lines up to the next {@code m=}.
 *
 * @param index position among the media sections, from 0; offer and answer sections pair up by index
 * @param lines the section's lines, the {@code m=} line first
 */
public record MediaSection(int index, List<SdpLine> lines) {

    public MediaSection {
        lines = List.copyOf(lines);
        if (lines.isEmpty() || lines.get(0).type() != 'm') {
            throw new IllegalArgumentException("a media section starts with its m= line");
        }
    }

    public SdpLine mLine() {
        return lines.get(0);
    }

    /** {@code audio}, {@code video}, {@code application}, ... */
    public String media() {
        return field(0);
    }

    public int port() {
        String port = field(1);
        int slash = port.indexOf('/');
        return Integer.parseInt(slash < 0 ? port : port.substring(0, slash));
    }

    /** The transport protocol, e.g. {@code UDP/TLS/RTP/SAVPF} or {@code UDP/DTLS/SCTP}. */
    public String protocol() {
        return field(2);
    }

    public List<String> formats() {
        String[] fields = mLine().value().split(" ");
        return List.of(fields).subList(3, fields.length);
    }

    /**
     * A port of 0 marks a section the answerer rejected (or the offerer disabled) - unless the section is
     * {@code a=bundle-only} (RFC 8843 section 6: a browser with {@code bundlePolicy: max-bundle}, Firefox among them,
     * offers every section but the first so): that one is live, on the BUNDLE transport.
     */
    public boolean isRejected() {
        return port() == 0 && !isBundleOnly();
    }

    /** {@code a=bundle-only}: the section has no transport of its own; it rides on the BUNDLE group's. */
    public boolean isBundleOnly() {
        return attributeLine("bundle-only").isPresent();
    }

    public boolean isDataChannel() {
        return "application".equals(media()) && protocol().endsWith("DTLS/SCTP")
                && formats().contains("webrtc-datachannel");
    }

    public Optional<String> mid() {
        return attribute("mid");
    }

    /** The value of the first {@code a=<name>:value} line of this section. */
    public Optional<String> attribute(String name) {
        return attributeLine(name).flatMap(SdpLine::attributeValue);
    }

    /** The first line of this section carrying the attribute, value or not. */
    public Optional<SdpLine> attributeLine(String name) {
        return SessionDescription.first(lines, name);
    }

    private String field(int index) {
        return mLine().value().split(" ")[index];
    }
}
