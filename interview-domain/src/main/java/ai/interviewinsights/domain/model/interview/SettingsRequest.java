package ai.interviewinsights.domain.model.interview;

/**
 * Interview settings as a caller asked for them: every field optional, nothing checked yet.
 * {@link SettingsCatalog#resolve(SettingsRequest)} fills defaults and validates.
 */
public record SettingsRequest(String voice, String language, Double temperature, String model,
                              Integer maxDurationMinutes, String architecture) {

    public static SettingsRequest defaults() {
        return new SettingsRequest(null, null, null, null, null, null);
    }
}
