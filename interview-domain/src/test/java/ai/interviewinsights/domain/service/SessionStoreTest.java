package ai.interviewinsights.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.session.ConcurrentUpdateException;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.MutableClock;
import java.lang.reflect.Proxy;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The services' optimistic-locking retry keys on the port's typed error, not on an adapter's string. */
class SessionStoreTest {

    private static final AccessScope SYSTEM = AccessScope.system("test");

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final InMemoryRepositories repositories = InMemoryRepositories.create();
    private final InterviewSession saved = saveNewSession();
    private final AtomicInteger saves = new AtomicInteger();

    private InterviewSession saveNewSession() {
        var tenant = Fixtures.ACME;
        var position = Fixtures.position(tenant);
        var candidate = Fixtures.candidate(tenant);
        repositories.tenants().save(SYSTEM, new ai.interviewinsights.domain.model.position.Tenant(tenant, "Acme"));
        repositories.positions().save(SYSTEM, position);
        repositories.candidates().save(SYSTEM, candidate);
        return repositories.sessions().save(SYSTEM, InterviewSession.start(new SessionId(UUID.randomUUID()), tenant,
                candidate.id(), position.id(), Fixtures.settings(), SessionOrigin.STAFF, new UserId(UUID.randomUUID()),
                clock));
    }

    /** The real in-memory store, with someone else saving the session just before each of our first saves. */
    private SessionRepository racedBy(int races) {
        SessionRepository real = repositories.sessions();
        AtomicInteger left = new AtomicInteger(races);
        return (SessionRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SessionRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("save")) {
                        saves.incrementAndGet();
                        if (left.getAndDecrement() > 0) {
                            InterviewSession other = real.find(SYSTEM, saved.id()).orElseThrow();
                            real.save(SYSTEM, other); // the other writer wins: the stored version moves on
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void a_change_that_lost_a_race_is_loaded_again_and_applied() {
        SessionStore store = new SessionStore(racedBy(2));

        InterviewSession updated = store.update(SYSTEM, saved.id(), s -> s.beginProvisioning(clock));

        assertEquals(SessionStatus.PROVISIONING, updated.status());
        assertEquals(3, saves.get(), "two lost races, then the save that won");
    }

    @Test
    void a_session_that_keeps_changing_underneath_gives_up_with_the_typed_error() {
        SessionStore store = new SessionStore(racedBy(10));

        ConcurrentUpdateException e = assertThrows(ConcurrentUpdateException.class,
                () -> store.update(SYSTEM, saved.id(), s -> s.beginProvisioning(clock)));

        assertEquals(saved.id(), e.session());
        assertEquals(4, saves.get(), "a bounded number of attempts");
    }

    @Test
    void another_conflict_is_not_retried_even_with_the_same_code() {
        SessionRepository lookalike = (SessionRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SessionRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("save")) {
                        saves.incrementAndGet();
                        throw DomainException.conflict(ConcurrentUpdateException.CODE, "a different failure");
                    }
                    return method.invoke(repositories.sessions(), args);
                });

        assertThrows(DomainException.class,
                () -> new SessionStore(lookalike).update(SYSTEM, saved.id(), s -> s.beginProvisioning(clock)));
        assertEquals(1, saves.get());
    }
}
