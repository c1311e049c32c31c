package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.port.in.OnboardTenantUseCase;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.StaffDirectory;
import ai.interviewinsights.domain.port.out.TenantRepository;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Tenant onboarding: a new tenant saved and audited like every registration ({@code tenant.registered}), staff
 * through the {@link StaffDirectory} ({@code tenant.staff_granted}, naming the account and role, not the address).
 * Staff may only join a tenant that exists, so that no one holds a token for a tenant the database would answer
 * {@code tenant.unknown} for.
 */
final class TenantOnboardingService implements OnboardTenantUseCase {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");
    private static final AccessScope OPERATOR = AccessScope.system("tenant-onboarding");

    private final TenantRepository tenants;
    private final StaffDirectory staff;
    private final IdGenerator ids;
    private final Audit audit;

    TenantOnboardingService(TenantRepository tenants, AuditLog auditLog, StaffDirectory staff, IdGenerator ids,
                                   Clock clock) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.staff = Objects.requireNonNull(staff, "staff");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.audit = new Audit(Objects.requireNonNull(auditLog, "auditLog"), ids, Objects.requireNonNull(clock));
    }

    @Override
    public Tenant createTenant(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw DomainException.invalid("invalid.tenant_name", "a tenant needs a name of 1 to 200 characters");
        }
        Tenant tenant = new Tenant(new TenantId(ids.newId()), name.strip());
        tenants.save(OPERATOR, tenant);
        audit.record(OPERATOR, tenant.id(), "tenant.registered", "tenant:" + tenant.id(), Map.of());
        return tenant;
    }

    @Override
    public StaffGrant addStaff(TenantId tenant, String email, Role role) {
        Objects.requireNonNull(tenant, "tenant");
        if (role == null || !role.isStaff()) {
            throw DomainException.invalid("invalid.staff_role", "staff are admins or interviewers");
        }
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(address).matches()) {
            throw DomainException.invalid("invalid.email", "that is not an e-mail address");
        }
        if (tenants.find(OPERATOR, tenant).isEmpty()) {
            throw DomainException.notFound("tenant.unknown", "there is no tenant " + tenant + "; create it first");
        }
        UserId user = staff.grant(tenant, address, role);
        audit.record(OPERATOR, tenant, "tenant.staff_granted", "user:" + user,
                Map.of("role", role.name().toLowerCase(Locale.ROOT)));
        return new StaffGrant(tenant, user, address, role);
    }
}
