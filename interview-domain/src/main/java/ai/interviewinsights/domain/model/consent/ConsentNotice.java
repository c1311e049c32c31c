package ai.interviewinsights.domain.model.consent;

import ai.interviewinsights.domain.model.Require;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a tenant tells candidates before an interview starts: that an AI conducts and evaluates it, and (when the
 * interview is recorded) that it is recorded. Notice and consent are what the Illinois AI Video Interview Act and
 * the EU AI Act's transparency rules expect; the wording is the tenant's (a sane default otherwise).
 *
 * <p>A candidate consents to the text actually shown, {@link #shown(boolean)}: the AI paragraph, plus the recording
 * paragraph when the interview is recorded. Its version is derived from those exact words, so a consent record
 * names the text it answered and a reworded notice can never be mistaken for the one consented to.
 *
 * @param aiNotice        shown for every interview
 * @param recordingNotice shown, and consented to, only when the interview is recorded
 */
public record ConsentNotice(String aiNotice, String recordingNotice) {

    public static final int MAX_LENGTH = 4000;

    public ConsentNotice {
        aiNotice = Require.text(aiNotice, "ai_notice", MAX_LENGTH);
        recordingNotice = Require.text(recordingNotice, "recording_notice", MAX_LENGTH);
    }

    /** The wording used until a tenant sets its own. */
    public static ConsentNotice defaults() {
        return new ConsentNotice("""
                This interview is conducted by an AI interviewer. It asks you questions by voice; your answers are \
                transcribed, and an AI evaluates them against the skills this position needs. People at the company \
                review that evaluation before any decision is made, and you may ask them for an interview with a \
                person instead.""",
                """
                The interview is recorded on video (camera and sound) so that the people who review it can watch \
                it. The recording is kept only for this application and deleted on request.""");
    }

    /** The text a candidate sees and consents to for one interview. */
    public Shown shown(boolean recorded) {
        String text = recorded ? aiNotice + "\n\n" + recordingNotice : aiNotice;
        return new Shown(version(text), text, recorded);
    }

    static String version(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "n1-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * A notice as shown for one interview.
     *
     * @param version  derived from the text: {@code n1-} and 16 hex digits of its SHA-256
     * @param recorded whether the text includes the recording paragraph
     */
    public record Shown(String version, String text, boolean recorded) {
        public Shown {
            version = Require.text(version, "notice_version", 40);
            text = Require.text(text, "notice_text", 2 * MAX_LENGTH + 2);
        }
    }
}
