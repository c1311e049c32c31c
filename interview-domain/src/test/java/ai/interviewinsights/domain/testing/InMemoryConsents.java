package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.consent.ConsentNotice;
import ai.interviewinsights.domain.model.consent.ConsentRecord;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.port.out.ConsentRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Consent records and notices in memory, with the schema's rules: a session's candidate (or a system job) records
 * its consent, staff of the tenant and the candidate read it, only admins change the notice; the first record wins.
 */
public final class InMemoryConsents implements ConsentRepository {

    private final Map<SessionId, ConsentRecord> records = new LinkedHashMap<>();
    private final Map<TenantId, ConsentNotice> notices = new LinkedHashMap<>();

    @Override
    public synchronized boolean record(AccessScope scope, ConsentRecord consent) {
        boolean candidate = scope.principal().map(p -> p.role() == Role.CANDIDATE).orElse(false);
        if (!(scope.isSystem() || candidate) || !scope.canSeeSession(consent.tenant(), consent.session())) {
            throw DomainException.forbidden("forbidden", "not allowed for this principal");
        }
        return records.putIfAbsent(consent.session(), consent) == null;
    }

    @Override
    public synchronized Optional<ConsentRecord> find(AccessScope scope, SessionId session) {
        return Optional.ofNullable(records.get(session)).filter(r -> scope.canSeeSession(r.tenant(), r.session())
                && scope.principal().map(p -> p.role() != Role.RUNNER).orElse(true));
    }

    @Override
    public synchronized Optional<ConsentNotice> notice(AccessScope scope, TenantId tenant) {
        return scope.canSeeTenant(tenant) ? Optional.ofNullable(notices.get(tenant)) : Optional.empty();
    }

    @Override
    public synchronized void saveNotice(AccessScope scope, TenantId tenant, ConsentNotice notice) {
        boolean admin = scope.principal().map(p -> p.role() == Role.ADMIN).orElse(false);
        if (!(scope.isSystem() || admin) || !scope.canSeeTenant(tenant)) {
            throw DomainException.forbidden("forbidden", "not allowed for this principal");
        }
        notices.put(tenant, notice);
    }
}
