package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.port.in.OnboardTenantUseCase;
import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.StaffDirectory;
import ai.interviewinsights.domain.port.out.TenantRepository;
import java.time.Clock;

/** The public way to the tenant-onboarding service (the service itself stays package-private). */
public final class TenantOnboarding {

    private TenantOnboarding() {
    }

    public static OnboardTenantUseCase create(TenantRepository tenants, AuditLog auditLog, StaffDirectory staff,
                                              IdGenerator ids, Clock clock) {
        return new TenantOnboardingService(tenants, auditLog, staff, ids, clock);
    }
}
