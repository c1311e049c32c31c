package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.erasure.ErasureReceipt;
import ai.interviewinsights.domain.model.identity.TenantId;
import java.util.List;

/**
 * A tenant leaves: every candidate is erased (each with a receipt), then the tenant's own key is destroyed. The
 * tenant row, its positions and its audit log stay (no personal data of candidates).
 */
public interface OffboardTenantUseCase {

    List<ErasureReceipt> offboard(TenantId tenant, String operator);
}
