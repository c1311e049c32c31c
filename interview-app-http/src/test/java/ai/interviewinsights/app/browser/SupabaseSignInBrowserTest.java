package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * With SUPABASE_URL set, the console signs staff in with a magic link through the project's Auth (GoTrue): it asks
 * {@code POST /auth/v1/otp?redirect_to=...} with the anon key, as supabase-js's signInWithOtp does, and on return
 * takes the access token from the URL fragment. The fake Auth server checks the request; the token the "email link"
 * brings back is a real Supabase-style token (HS256 with the project's secret) that the app verifies.
 */
class SupabaseSignInBrowserTest {

    private static final String JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
    private static final String ANON_KEY = "anon-public-key-for-tests";

    @Test
    void a_magic_link_is_requested_from_supabase_auth_and_its_token_signs_in() throws Exception {
        try (MockWebServer auth = new MockWebServer()) {
            auth.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    MockResponse.Builder reply = new MockResponse.Builder()
                            .addHeader("Access-Control-Allow-Origin", "*")
                            .addHeader("Access-Control-Allow-Headers", "apikey, content-type")
                            .addHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
                    if ("OPTIONS".equals(request.getMethod())) {
                        return reply.code(204).build();
                    }
                    if ("/auth/v1/otp".equals(request.getUrl().encodedPath())) {
                        return reply.code(200).addHeader("Content-Type", "application/json").body("{}").build();
                    }
                    return reply.code(404).body("{}").build();
                }
            });
            auth.start();
            String supabaseUrl = "http://127.0.0.1:" + auth.getPort();
            try (E2eApp e2e = E2eApp.start(Map.of("SUPABASE_URL", supabaseUrl, "SUPABASE_JWT_SECRET", JWT_SECRET,
                    "SUPABASE_ANON_KEY", ANON_KEY)); Browsers browsers = new Browsers()) {
                TenantId tenant = new TenantId(UUID.randomUUID());
                e2e.services().registerTenant().register(tenant, "Supabase Company");
                String origin = "http://127.0.0.1:" + e2e.port();
                BrowserContext context = browsers.context(origin);
                Page page = context.newPage();
                page.navigate(origin + "/admin");
                page.waitForSelector("#magic-form:not([hidden])");
                assertEquals(List.of(), Browsers.seriousAccessibilityViolations(page));
                page.fill("#magic-email", "recruiter@example.com");
                page.click("#magic-form button[type=submit]");
                page.waitForFunction("() => document.querySelector('#flash').textContent.includes('Check your email')");

                RecordedRequest otp;
                do {
                    otp = auth.takeRequest(5, TimeUnit.SECONDS);
                } while (otp != null && "OPTIONS".equals(otp.getMethod()));
                assertTrue(otp != null, "the console asked Supabase Auth for a link");
                assertEquals("POST", otp.getMethod());
                assertEquals("/auth/v1/otp", otp.getUrl().encodedPath());
                assertEquals(origin + "/admin", otp.getUrl().queryParameter("redirect_to"));
                assertEquals(ANON_KEY, otp.getHeaders().get("apikey"));
                JsonNode body = new ObjectMapper().readTree(otp.getBody().utf8());
                assertEquals("recruiter@example.com", body.path("email").asText());
                assertEquals(false, body.path("create_user").asBoolean(true), "staff are invited, not created");

                // The email's link lands on the console with the session in the fragment, as Supabase redirects.
                String accessToken = new SupabaseTokenMinter(URI.create(supabaseUrl), Secret.of(JWT_SECRET),
                        Clock.systemUTC()).mint(tenant, new UserId(UUID.randomUUID()), Role.ADMIN,
                        Duration.ofHours(1)).reveal();
                page.navigate(origin + "/admin#access_token=" + accessToken
                        + "&expires_in=3600&refresh_token=r1&token_type=bearer&type=magiclink");
                page.waitForSelector("#view-sessions:not([hidden])");
                assertEquals("", page.evaluate("() => location.hash"), "the token leaves the address bar");
                assertEquals(Boolean.TRUE, page.evaluate("() => sessionStorage.getItem('ii.staff-token') !== null"));
                context.close();
            }
        }
    }
}
