package ai.interviewinsights.app.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the web client needs from the environment, read and checked with the rest of the configuration.
 *
 * @param recordingPartBytes    RECORDING_PART_BYTES: the size of a video upload part from the browser (api.video
 *                              wants at least 5 MiB but for the last part; smaller only for tests against a fake)
 * @param supabaseAnonKey       SUPABASE_ANON_KEY: the project's public anon key, which lets the console ask Supabase
 *                              Auth for magic links (public by design: it identifies the project, it grants nothing)
 * @param recordingMediaOrigins RECORDING_MEDIA_ORIGINS: the https origins the report's player loads recordings from
 *                              (api.video's delivery hosts by default), allowed by the pages' {@code media-src}
 * @param oauthProviders        SUPABASE_OAUTH_PROVIDERS: the OAuth providers enabled in the Supabase project
 *                              (e.g. {@code github,google}) that the console offers staff as sign-in buttons
 */
public record WebSettings(int recordingPartBytes, Optional<String> supabaseAnonKey,
                          List<String> recordingMediaOrigins, List<String> oauthProviders) {

    public static final int DEFAULT_PART_BYTES = 5 * 1024 * 1024;
    /** Where api.video serves a video's {@code assets} (mp4, hls) from; both appear in its API reference. */
    public static final List<String> DEFAULT_MEDIA_ORIGINS = List.of("https://vod.api.video", "https://cdn.api.video");

    public WebSettings {
        recordingMediaOrigins = List.copyOf(recordingMediaOrigins);
        oauthProviders = List.copyOf(oauthProviders);
    }

    public static WebSettings from(Env env) {
        List<String> media = env.list("RECORDING_MEDIA_ORIGINS");
        List<String> origins = new ArrayList<>();
        for (String origin : media.isEmpty() ? DEFAULT_MEDIA_ORIGINS : media) {
            if (isHttpsOrigin(origin)) {
                origins.add(origin);
            } else {
                env.problem("RECORDING_MEDIA_ORIGINS: '" + origin.replaceAll("[^ -~]", "?")
                        + "' is not an https origin (https://host or https://host:port)");
            }
        }
        List<String> providers = new ArrayList<>();
        for (String provider : env.list("SUPABASE_OAUTH_PROVIDERS")) {
            if (provider.matches("[a-z0-9_]{1,40}")) {
                providers.add(provider);
            } else {
                env.problem("SUPABASE_OAUTH_PROVIDERS: '" + provider.replaceAll("[^ -~]", "?")
                        + "' is not a provider name (lowercase letters, digits, _)");
            }
        }
        return new WebSettings(env.integer("RECORDING_PART_BYTES", DEFAULT_PART_BYTES, 64 * 1024, 128 * 1024 * 1024),
                env.optional("SUPABASE_ANON_KEY"), origins, providers);
    }

    /** Exactly scheme, host and maybe port: anything more could widen or break the pages' policy. */
    static boolean isHttpsOrigin(String text) {
        try {
            URI uri = new URI(text);
            return "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && text.matches("https://[A-Za-z0-9.\\-\\[\\]:]+");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
