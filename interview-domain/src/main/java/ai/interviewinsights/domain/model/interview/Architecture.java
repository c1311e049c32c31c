package ai.interviewinsights.domain.model.interview;

import ai.interviewinsights.domain.model.DomainException;
import java.util.Locale;

/** How the browser's audio reaches OpenAI, and so what the session's runner does. */
public enum Architecture {
    /** The default: the runner relays only the SDP offer and answer; audio flows browser to OpenAI directly. */
    HYBRID,
    /**
     * The runner terminates the browser's WebRTC itself (its own peer answers the offer) and carries the audio to
     * OpenAI over the Realtime WebSocket: the browser never reaches OpenAI. For networks that block OpenAI, data
     * residency, and the exact audio the model heard; it costs the runner CPU and memory (docs/architecture.md).
     */
    PROXY;

    /** The lowercase form used in runner names and on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Architecture fromWire(String text) {
        if (text != null) {
            for (Architecture architecture : values()) {
                if (architecture.wireName().equals(text.toLowerCase(Locale.ROOT))) {
                    return architecture;
                }
            }
        }
        throw DomainException.invalid("invalid.architecture", "architecture must be 'hybrid' or 'proxy'");
    }
}
