package ai.interviewinsights.domain.model.sdp;

import java.util.List;
import java.util.Optional;

/**
 * An SDP answer checked against the offer it answers, before it is handed to the browser. A broken answer is
 * caught here, with a reason, instead of surfacing as an opaque {@code setRemoteDescription} failure in the
 * candidate's browser.
 *
 * <p>The answer must have the offer's m-lines in the same order (same media and protocol) with the same mids; its
 * BUNDLE group may only name mids the offer bundled; and each transport (every unbundled active section, and the
 * first section of the BUNDLE group) needs ICE credentials, a fingerprint and a setup role complementary to the
 * offer's ({@code actpass} answered by {@code active} or {@code passive}, {@code active} by {@code passive},
 * {@code passive} by {@code active}).
 */
public final class SdpAnswer {

    private final SessionDescription description;

    private SdpAnswer(SessionDescription description) {
        this.description = description;
    }

    /**
     * @throws SdpRejectedException with code {@code sdp.<rule>} for the first rule broken
     */
    public static SdpAnswer validate(CharSequence text, SdpOffer offer) {
        return validate(text, offer, SdpLimits.defaults());
    }

    public static SdpAnswer validate(CharSequence text, SdpOffer offer, SdpLimits limits) {
        SessionDescription answer = SessionDescription.parse(text, limits);
        SessionDescription offered = offer.description();
        List<MediaSection> answerSections = answer.mediaSections();
        List<MediaSection> offerSections = offered.mediaSections();
        if (answerSections.size() != offerSections.size()) {
            int line = answerSections.isEmpty() ? answer.lines().size()
                    : answerSections.get(Math.min(answerSections.size(), offerSections.size()) - 1).mLine().number();
            throw SdpGrammar.reject(line, "m_line_count", "the answer has " + answerSections.size()
                    + " m= lines, the offer " + offerSections.size());
        }
        for (int i = 0; i < answerSections.size(); i++) {
            MediaSection a = answerSections.get(i);
            MediaSection o = offerSections.get(i);
            if (!a.media().equals(o.media()) || !a.protocol().equals(o.protocol())) {
                throw SdpGrammar.reject(a.mLine().number(), "m_line_order", "answer section " + i + " is "
                        + a.media() + " " + a.protocol() + " but the offer's is " + o.media() + " " + o.protocol());
            }
            if (!a.mid().equals(o.mid())) {
                int line = a.attributeLine("mid").map(SdpLine::number).orElse(a.mLine().number());
                throw SdpGrammar.reject(line, "mid_mismatch", "answer section " + i + " has mid "
                        + a.mid().map(TransportRules::excerpt).orElse("(none)") + ", the offer's has "
                        + o.mid().map(TransportRules::excerpt).orElse("(none)"));
            }
        }
        checkBundle(answer, offered);
        List<String> bundle = answer.bundleGroup().orElse(List.of());
        for (int i = 0; i < answerSections.size(); i++) {
            MediaSection a = answerSections.get(i);
            if (a.isRejected()) {
                continue;
            }
            boolean bundled = a.mid().map(bundle::contains).orElse(false);
            boolean ownsTransport = !bundled || a.mid().get().equals(bundle.get(0));
            if (ownsTransport) {
                TransportRules.requireTransport(answer, a, "answer");
            }
            checkSetupRole(answer, a, offered, offerSections.get(i));
        }
        return new SdpAnswer(answer);
    }

    private static void checkBundle(SessionDescription answer, SessionDescription offered) {
        Optional<List<String>> answerBundle = answer.bundleGroup();
        if (answerBundle.isEmpty()) {
            return;
        }
        int line = answer.sessionBundleLine().map(SdpLine::number).orElse(1);
        List<String> offerBundle = offered.bundleGroup().orElse(List.of());
        if (offerBundle.isEmpty()) {
            throw SdpGrammar.reject(line, "bundle", "the answer bundles but the offer has no a=group:BUNDLE");
        }
        for (String mid : answerBundle.get()) {
            if (!offerBundle.contains(mid)) {
                throw SdpGrammar.reject(line, "bundle",
                        "the answer bundles mid '" + TransportRules.excerpt(mid) + "' that the offer did not bundle");
            }
        }
        TransportRules.requireBundleConsistent(answer, "answer");
        for (String mid : answerBundle.get()) {
            MediaSection section = answer.mediaSections().stream()
                    .filter(s -> s.mid().map(mid::equals).orElse(false)).findFirst().orElseThrow();
            if (section.isRejected()) {
                throw SdpGrammar.reject(line, "bundle", "the answer bundles mid '" + TransportRules.excerpt(mid)
                        + "' but rejects that section with port 0");
            }
        }
    }

    private static void checkSetupRole(SessionDescription answer, MediaSection a, SessionDescription offered,
                                       MediaSection o) {
        Optional<String> answered = answer.effectiveAttribute(a, "setup");
        Optional<String> offeredRole = offered.effectiveAttribute(o, "setup");
        if (answered.isEmpty() || offeredRole.isEmpty()) {
            return; // a bundled section inherits the tagged section's transport, checked there
        }
        boolean complementary = switch (offeredRole.get()) {
            case "actpass" -> answered.get().equals("active") || answered.get().equals("passive");
            case "active" -> answered.get().equals("passive");
            case "passive" -> answered.get().equals("active");
            default -> false;
        };
        if (!complementary) {
            throw SdpGrammar.reject(TransportRules.lineOf(answer, a, "setup"), "setup_role",
                    "the offer's a=setup:" + offeredRole.get() + " cannot be answered with a=setup:" + answered.get());
        }
    }

    public SessionDescription description() {
        return description;
    }

    /** The answer exactly as OpenAI sent it. */
    public String text() {
        return description.serialise();
    }

    @Override
    public String toString() {
        return "SdpAnswer[" + description + "]";
    }
}
