package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.Secret;
import java.util.Optional;

/**
 * The platform operator's credential: {@code SUPABASE_SERVICE_ROLE_KEY}, the Supabase project's service-role
 * (secret) key. It lets the app set staff claims through Supabase Auth's admin API, and it is what the onboarding
 * API ({@code /api/platform/...}) asks callers for.
 */
public record PlatformSettings(Optional<Secret> serviceRoleKey) {

    public static PlatformSettings from(Env env) {
        Optional<Secret> key = env.secret("SUPABASE_SERVICE_ROLE_KEY");
        key.ifPresent(k -> {
            if (k.reveal().length() < 20) {
                env.problem("SUPABASE_SERVICE_ROLE_KEY is too short to be a Supabase key");
            }
        });
        if (key.isPresent() && env.optional("SUPABASE_URL").isEmpty()) {
            env.problem("SUPABASE_URL is required with SUPABASE_SERVICE_ROLE_KEY (it names the Auth server)");
        }
        return new PlatformSettings(key);
    }

    @Override
    public String toString() {
        return "PlatformSettings[service role key " + (serviceRoleKey.isPresent() ? "set" : "unset") + "]";
    }
}
