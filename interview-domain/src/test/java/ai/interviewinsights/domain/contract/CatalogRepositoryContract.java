package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.testing.Fixtures;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tenants, positions and candidates: round trips, ordering, and the tenant wall. */
public abstract class CatalogRepositoryContract extends RepositoryContractSupport {

    @Test
    void a_tenant_is_visible_to_itself_and_to_system_jobs_only() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        assertTrue(repositories().tenants().find(SYSTEM, a).isPresent());
        assertEquals(a, repositories().tenants().find(AccessScope.of(Fixtures.admin(a)), a).orElseThrow().id());
        assertTrue(repositories().tenants().find(AccessScope.of(Fixtures.admin(b)), a).isEmpty());
    }

    @Test
    void only_system_jobs_create_tenants() {
        TenantId a = newTenant();
        TenantId fresh = new TenantId(UUID.randomUUID());
        assertRefused(() -> repositories().tenants().save(AccessScope.of(Fixtures.admin(a)), new Tenant(fresh, "X")));
        assertTrue(repositories().tenants().find(SYSTEM, fresh).isEmpty());
    }

    @Test
    void a_position_round_trips_with_its_competencies_in_order() {
        TenantId a = newTenant();
        Position position = new Position(new PositionId(UUID.randomUUID()), a, "Staff Engineer", "Leads things",
                List.of(new Competency("Architecture", "Big picture", 5), new Competency("Mentoring", "", 1),
                        new Competency("Delivery", "Ships", 3)));
        repositories().positions().save(AccessScope.of(Fixtures.admin(a)), position);
        assertEquals(position, repositories().positions().find(AccessScope.of(Fixtures.admin(a)), position.id())
                .orElseThrow());
    }

    @Test
    void saving_a_position_again_replaces_its_competencies() {
        TenantId a = newTenant();
        Position position = newPosition(a);
        Position changed = new Position(position.id(), a, "Renamed", "", List.of(new Competency("Only", "", 2)));
        repositories().positions().save(AccessScope.of(Fixtures.admin(a)), changed);
        assertEquals(changed, repositories().positions().find(SYSTEM, position.id()).orElseThrow());
    }

    @Test
    void positions_are_listed_by_title_within_the_tenant_only() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        AccessScope admin = AccessScope.of(Fixtures.admin(a));
        for (String title : List.of("Zoologist", "Architect", "Mechanic")) {
            repositories().positions().save(admin, new Position(new PositionId(UUID.randomUUID()), a, title, "",
                    List.of(new Competency("Skill", "", 1))));
        }
        newPosition(b);
        List<String> titles = repositories().positions().list(admin).stream().map(Position::title).toList();
        assertEquals(List.of("Architect", "Mechanic", "Zoologist"), titles);
    }

    @Test
    void another_tenant_can_neither_see_nor_overwrite_a_position() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        Position mine = newPosition(a);
        AccessScope hostile = AccessScope.of(Fixtures.admin(b));
        assertTrue(repositories().positions().find(hostile, mine.id()).isEmpty());
        assertFalse(repositories().positions().list(hostile).stream().anyMatch(p -> p.id().equals(mine.id())));
        Position stolen = new Position(mine.id(), b, "Stolen", "", List.of(new Competency("X", "", 1)));
        assertRefused(() -> repositories().positions().save(hostile, stolen));
        Position forged = new Position(mine.id(), a, "Forged", "", List.of(new Competency("X", "", 1)));
        assertRefused(() -> repositories().positions().save(hostile, forged));
        assertEquals(mine, repositories().positions().find(SYSTEM, mine.id()).orElseThrow());
    }

    @Test
    void a_candidate_principal_cannot_write_catalog_rows() {
        TenantId a = newTenant();
        AccessScope candidate = AccessScope.of(Fixtures.candidatePrincipal(a, new SessionId(UUID.randomUUID())));
        assertRefused(() -> repositories().positions().save(candidate, Fixtures.position(a)));
        assertRefused(() -> repositories().candidates().save(candidate, Fixtures.candidate(a)));
    }

    @Test
    void a_candidate_round_trips_and_is_listed_by_name_within_the_tenant() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        AccessScope staff = AccessScope.of(Fixtures.interviewer(a));
        Candidate zed = new Candidate(new CandidateId(UUID.randomUUID()), a, "Zed Shaw", "");
        Candidate amy = new Candidate(new CandidateId(UUID.randomUUID()), a, "Amy Adams", "amy@example.com");
        repositories().candidates().save(staff, zed);
        repositories().candidates().save(staff, amy);
        newCandidate(b);
        assertEquals(amy, repositories().candidates().find(staff, amy.id()).orElseThrow());
        assertEquals(List.of(amy, zed), repositories().candidates().list(staff));
    }

    @Test
    void another_tenant_can_neither_see_nor_overwrite_a_candidate() {
        TenantId a = newTenant();
        TenantId b = newTenant();
        Candidate mine = newCandidate(a);
        AccessScope hostile = AccessScope.of(Fixtures.admin(b));
        assertTrue(repositories().candidates().find(hostile, mine.id()).isEmpty());
        assertTrue(repositories().candidates().list(hostile).stream().noneMatch(c -> c.id().equals(mine.id())));
        assertRefused(() -> repositories().candidates().save(hostile, new Candidate(mine.id(), b, "Stolen", "")));
        assertRefused(() -> repositories().candidates().save(hostile, new Candidate(mine.id(), a, "Forged", "")));
        assertEquals(mine, repositories().candidates().find(SYSTEM, mine.id()).orElseThrow());
    }
}
