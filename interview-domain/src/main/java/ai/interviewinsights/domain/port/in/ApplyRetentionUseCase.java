package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.erasure.ErasureReceipt;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * Per-tenant retention (a system job of the housekeeping): candidates whose last interview ended longer ago than
 * their tenant's retention period are erased exactly as by a request, each with its receipt.
 */
public interface ApplyRetentionUseCase {

    /** Erases every candidate due now; one that fails is skipped (and tried again next time). */
    List<ErasureReceipt> applyRetention();

    /**
     * Sets the tenant's retention period in days (1 to 36500), or clears it (keep until erased by hand).
     *
     * @throws ai.interviewinsights.domain.model.DomainException {@code invalid.retention_days}
     */
    void setRetentionDays(TenantId tenant, Optional<Integer> days, String operator);
}
