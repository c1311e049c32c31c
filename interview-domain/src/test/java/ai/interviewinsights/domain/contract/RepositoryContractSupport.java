package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.MutableClock;
import ai.interviewinsights.domain.testing.RepositorySet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.function.Executable;

/**
 * What every repository contract test needs: the store under test and ways to seed it. Each test works in fresh,
 * random tenants, so a real database need not be emptied between tests.
 *
 * <p>Timestamps are truncated to microseconds, the precision of PostgreSQL's {@code timestamptz}.
 */
public abstract class RepositoryContractSupport {

    protected static final AccessScope SYSTEM = AccessScope.system("contract-test");

    protected final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MICROS));

    /** The store under test; may be the same instance for every test. */
    protected abstract RepositorySet repositories();

    protected TenantId newTenant() {
        TenantId id = new TenantId(UUID.randomUUID());
        repositories().tenants().save(SYSTEM, new Tenant(id, "Tenant " + id.toString().substring(0, 8)));
        return id;
    }

    protected Position newPosition(TenantId tenant) {
        Position position = Fixtures.position(new PositionId(UUID.randomUUID()), tenant);
        repositories().positions().save(SYSTEM, position);
        return position;
    }

    protected Candidate newCandidate(TenantId tenant) {
        Candidate candidate = Fixtures.candidate(new CandidateId(UUID.randomUUID()), tenant);
        repositories().candidates().save(SYSTEM, candidate);
        return candidate;
    }

    /** A saved CREATED session of the tenant, with a fresh position and candidate. */
    protected InterviewSession newSession(TenantId tenant) {
        InterviewSession session = InterviewSession.start(new SessionId(UUID.randomUUID()), tenant,
                newCandidate(tenant).id(), newPosition(tenant).id(), Fixtures.settings(), SessionOrigin.STAFF,
                new UserId(UUID.randomUUID()), clock);
        return repositories().sessions().save(SYSTEM, session);
    }

    /** The call must be refused as a tenant-wall violation: FORBIDDEN or NOT_FOUND, never success. */
    protected static void assertRefused(Executable call) {
        try {
            call.execute();
        } catch (DomainException e) {
            assertTrue(e.kind() == ErrorKind.FORBIDDEN || e.kind() == ErrorKind.NOT_FOUND,
                    "expected FORBIDDEN or NOT_FOUND, got " + e.kind() + " " + e.code());
            return;
        } catch (Throwable t) {
            fail("expected a DomainException, got " + t, t);
        }
        fail("the call was not refused");
    }
}
