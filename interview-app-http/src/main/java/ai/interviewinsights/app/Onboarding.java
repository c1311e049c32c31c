package ai.interviewinsights.app;

import ai.interviewinsights.adapters.supabase.SupabaseAuthAdmin;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.port.in.OnboardTenantUseCase;
import ai.interviewinsights.domain.port.out.StaffDirectory;
import ai.interviewinsights.domain.service.TenantOnboarding;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Wires tenant onboarding: the store, and Supabase Auth's admin API when the project and its key are configured. */
final class Onboarding {

    private Onboarding() {
    }

    static OnboardTenantUseCase useCase(SupabaseStore store, Optional<URI> supabaseUrl, Optional<Secret> serviceKey,
                                        Clock clock) {
        StaffDirectory staff = supabaseUrl.isPresent() && serviceKey.isPresent()
                ? new SupabaseAuthAdmin(supabaseUrl.get(), serviceKey.get(), Duration.ofSeconds(10))
                : (tenant, email, role) -> {
                    throw new DomainException(ErrorKind.UNAVAILABLE, "staff.directory_unconfigured",
                            "adding staff needs Supabase Auth: set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (the"
                                    + " local default mints its own tokens: bash scripts/run mint-token)", false, null);
                };
        return TenantOnboarding.create(store.tenants(), store.audit(), staff, new RandomIds(), clock);
    }
}
