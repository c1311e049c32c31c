package ai.interviewinsights.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.web.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Onboarding in production shape: Supabase Auth (a GoTrue-speaking fake) verifies staff, the database is a real
 * embedded PostgreSQL under RLS. After {@code tenant create} and {@code add-staff} - by API or by CLI - the staff
 * member's next token works, and only within their tenant.
 */
class TenantOnboardingTest {

    private static final String POSITION = "{\"title\":\"Platform Engineer\",\"competencies\":[{\"name\":\"Go\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = Json.mapper();
    private FakeGoTrue gotrue;
    private Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        gotrue = new FakeGoTrue();
        env = new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1", "LOG_FORMAT", "text",
                "DATA_DIR", Files.createTempDirectory("ii-onboarding-").toString(),
                "SUPABASE_URL", gotrue.url(), "SUPABASE_JWT_SECRET", FakeGoTrue.JWT_SECRET,
                "SUPABASE_SERVICE_ROLE_KEY", FakeGoTrue.SERVICE_KEY));
    }

    @AfterEach
    void stop() throws Exception {
        gotrue.close();
    }

    @Test
    void the_api_creates_a_tenant_and_its_staff_whose_tokens_then_work_under_rls() throws Exception {
        try (ControlPlaneApp app = ControlPlaneApp.start(env)) {
            // Only the service-role key opens the platform API.
            assertEquals(401, post(app, "/api/platform/tenants", null, "{\"name\":\"Acme\"}").statusCode());
            assertEquals(401, post(app, "/api/platform/tenants", "not-the-key", "{\"name\":\"Acme\"}").statusCode());

            String acme = body(post(app, "/api/platform/tenants", FakeGoTrue.SERVICE_KEY, "{\"name\":\"Acme\"}"), 201)
                    .path("id").asText();
            JsonNode alice = body(post(app, "/api/platform/tenants/" + acme + "/staff", FakeGoTrue.SERVICE_KEY,
                    "{\"email\":\"Alice@Acme.example\",\"role\":\"admin\"}"), 201);
            assertEquals("admin", alice.path("role").asText());

            RecordedRequest created = gotrue.requests.get(0);
            assertEquals("POST", created.getMethod());
            assertEquals("/auth/v1/admin/users", created.getTarget());
            assertEquals("Bearer " + FakeGoTrue.SERVICE_KEY, created.getHeaders().get("Authorization"));
            JsonNode sent = json.readTree(created.getBody().utf8());
            assertEquals("alice@acme.example", sent.path("email").asText());
            assertEquals(acme, sent.path("app_metadata").path("tenant_id").asText());
            assertEquals("admin", sent.path("app_metadata").path("tenant_role").asText());
            assertEquals(alice.path("user_id").asText(), gotrue.byEmail("alice@acme.example").path("id").asText());

            String aliceToken = gotrue.accessToken("alice@acme.example");
            String positionId = body(post(app, "/api/positions", aliceToken, POSITION), 201).path("id").asText();
            assertTrue(get(app, "/api/positions", aliceToken).body().contains(positionId));

            // Another tenant's admin sees nothing of Acme's.
            String globex = body(post(app, "/api/platform/tenants", FakeGoTrue.SERVICE_KEY,
                    "{\"name\":\"Globex\"}"), 201).path("id").asText();
            body(post(app, "/api/platform/tenants/" + globex + "/staff", FakeGoTrue.SERVICE_KEY,
                    "{\"email\":\"bob@globex.example\",\"role\":\"admin\"}"), 201);
            String bobToken = gotrue.accessToken("bob@globex.example");
            assertFalse(get(app, "/api/positions", bobToken).body().contains(positionId));
            assertEquals(404, get(app, "/api/positions/" + positionId, bobToken).statusCode());

            // An existing account changes role: GoTrue says the address is taken, so it is found and updated.
            body(post(app, "/api/platform/tenants/" + acme + "/staff", FakeGoTrue.SERVICE_KEY,
                    "{\"email\":\"alice@acme.example\",\"role\":\"interviewer\"}"), 201);
            assertTrue(gotrue.requests.stream().anyMatch(r -> r.getMethod().equals("PUT")
                    && r.getTarget().equals("/auth/v1/admin/users/" + alice.path("user_id").asText())));
            String interviewerToken = gotrue.accessToken("alice@acme.example");
            assertEquals(403, post(app, "/api/positions", interviewerToken, POSITION).statusCode(),
                    "interviewers do not define positions");
            assertEquals(200, get(app, "/api/positions/" + positionId, interviewerToken).statusCode());

            // Bad requests are clear.
            JsonNode unknown = json.readTree(post(app, "/api/platform/tenants/6f0c3a5e-1d2b-4c3d-9e8f-0a1b2c3d4e5f"
                    + "/staff", FakeGoTrue.SERVICE_KEY, "{\"email\":\"x@y.example\",\"role\":\"admin\"}").body());
            assertEquals("tenant.unknown", unknown.path("code").asText());
            assertEquals("invalid.email", json.readTree(post(app, "/api/platform/tenants/" + acme + "/staff",
                    FakeGoTrue.SERVICE_KEY, "{\"email\":\"nope\",\"role\":\"admin\"}").body()).path("code").asText());
            assertEquals("invalid.staff_role", json.readTree(post(app, "/api/platform/tenants/" + acme + "/staff",
                    FakeGoTrue.SERVICE_KEY, "{\"email\":\"c@acme.example\",\"role\":\"candidate\"}").body())
                    .path("code").asText());
        }
    }

    @Test
    void the_cli_does_the_same_before_the_app_starts() throws Exception {
        String tenant = field(cli("tenant", "create", "--name", "Cli Company"), "tenant_id");
        String out = cli("tenant", "add-staff", "--tenant", tenant, "--email", "carol@cli.example", "--role", "admin");
        assertEquals(tenant, field(out, "tenant_id"));
        assertEquals(gotrue.byEmail("carol@cli.example").path("id").asText(), field(out, "user_id"));
        try (ControlPlaneApp app = ControlPlaneApp.start(env)) {
            String token = gotrue.accessToken("carol@cli.example");
            body(post(app, "/api/positions", token, POSITION), 201);
            assertEquals(200, get(app, "/api/positions", token).statusCode());
        }
    }

    private String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TenantCommand.run(env, args, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String field(String output, String name) {
        return output.lines().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError(name + " missing in " + output));
    }

    private JsonNode body(HttpResponse<String> response, int expected) throws Exception {
        assertEquals(expected, response.statusCode(), response.body());
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(ControlPlaneApp app, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ControlPlaneApp app, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
