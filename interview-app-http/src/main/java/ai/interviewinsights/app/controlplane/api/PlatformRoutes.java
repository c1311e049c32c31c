package ai.interviewinsights.app.controlplane.api;

import ai.interviewinsights.app.web.BadRequest;
import ai.interviewinsights.app.web.Bodies;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.port.in.OnboardTenantUseCase;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The platform operator's API: create a tenant, make someone its staff. Not for tenants: the caller presents the
 * Supabase project's service-role key ({@code Authorization: Bearer <SUPABASE_SERVICE_ROLE_KEY>}, compared in
 * constant time). Without the key configured every call is a 503 {@code platform.unconfigured}.
 */
public final class PlatformRoutes {

    /** {@code {"name": ...}} */
    public record CreateTenant(String name) {
    }

    /** {@code {"email": ..., "role": "admin"|"interviewer"}} */
    public record AddStaff(String email, String role) {
    }

    private final OnboardTenantUseCase onboarding;
    private final Optional<Secret> serviceKey;
    private final Bodies bodies;

    public PlatformRoutes(OnboardTenantUseCase onboarding, Optional<Secret> serviceKey, Bodies bodies) {
        this.onboarding = onboarding;
        this.serviceKey = serviceKey;
        this.bodies = bodies;
    }

    public void install(JavalinConfig config) {
        config.routes.post("/api/platform/tenants", ctx -> {
            requireServiceRole(ctx);
            Tenant tenant = onboarding.createTenant(bodies.json(ctx, CreateTenant.class).name());
            ctx.status(201).json(Map.of("id", tenant.id().toString(), "name", tenant.name()));
        });
        config.routes.post("/api/platform/tenants/{id}/staff", ctx -> {
            requireServiceRole(ctx);
            TenantId tenant = TenantId.of(ctx.pathParam("id"));
            AddStaff body = bodies.json(ctx, AddStaff.class);
            OnboardTenantUseCase.StaffGrant grant = onboarding.addStaff(tenant, body.email(), role(body.role()));
            ctx.status(201).json(Map.of("tenant_id", grant.tenant().toString(), "user_id", grant.user().toString(),
                    "email", grant.email(), "role", grant.role().name().toLowerCase(Locale.ROOT)));
        });
    }

    /** {@code admin} or {@code interviewer}, else a 400 {@code invalid.staff_role}. */
    public static Role role(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "admin" -> Role.ADMIN;
            case "interviewer" -> Role.INTERVIEWER;
            default -> throw new BadRequest(400, "invalid.staff_role", "role must be admin or interviewer");
        };
    }

    private void requireServiceRole(Context ctx) {
        if (serviceKey.isEmpty()) {
            throw new BadRequest(503, "platform.unconfigured",
                    "the platform API needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY");
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                serviceKey.get().reveal().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"platform\"");
            throw new BadRequest(401, "auth.service_role_required",
                    "the platform API needs 'Authorization: Bearer <SUPABASE_SERVICE_ROLE_KEY>'");
        }
    }
}
