package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.port.in.ManageCandidatesUseCase;
import ai.interviewinsights.domain.port.in.ManagePositionsUseCase;
import ai.interviewinsights.domain.port.in.RegisterTenantUseCase;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.TenantRepository;
import java.util.List;
import java.util.Map;

/** Tenants, positions and candidates: the records interviews are about. */
final class CatalogService implements ManagePositionsUseCase, ManageCandidatesUseCase, RegisterTenantUseCase {

    private final TenantRepository tenants;
    private final PositionRepository positions;
    private final CandidateRepository candidates;
    private final IdGenerator ids;
    private final Audit audit;

    CatalogService(TenantRepository tenants, PositionRepository positions, CandidateRepository candidates,
            IdGenerator ids, Audit audit) {
        this.tenants = tenants;
        this.positions = positions;
        this.candidates = candidates;
        this.ids = ids;
        this.audit = audit;
    }

    @Override
    public Tenant register(TenantId id, String name) {
        AccessScope scope = AccessScope.system("tenant-registration");
        Tenant tenant = new Tenant(id, name);
        if (tenants.find(scope, id).isPresent()) {
            return tenants.find(scope, id).get();
        }
        tenants.save(scope, tenant);
        audit.record(scope, id, "tenant.registered", "tenant:" + id, Map.of());
        return tenant;
    }

    @Override
    public Position create(Principal principal, String title, String description, List<Competency> competencies) {
        Access.requireAdmin(principal);
        Position position = new Position(new PositionId(ids.newId()), principal.tenant(), title, description,
                competencies);
        AccessScope scope = AccessScope.of(principal);
        positions.save(scope, position);
        audit.record(scope, principal.tenant(), "position.created", "position:" + position.id(), Map.of());
        return position;
    }

    @Override
    public List<Position> list(Principal principal) {
        Access.requireStaff(principal);
        return positions.list(AccessScope.of(principal));
    }

    @Override
    public Position get(Principal principal, PositionId id) {
        Access.requireStaff(principal);
        return positions.find(AccessScope.of(principal), id)
                .orElseThrow(() -> DomainException.notFound("position.not_found", "no position " + id));
    }

    @Override
    public Candidate create(Principal principal, String name, String email) {
        Access.requireStaff(principal);
        Candidate candidate = new Candidate(new CandidateId(ids.newId()), principal.tenant(), name, email);
        AccessScope scope = AccessScope.of(principal);
        candidates.save(scope, candidate);
        audit.record(scope, principal.tenant(), "candidate.created", "candidate:" + candidate.id(), Map.of());
        return candidate;
    }

    @Override
    public List<Candidate> candidates(Principal principal) {
        Access.requireStaff(principal);
        return candidates.list(AccessScope.of(principal));
    }

    @Override
    public Candidate candidate(Principal principal, CandidateId id) {
        Access.requireStaff(principal);
        return candidates.find(AccessScope.of(principal), id)
                .orElseThrow(() -> DomainException.notFound("candidate.not_found", "no candidate " + id));
    }
}
