package ai.interviewinsights.domain.model.realtime;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.interview.InterviewContext;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import java.time.Duration;

/**
 * The Realtime session one interview asks OpenAI for, in the domain's words; the OpenAI adapter maps it to the GA
 * {@code session} object. Candidate transcription is always on: without it OpenAI transcribes only the interviewer,
 * the top cause of "missing user transcripts" in every framework's issue tracker.
 *
 * @param instructions       the interviewer's system instructions
 * @param voice              the interviewer's voice
 * @param model              the Realtime model
 * @param transcriptionModel the model transcribing the candidate
 * @param transcriptionLanguage ISO-639-1 language of the candidate's speech
 * @param maxDuration        the interview's time budget (the runner hangs up when it is spent)
 * @param safetyIdentifier   the end user as OpenAI's {@code OpenAI-Safety-Identifier} names them: a hash of the
 *                           candidate's id salted with the tenant's (never an e-mail, never the id itself), or null
 *                           when there is no end user to name
 */
public record RealtimeSessionConfig(String instructions, String voice, String model, String transcriptionModel,
                                    String transcriptionLanguage, Duration maxDuration, String safetyIdentifier) {

    private static final java.util.regex.Pattern SAFETY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public RealtimeSessionConfig {
        instructions = Require.text(instructions, "instructions", 50_000);
        voice = Require.text(voice, "voice", 64);
        model = Require.text(model, "model", 64);
        transcriptionModel = Require.text(transcriptionModel, "transcription_model", 64);
        transcriptionLanguage = Require.text(transcriptionLanguage, "transcription_language", 8);
        Require.present(maxDuration, "max_duration");
        if (safetyIdentifier != null && !SAFETY_ID.matcher(safetyIdentifier).matches()) {
            throw new IllegalArgumentException("safety_identifier must be 1-64 characters of [A-Za-z0-9_-]");
        }
    }

    /** A session without an end user to name (no safety identifier). */
    public RealtimeSessionConfig(String instructions, String voice, String model, String transcriptionModel,
                                 String transcriptionLanguage, Duration maxDuration) {
        this(instructions, voice, model, transcriptionModel, transcriptionLanguage, maxDuration, null);
    }

    public static RealtimeSessionConfig from(InterviewContext context) {
        InterviewSettings settings = context.settings();
        return new RealtimeSessionConfig(context.instructions(), settings.voice(), settings.model(),
                settings.transcriptionModel(), settings.language().primaryLanguage(), settings.maxDuration(),
                safetyIdentifier(context.company().id(), context.candidate().id()));
    }

    /**
     * The candidate as OpenAI may know them: {@code ii_} and 32 characters of base64url SHA-256 over a fixed label,
     * the tenant's id (the salt: the same person at two companies is two people) and the candidate's id. Stable for
     * a candidate across interviews and instances, so OpenAI's abuse detection sees one end user; not reversible
     * (candidate ids are random 122-bit UUIDs) and made from nothing personal - never from the e-mail.
     */
    public static String safetyIdentifier(ai.interviewinsights.domain.model.identity.TenantId tenant,
                                          ai.interviewinsights.domain.model.identity.CandidateId candidate) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(("interview-insights/openai-safety-identifier/v1|" + tenant + "|" + candidate)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "ii_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }

    /** The same session naming another end user (or none). */
    public RealtimeSessionConfig withSafetyIdentifier(String identifier) {
        return new RealtimeSessionConfig(instructions, voice, model, transcriptionModel, transcriptionLanguage,
                maxDuration, identifier);
    }
}
