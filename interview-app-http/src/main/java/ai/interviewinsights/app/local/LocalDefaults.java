package ai.interviewinsights.app.local;

import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.service.InterviewServices;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the local default sets up on first start and finds again on every later one: a default tenant and an admin
 * user, whose ids are kept in the data directory, and an admin token to call the API with.
 */
public final class LocalDefaults {

    public static final Duration ADMIN_TOKEN_LIFETIME = Duration.ofDays(30);
    static final String TENANT_FILE = "default-tenant-id";
    static final String ADMIN_FILE = "default-admin-id";

    private LocalDefaults() {
    }

    /** The default tenant and an admin token for it. */
    public record Bootstrap(TenantId tenant, String tenantName, UserId admin, Secret adminToken) {
        @Override
        public String toString() {
            return "Bootstrap[" + tenant + ", " + tenantName + "]";
        }
    }

    public static Bootstrap bootstrap(InterviewServices services, StaffTokenMinter minter, Path dataDir,
                                      String tenantName) {
        TenantId tenant = new TenantId(SecretFiles.id(dataDir.resolve(TENANT_FILE)));
        String name = services.registerTenant().register(tenant, tenantName).name();
        UserId admin = new UserId(SecretFiles.id(dataDir.resolve(ADMIN_FILE)));
        return new Bootstrap(tenant, name, admin, minter.mint(tenant, admin, Role.ADMIN, ADMIN_TOKEN_LIFETIME));
    }

    /** The default tenant's id, if the local default has run in this data directory. */
    public static java.util.Optional<TenantId> existingTenant(Path dataDir) {
        Path file = dataDir.resolve(TENANT_FILE);
        return java.nio.file.Files.exists(file) ? java.util.Optional.of(new TenantId(SecretFiles.id(file)))
                : java.util.Optional.empty();
    }
}
