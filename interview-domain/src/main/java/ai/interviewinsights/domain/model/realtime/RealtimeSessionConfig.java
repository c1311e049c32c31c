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
 */
public record RealtimeSessionConfig(String instructions, String voice, String model, String transcriptionModel,
                                    String transcriptionLanguage, Duration maxDuration) {

    public RealtimeSessionConfig {
        instructions = Require.text(instructions, "instructions", 50_000);
        voice = Require.text(voice, "voice", 64);
        model = Require.text(model, "model", 64);
        transcriptionModel = Require.text(transcriptionModel, "transcription_model", 64);
        transcriptionLanguage = Require.text(transcriptionLanguage, "transcription_language", 8);
        Require.present(maxDuration, "max_duration");
    }

    public static RealtimeSessionConfig from(InterviewContext context) {
        InterviewSettings settings = context.settings();
        return new RealtimeSessionConfig(context.instructions(), settings.voice(), settings.model(),
                settings.transcriptionModel(), settings.language().primaryLanguage(), settings.maxDuration());
    }
}
