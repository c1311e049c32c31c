package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.sdp.MediaSection;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.sdp.SessionDescription;
import java.util.List;

/** Builds an answer to an offer in the shape OpenAI's answers have (see fixtures/sdp/openai-answer.sdp). */
public final class SdpAnswers {

    private static final String FINGERPRINT = "sha-256 CA:92:52:51:B4:91:3B:34:DD:9C:0B:FB:76:19:7E:3B:F1:21:0F:32:"
            + "2C:38:01:72:5D:3F:78:C7:5F:8B:C7:36";

    private SdpAnswers() {
    }

    public static String answerFor(SdpOffer offer) {
        SessionDescription sdp = offer.description();
        StringBuilder out = new StringBuilder();
        out.append("v=0\r\n").append("o=- 4227147428 1719357865 IN IP4 127.0.0.1\r\n").append("s=-\r\n")
                .append("c=IN IP4 0.0.0.0\r\n").append("t=0 0\r\n");
        List<String> bundle = sdp.bundleGroup().orElse(List.of());
        if (!bundle.isEmpty()) {
            out.append("a=group:BUNDLE ").append(String.join(" ", bundle)).append("\r\n");
        }
        out.append("a=msid-semantic:WMS *\r\n").append("a=fingerprint:").append(FINGERPRINT).append("\r\n");
        boolean first = true;
        for (MediaSection section : sdp.mediaSections()) {
            out.append("m=").append(section.media()).append(" 9 ").append(section.protocol()).append(' ')
                    .append(String.join(" ", section.media().equals("audio") ? List.of("111")
                            : section.formats())).append("\r\n");
            section.mid().ifPresent(mid -> out.append("a=mid:").append(mid).append("\r\n"));
            if (first || bundle.isEmpty()) {
                out.append("a=ice-ufrag:kZ2qkHXX/u11\r\n").append("a=ice-pwd:uoD16Di5OGx3VbqgA3ymjEQV2kwiOjw6\r\n")
                        .append("a=setup:active\r\n");
            }
            if (section.media().equals("audio")) {
                out.append("a=rtcp-mux\r\n").append("a=rtpmap:111 opus/48000/2\r\n")
                        .append("a=candidate:993865896 1 udp 2130706431 4.155.146.196 3478 typ host\r\n");
            } else if (section.isDataChannel()) {
                out.append("a=sctp-port:5000\r\n");
            }
            first = false;
        }
        return out.toString();
    }
}
