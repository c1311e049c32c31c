package ai.interviewinsights.app;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Supabase Auth (GoTrue) as far as onboarding talks to it, speaking its admin wire shape: {@code POST
 * /auth/v1/admin/users} (200 with the user object, 422 {@code email_exists} for a taken address), {@code GET
 * /auth/v1/admin/users?page&per_page} ({@code {"users": [...]}}), {@code PUT /auth/v1/admin/users/{id}} (merges
 * {@code app_metadata}); every call needs the service-role key as {@code apikey}. It also issues access tokens the
 * way GoTrue does for a signed-in user (HS256 with the project's JWT secret, the user's {@code app_metadata} in
 * the claims), so a test can act as the staff member afterwards.
 */
final class FakeGoTrue implements AutoCloseable {

    static final String SERVICE_KEY = "eyJhbGciOiJIUzI1NiJ9.fake-service-role-key.signature-0123456789";
    static final String JWT_SECRET = "fake-project-legacy-jwt-secret-0123456789abcdef";

    private final ObjectMapper json = new ObjectMapper();
    private final MockWebServer server = new MockWebServer();
    private final Map<String, ObjectNode> usersById = new ConcurrentHashMap<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    FakeGoTrue() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                return handle(request);
            }
        });
        server.start();
    }

    String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    private MockResponse handle(RecordedRequest request) {
        if (!SERVICE_KEY.equals(request.getHeaders().get("apikey"))) {
            return reply(401, "{\"code\":401,\"error_code\":\"no_authorization\",\"msg\":\"This endpoint requires a"
                    + " valid Bearer token\"}");
        }
        String target = request.getTarget();
        String path = target.replaceFirst("\\?.*$", "");
        try {
            if (request.getMethod().equals("POST") && path.equals("/auth/v1/admin/users")) {
                JsonNode body = json.readTree(request.getBody().utf8());
                String email = body.path("email").asText();
                if (byEmail(email) != null) {
                    return reply(422, "{\"code\":422,\"error_code\":\"email_exists\",\"msg\":\"A user with this email"
                            + " address has already been registered\"}");
                }
                ObjectNode user = json.createObjectNode();
                String id = UUID.randomUUID().toString();
                user.put("id", id).put("aud", "authenticated").put("role", "authenticated").put("email", email);
                user.put("email_confirmed_at", Instant.now().toString());
                ObjectNode appMetadata = user.putObject("app_metadata");
                appMetadata.put("provider", "email");
                appMetadata.putArray("providers").add("email");
                appMetadata.setAll((ObjectNode) body.path("app_metadata"));
                user.putObject("user_metadata");
                user.putArray("identities");
                user.put("created_at", Instant.now().toString()).put("updated_at", Instant.now().toString());
                usersById.put(id, user);
                return reply(200, user.toString());
            }
            if (request.getMethod().equals("GET") && path.equals("/auth/v1/admin/users")) {
                int page = Integer.parseInt(query(target, "page", "1"));
                int perPage = Integer.parseInt(query(target, "per_page", "50"));
                List<ObjectNode> all = usersById.values().stream()
                        .sorted(java.util.Comparator.comparing(u -> u.path("created_at").asText() + u.path("id")))
                        .toList();
                ObjectNode list = json.createObjectNode();
                ArrayNode users = list.putArray("users");
                all.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(users::add);
                list.put("aud", "authenticated");
                return reply(200, list.toString());
            }
            if (request.getMethod().equals("PUT") && path.startsWith("/auth/v1/admin/users/")) {
                ObjectNode user = usersById.get(path.substring("/auth/v1/admin/users/".length()));
                if (user == null) {
                    return reply(404, "{\"code\":404,\"error_code\":\"user_not_found\",\"msg\":\"User not found\"}");
                }
                JsonNode body = json.readTree(request.getBody().utf8());
                ((ObjectNode) user.path("app_metadata")).setAll((ObjectNode) body.path("app_metadata"));
                user.put("updated_at", Instant.now().toString());
                return reply(200, user.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reply(404, "{\"code\":404,\"error_code\":\"not_found\",\"msg\":\"Not found\"}");
    }

    ObjectNode byEmail(String email) {
        return usersById.values().stream().filter(u -> u.path("email").asText().equalsIgnoreCase(email))
                .findFirst().orElse(null);
    }

    /** An access token for the user with this address, as GoTrue issues it on sign-in. */
    String accessToken(String email) {
        ObjectNode user = byEmail(email);
        Map<String, Object> appMetadata = json.convertValue(user.path("app_metadata"), Map.class);
        return JWT.create().withIssuer(url() + "/auth/v1").withAudience("authenticated")
                .withSubject(user.path("id").asText()).withClaim("role", "authenticated")
                .withClaim("email", email).withClaim("aal", "aal1")
                .withClaim("session_id", UUID.randomUUID().toString()).withClaim("is_anonymous", false)
                .withIssuedAt(Instant.now()).withExpiresAt(Instant.now().plusSeconds(3600))
                .withClaim("app_metadata", appMetadata).withClaim("user_metadata", Map.of())
                .sign(Algorithm.HMAC256(JWT_SECRET));
    }

    private static String query(String target, String name, String fallback) {
        int q = target.indexOf('?');
        if (q < 0) {
            return fallback;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name) && kv.length == 2) {
                return kv[1];
            }
        }
        return fallback;
    }

    private static MockResponse reply(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
