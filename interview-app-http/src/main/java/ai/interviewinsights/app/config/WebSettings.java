package ai.interviewinsights.app.config;

import java.util.Optional;

/**
 * What the web client needs from the environment, read and checked with the rest of the configuration.
 *
 * @param recordingPartBytes RECORDING_PART_BYTES: the size of a video upload part from the browser (api.video wants
 *                           at least 5 MiB but for the last part; smaller only for tests against a fake)
 * @param supabaseAnonKey    SUPABASE_ANON_KEY: the project's public anon key, which lets the console ask Supabase
 *                           Auth for magic links (public by design: it identifies the project, it grants nothing)
 */
public record WebSettings(int recordingPartBytes, Optional<String> supabaseAnonKey) {

    public static final int DEFAULT_PART_BYTES = 5 * 1024 * 1024;

    public static WebSettings from(Env env) {
        return new WebSettings(env.integer("RECORDING_PART_BYTES", DEFAULT_PART_BYTES, 64 * 1024, 128 * 1024 * 1024),
                env.optional("SUPABASE_ANON_KEY"));
    }
}
