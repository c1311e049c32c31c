package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.supabase.SupabaseTokenMinter;
import ai.interviewinsights.app.e2e.E2eApp;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * OAuth sign-in for staff with PKCE through the project's Supabase Auth, against a fake GoTrue that speaks its wire
 * shape: the console sends the browser to {@code GET /auth/v1/authorize?provider=...&redirect_to=...&code_challenge=
 * ...&code_challenge_method=s256}; Auth (after the provider, which the fake skips) redirects back with
 * {@code ?code=...}; the console exchanges it at {@code POST /auth/v1/token?grant_type=pkce} with
 * {@code {auth_code, code_verifier}} and the anon key, and signs in with the access token. The fake checks that
 * SHA-256 of the verifier is the challenge, and that a code is used once.
 */
class SupabaseOAuthSignInBrowserTest {

    private static final String JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
    private static final String ANON_KEY = "anon-public-key-for-tests";

    /** The fake Auth: what it was asked, the challenge per code, and codes already exchanged. */
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> challenges = new ConcurrentHashMap<>();
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    private volatile String accessToken;

    private static String sha256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private MockResponse dispatch(RecordedRequest request) throws Exception {
        requests.add(request);
        MockResponse.Builder reply = new MockResponse.Builder()
                .addHeader("Access-Control-Allow-Origin", "*")
                .addHeader("Access-Control-Allow-Headers", "apikey, content-type")
                .addHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
        String path = request.getUrl().encodedPath();
        if ("OPTIONS".equals(request.getMethod())) {
            return reply.code(204).build();
        }
        if ("GET".equals(request.getMethod()) && path.equals("/auth/v1/authorize")) {
            String challenge = request.getUrl().queryParameter("code_challenge");
            if (!"github".equals(request.getUrl().queryParameter("provider")) || challenge == null
                    || !"s256".equals(request.getUrl().queryParameter("code_challenge_method"))) {
                return reply.code(400).body("{\"error\":\"invalid_request\"}").build();
            }
            String code = UUID.randomUUID().toString();
            challenges.put(code, challenge);
            return reply.code(302).addHeader("Location", request.getUrl().queryParameter("redirect_to")
                    + "?code=" + code).build();
        }
        if ("POST".equals(request.getMethod()) && path.equals("/auth/v1/token")
                && "pkce".equals(request.getUrl().queryParameter("grant_type"))) {
            JsonNode body = new ObjectMapper().readTree(request.getBody().utf8());
            String code = body.path("auth_code").asText();
            String challenge = challenges.get(code);
            if (!ANON_KEY.equals(request.getHeaders().get("apikey")) || challenge == null || !used.add(code)
                    || !challenge.equals(sha256(body.path("code_verifier").asText()))) {
                return reply.code(400).addHeader("Content-Type", "application/json")
                        .body("{\"code\":400,\"error_code\":\"bad_code_verifier\",\"msg\":\"code challenge does not"
                                + " match previously saved code verifier\"}").build();
            }
            return reply.code(200).addHeader("Content-Type", "application/json").body("{\"access_token\":\""
                    + accessToken + "\",\"token_type\":\"bearer\",\"expires_in\":3600,\"refresh_token\":\"r1\","
                    + "\"user\":{\"id\":\"" + UUID.randomUUID() + "\",\"aud\":\"authenticated\"}}").build();
        }
        return reply.code(404).body("{}").build();
    }

    @Test
    void oauth_with_pkce_signs_staff_in_and_a_code_without_this_tabs_verifier_does_not() throws Exception {
        try (MockWebServer auth = new MockWebServer()) {
            auth.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    try {
                        return SupabaseOAuthSignInBrowserTest.this.dispatch(request);
                    } catch (Exception e) {
                        return new MockResponse.Builder().code(500).body(e.toString()).build();
                    }
                }
            });
            auth.start();
            String supabaseUrl = "http://127.0.0.1:" + auth.getPort();
            try (E2eApp e2e = E2eApp.start(Map.of("SUPABASE_URL", supabaseUrl, "SUPABASE_JWT_SECRET", JWT_SECRET,
                    "SUPABASE_ANON_KEY", ANON_KEY, "SUPABASE_OAUTH_PROVIDERS", "github"));
                 Browsers browsers = new Browsers()) {
                TenantId tenant = new TenantId(UUID.randomUUID());
                e2e.services().registerTenant().register(tenant, "OAuth Company");
                accessToken = new SupabaseTokenMinter(URI.create(supabaseUrl), Secret.of(JWT_SECRET),
                        Clock.systemUTC()).mint(tenant, new UserId(UUID.randomUUID()), Role.ADMIN,
                        Duration.ofHours(1)).reveal();
                String origin = "http://127.0.0.1:" + e2e.port();
                try (BrowserContext context = browsers.context(origin)) {
                    Page page = context.newPage();
                    List<String> errors = Browsers.watchErrors(page);
                    page.navigate(origin + "/admin");
                    page.waitForSelector("#oauth-buttons:not([hidden]) button");
                    assertEquals("Sign in with GitHub", page.textContent("#oauth-buttons button"));
                    assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page));
                    page.click("#oauth-buttons button");
                    page.waitForSelector("#view-sessions:not([hidden])");

                    RecordedRequest authorize = requests.stream().filter(r -> r.getUrl().encodedPath()
                            .equals("/auth/v1/authorize")).findFirst().orElseThrow();
                    assertEquals(origin + "/admin", authorize.getUrl().queryParameter("redirect_to"));
                    RecordedRequest token = requests.stream().filter(r -> "POST".equals(r.getMethod())
                            && r.getUrl().encodedPath().equals("/auth/v1/token")).findFirst().orElseThrow();
                    JsonNode exchanged = new ObjectMapper().readTree(token.getBody().utf8());
                    assertEquals(authorize.getUrl().queryParameter("code_challenge"),
                            sha256(exchanged.path("code_verifier").asText()), "the verifier matches the challenge");
                    assertTrue(exchanged.path("code_verifier").asText().length() >= 43, "RFC 7636: 43+ chars");
                    assertEquals("", page.evaluate("() => location.search"), "the code leaves the address bar");
                    assertEquals(accessToken, page.evaluate("() => sessionStorage.getItem('ii.staff-token')"));
                    assertEquals(null, page.evaluate("() => sessionStorage.getItem('ii.pkce-verifier')"),
                            "the verifier is used once");
                    assertEquals(List.of(), errors);
                }
                // A code that reaches another tab (a link passed on, a replay) signs nobody in: no verifier here.
                try (BrowserContext other = browsers.context(origin)) {
                    Page page = other.newPage();
                    String stolen = challenges.keySet().iterator().next();
                    page.navigate(origin + "/admin?code=" + stolen);
                    page.waitForSelector("#view-signin:not([hidden])");
                    page.waitForFunction("() => document.querySelector('#failure').textContent.length > 0");
                    assertTrue(page.textContent("#failure").contains("not started in this tab"),
                            page.textContent("#failure"));
                    assertEquals(null, page.evaluate("() => sessionStorage.getItem('ii.staff-token')"));
                    assertNotNull(page.evaluate("() => location.pathname"));
                }
            }
        }
    }
}
