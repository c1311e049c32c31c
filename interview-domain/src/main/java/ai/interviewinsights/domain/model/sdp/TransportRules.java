package ai.interviewinsights.domain.model.sdp;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Checks shared by offers and answers: what a section needs to set up ICE and DTLS. */
final class TransportRules {

    private TransportRules() {
    }

    /**
     * The section needs ICE credentials (RFC 8839: ufrag 4-256, pwd 22-256 ice-chars), a DTLS fingerprint
     * (RFC 8122) and an {@code a=setup} role (RFC 4145), either of its own or at session level.
     */
    static void requireTransport(SessionDescription sdp, MediaSection section, String role) {
        int line = section.mLine().number();
        String ufrag = sdp.effectiveAttribute(section, "ice-ufrag").orElseThrow(() -> SdpGrammar.reject(line,
                "ice_credentials", where(role, section) + " has no a=ice-ufrag"));
        String pwd = sdp.effectiveAttribute(section, "ice-pwd").orElseThrow(() -> SdpGrammar.reject(line,
                "ice_credentials", where(role, section) + " has no a=ice-pwd"));
        if (!isIceChars(ufrag, 4, 256)) {
            throw SdpGrammar.reject(lineOf(sdp, section, "ice-ufrag"), "ice_credentials",
                    "a=ice-ufrag must be 4 to 256 characters of [A-Za-z0-9+/]");
        }
        if (!isIceChars(pwd, 22, 256)) {
            throw SdpGrammar.reject(lineOf(sdp, section, "ice-pwd"), "ice_credentials",
                    "a=ice-pwd must be 22 to 256 characters of [A-Za-z0-9+/]");
        }
        String fingerprint = sdp.effectiveAttribute(section, "fingerprint")
                .orElseThrow(() -> SdpGrammar.reject(line, "fingerprint",
                        where(role, section) + " has no a=fingerprint"));
        if (!isFingerprint(fingerprint)) {
            throw SdpGrammar.reject(lineOf(sdp, section, "fingerprint"), "fingerprint",
                    "a=fingerprint is <hash-function> <hex pairs separated by ':'>");
        }
        String setup = sdp.effectiveAttribute(section, "setup")
                .orElseThrow(() -> SdpGrammar.reject(line, "setup", where(role, section) + " has no a=setup"));
        if (!List.of("actpass", "active", "passive", "holdconn").contains(setup)) {
            throw SdpGrammar.reject(lineOf(sdp, section, "setup"), "setup",
                    "a=setup is one of actpass, active, passive, holdconn");
        }
    }

    /** "offer section 1 (audio)": built only for a rejection's detail. */
    private static String where(String role, MediaSection section) {
        return role + " section " + section.index() + " (" + section.media() + ")";
    }

    /** The line number of the attribute as it applies to the section (its own, else the session's). */
    static int lineOf(SessionDescription sdp, MediaSection section, String attribute) {
        Optional<SdpLine> own = section.attributeLine(attribute);
        if (own.isPresent()) {
            return own.get().number();
        }
        return SessionDescription.first(sdp.sessionLines(), attribute).map(SdpLine::number)
                .orElse(section.mLine().number());
    }

    private static boolean isIceChars(String value, int min, int max) {
        if (value.length() < min || value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFingerprint(String value) {
        int space = value.indexOf(' ');
        if (space <= 0 || !SdpGrammar.isToken(value.substring(0, space))) {
            return false;
        }
        String[] pairs = value.substring(space + 1).split(":", -1);
        if (pairs.length < 16 || pairs.length > 64) {
            return false;
        }
        for (String pair : pairs) {
            if (pair.length() != 2 || Character.digit(pair.charAt(0), 16) < 0 || Character.digit(pair.charAt(1), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** When a BUNDLE group is present every mid it names must exist, once, in a section that has that mid. */
    static void requireBundleConsistent(SessionDescription sdp, String role) {
        Optional<List<String>> bundle = sdp.bundleGroup();
        if (bundle.isEmpty()) {
            return;
        }
        int line = sdp.sessionBundleLine().map(SdpLine::number).orElse(1);
        List<String> mids = bundle.get();
        if (mids.isEmpty()) {
            throw SdpGrammar.reject(line, "bundle", "a=group:BUNDLE names no mid");
        }
        if (new HashSet<>(mids).size() != mids.size()) {
            throw SdpGrammar.reject(line, "bundle", "a=group:BUNDLE names a mid twice");
        }
        for (String mid : mids) {
            boolean found = false;
            for (MediaSection section : sdp.mediaSections()) {
                if (section.mid().map(mid::equals).orElse(false)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                throw SdpGrammar.reject(line, "bundle",
                        "the " + role + "'s a=group:BUNDLE names mid '" + excerpt(mid) + "' that no section has");
            }
        }
    }

    static String excerpt(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 32 ? clean.substring(0, 32) + "..." : clean;
    }
}
