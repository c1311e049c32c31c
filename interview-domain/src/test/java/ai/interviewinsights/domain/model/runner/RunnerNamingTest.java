package ai.interviewinsights.domain.model.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.RunnerId;
import java.net.URI;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunnerNamingTest {

    private static final TenantId TENANT = TenantId.of("550e8400-e29b-41d4-a716-446655440000");
    private static final SessionId SESSION = SessionId.of("a1b2c3d4-0000-4000-8000-000000000001");

    @Test
    void names_follow_the_design_documents() {
        assertEquals("interview-hybrid-550e8400-e29b-41d4-a716-446655440000-a1b2c3d4",
                RunnerName.of(Architecture.HYBRID, TENANT, SESSION).value());
        assertEquals("interview-proxy-550e8400-e29b-41d4-a716-446655440000-a1b2c3d4",
                RunnerName.of(Architecture.PROXY, TENANT, SESSION).value());
        assertEquals("interviews-550e8400-e29b-41d4-a716-446655440000", TenantAppName.of(TENANT).value());
    }

    @Provide
    Arbitrary<UUID> uuids() {
        return Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()));
    }

    @Property(tries = 300)
    void every_generated_name_is_a_dns_label_of_at_most_63_characters(@ForAll("uuids") UUID tenant,
                                                                       @ForAll("uuids") UUID session,
                                                                       @ForAll Architecture architecture) {
        String name = RunnerName.of(architecture, new TenantId(tenant), new SessionId(session)).value();
        assertTrue(name.length() <= 63, name);
        assertTrue(name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"), name);
        assertTrue(name.endsWith(session.toString().substring(0, 8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Interview-hybrid-x", "interview-hybrid_x", "interview-hybrid-x-",
            "interview-hybrid-0123456789012345678901234567890123456789012345678901234567",
            "machine-1", ""})
    void bad_names_are_refused(String name) {
        assertThrows(RuntimeException.class, () -> new RunnerName(name));
    }

    @Test
    void the_websocket_url_carries_token_session_and_tenant_and_keeps_the_endpoint_query() {
        RunnerRef ref = new RunnerRef(new RunnerId("3d8d9e1f"), RunnerName.of(Architecture.HYBRID, TENANT, SESSION),
                URI.create("wss://interviews-" + TENANT + ".fly.dev/ws?instance=3d8d9e1f"));
        assertEquals("wss://interviews-" + TENANT + ".fly.dev/ws?instance=3d8d9e1f&token=a%2Bb%2Fc%3D&session="
                + SESSION + "&tenant=" + TENANT, ref.websocketUrl("a+b/c=", SESSION, TENANT));
        RunnerRef local = new RunnerRef(new RunnerId("4242"), RunnerName.of(Architecture.HYBRID, TENANT, SESSION),
                URI.create("ws://127.0.0.1:41234/ws"));
        assertTrue(local.websocketUrl("t", SESSION, TENANT).startsWith("ws://127.0.0.1:41234/ws?token=t&"));
    }

    @Test
    void a_runner_endpoint_must_be_a_websocket() {
        assertThrows(IllegalArgumentException.class, () -> new RunnerRef(new RunnerId("1"),
                RunnerName.of(Architecture.HYBRID, TENANT, SESSION), URI.create("https://example.com/ws")));
        assertThrows(DomainException.class, () -> TenantId.of("not-a-uuid"));
        assertThrows(DomainException.class, () -> TenantId.of("1-1-1-1-1"));
    }
}
