package ai.interviewinsights.domain.model.sdp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A browser's SDP offer that has passed validation. Only this type reaches the relay, so nothing unvalidated is
 * ever sent to OpenAI with the server's key.
 *
 * <p>An interview offer has at least one audio section, exactly one data-channel section (the browser creates
 * {@code oai-events} before {@code createOffer}), unique mids, and in every active section ICE credentials, a DTLS
 * fingerprint and a setup role. Every rejection is an {@link SdpRejectedException} naming the line and the rule.
 */
public final class SdpOffer {

    private final SessionDescription description;

    private SdpOffer(SessionDescription description) {
        this.description = description;
    }

    /** Validates with the default limits (64 KiB). */
    public static SdpOffer validate(CharSequence text) {
        return validate(text, SdpLimits.defaults());
    }

    /**
     * Parses and validates an offer.
     *
     * @throws SdpRejectedException with code {@code sdp.<rule>} for the first rule broken
     */
    public static SdpOffer validate(CharSequence text, SdpLimits limits) {
        SessionDescription sdp = SessionDescription.parse(text, limits);
        List<MediaSection> sections = sdp.mediaSections();
        int lastLine = sdp.lines().size();
        if (sections.isEmpty()) {
            throw SdpGrammar.reject(lastLine, "audio_required", "the offer has no m= line; it needs an audio section");
        }
        if (sections.stream().noneMatch(s -> "audio".equals(s.media()) && !s.isRejected())) {
            throw SdpGrammar.reject(sections.get(0).mLine().number(), "audio_required",
                    "the offer needs an active m=audio section for the candidate's microphone");
        }
        List<MediaSection> dataChannels = sections.stream().filter(s -> "application".equals(s.media())).toList();
        if (dataChannels.isEmpty()) {
            throw SdpGrammar.reject(sections.get(sections.size() - 1).mLine().number(), "data_channel",
                    "the offer needs one m=application ... webrtc-datachannel section (create the oai-events channel"
                            + " before createOffer)");
        }
        if (dataChannels.size() > 1) {
            throw SdpGrammar.reject(dataChannels.get(1).mLine().number(), "data_channel",
                    "the offer has more than one m=application section");
        }
        MediaSection dataChannel = dataChannels.get(0);
        if (!dataChannel.isDataChannel() || dataChannel.isRejected()) {
            throw SdpGrammar.reject(dataChannel.mLine().number(), "data_channel",
                    "the application section must be an active UDP/DTLS/SCTP webrtc-datachannel");
        }
        Set<String> mids = new HashSet<>();
        for (MediaSection section : sections) {
            if (section.mid().isPresent() && !mids.add(section.mid().get())) {
                throw SdpGrammar.reject(section.attributeLine("mid").orElseThrow().number(), "mid_unique",
                        "mid '" + TransportRules.excerpt(section.mid().get()) + "' is used by two sections");
            }
            if (!section.isRejected() && !(section.isBundleOnly() && sdp.bundleGroup().isPresent())) {
                // A bundle-only section carries no transport of its own (RFC 8843 section 7.5.3).
                TransportRules.requireTransport(sdp, section, "offer");
            }
        }
        if (sdp.bundleGroup().isPresent()) {
            for (MediaSection section : sections) {
                if (section.mid().isEmpty()) {
                    throw SdpGrammar.reject(section.mLine().number(), "mid_required",
                            "with a=group:BUNDLE every section needs an a=mid");
                }
            }
        }
        TransportRules.requireBundleConsistent(sdp, "offer");
        return new SdpOffer(sdp);
    }

    public SessionDescription description() {
        return description;
    }

    /** The offer exactly as the browser sent it. */
    public String text() {
        return description.serialise();
    }

    @Override
    public String toString() {
        return "SdpOffer[" + description + "]";
    }
}
