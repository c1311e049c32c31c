package ai.interviewinsights.app;

import ai.interviewinsights.app.config.ConfigurationException;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.PlatformSettings;
import ai.interviewinsights.app.controlplane.api.PlatformRoutes;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.port.in.OnboardTenantUseCase;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tenant create --name <name>} and {@code tenant add-staff --tenant <id> --email <address> --role
 * admin|interviewer}: tenant onboarding from the operator's shell, against the configured database
 * ({@code DATABASE_URL}, or the embedded one in {@code DATA_DIR} while the app is stopped) and Supabase Auth
 * ({@code SUPABASE_URL}, {@code SUPABASE_SERVICE_ROLE_KEY}). Prints what it did, one {@code key=value} a line.
 */
final class TenantCommand {

    private TenantCommand() {
    }

    static void run(Map<String, String> environment, String[] args, PrintStream out) {
        if (args.length < 2 || !List.of("create", "add-staff").contains(args[1])) {
            throw new ConfigurationException(List.of("usage: tenant create --name <name> | tenant add-staff"
                    + " --tenant <id> --email <address> --role admin|interviewer"));
        }
        Map<String, String> options = options(args);
        Env env = new Env(environment);
        ControlPlaneSettings settings = ControlPlaneSettings.from(env);
        PlatformSettings platform = PlatformSettings.from(env);
        env.requireValid();
        try (Persistence persistence = SupabaseWiring.persistence(settings,
                SecretFiles.directory(settings.server().dataDir()))) {
            OnboardTenantUseCase onboarding = Onboarding.useCase(persistence.store(), settings.auth().supabaseUrl(),
                    platform.serviceRoleKey(), Clock.systemUTC());
            if (args[1].equals("create")) {
                Tenant tenant = onboarding.createTenant(required(options, "--name"));
                out.println("tenant_id=" + tenant.id());
                out.println("name=" + tenant.name());
            } else {
                OnboardTenantUseCase.StaffGrant grant = onboarding.addStaff(TenantId.of(required(options, "--tenant")),
                        required(options, "--email"), PlatformRoutes.role(required(options, "--role")));
                out.println("tenant_id=" + grant.tenant());
                out.println("user_id=" + grant.user());
                out.println("role=" + grant.role().name().toLowerCase(Locale.ROOT));
                out.println("The account's next access token carries the tenant and role (sign in again, or"
                        + " refresh the session).");
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new ConfigurationException(List.of("expected --option value pairs, got '" + args[i] + "'"));
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(List.of(name + " is required"));
        }
        return value;
    }
}
