package ai.interviewinsights.app.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.ControlPlaneApp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What reaches the wire before and around the routes: Jetty's own errors, security headers, /health. */
class EdgeHardeningTest {

    private static ControlPlaneApp app;
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("ii-edge-");
        app = ControlPlaneApp.start(Map.of("PORT", "0", "HOST", "127.0.0.1", "DATA_DIR", dataDir.toString(),
                "LOG_FORMAT", "text"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void jettys_own_errors_are_problem_documents_with_the_security_headers() throws Exception {
        Map<String, String> cases = Map.of(
                "GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n", "400",
                "GET /api/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414",
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", "431");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String reply = raw(c.getKey());
            String head = reply.substring(0, reply.indexOf("\r\n\r\n")).toLowerCase();
            String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            assertTrue(head.startsWith("http/1.1 " + c.getValue()), head);
            assertTrue(head.contains("content-type: application/problem+json"), head);
            assertTrue(body.contains("\"status\":" + c.getValue()), body);
            assertTrue(body.contains("\"code\":\"request."), body);
            assertFalse(body.contains("<html"), body);
            assertSecurityHeaders(head);
        }
    }

    /**
     * The unauthenticated video webhook reads its body as every other route does: one that cannot be read (a broken
     * chunk) is a 400 with its code, not a 500 and an error logged with its stack for every such request.
     */
    @Test
    void a_webhook_body_that_cannot_be_read_is_a_400() throws Exception {
        Path hooked = Files.createTempDirectory("ii-edge-hook-");
        try (ControlPlaneApp withWebhooks = ControlPlaneApp.start(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "DATA_DIR", hooked.toString(), "LOG_FORMAT", "text", "APIVIDEO_API_KEY", "apivideo-test-key-0123456789",
                "APIVIDEO_BASE_URL", "http://127.0.0.1:9", "APIVIDEO_WEBHOOK_SECRET", "webhook-secret-0123456789abcdef"))) {
            String reply = raw(withWebhooks, "POST /api/webhooks/apivideo HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "zz\r\n{}\r\n0\r\n\r\n");
            String head = reply.substring(0, reply.indexOf("\r\n\r\n")).toLowerCase();
            String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            assertTrue(head.startsWith("http/1.1 400"), reply);
            assertTrue(head.contains("content-type: application/problem+json"), head);
            assertTrue(body.contains("\"code\":\"request."), body);
        }
    }

    @Test
    void every_answer_carries_the_security_headers() throws Exception {
        for (String request : new String[] {"GET /health", "GET /api/positions", "GET /no/such/route",
                "GET /openapi.yaml", "DELETE /health"}) {
            String reply = raw(request + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String head = reply.substring(0, reply.indexOf("\r\n\r\n")).toLowerCase();
            assertSecurityHeaders(head);
            assertTrue(head.contains("content-security-policy: default-src 'none'; frame-ancestors 'none'"), head);
        }
    }

    @Test
    void health_names_no_file_system_path() throws Exception {
        String reply = raw("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
        assertTrue(body.contains("\"database\""), body);
        assertFalse(body.contains(dataDir.toString()), body);
        assertFalse(body.contains("/tmp") || body.contains(System.getProperty("user.home")), body);
        String ready = raw("GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertFalse(ready.contains(dataDir.toString()), ready);
    }

    @Test
    void a_forged_rs256_or_es256_staff_token_is_a_401_in_the_local_default() throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        java.security.KeyPair rsaKeys = rsa.generateKeyPair();
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair ecKeys = ec.generateKeyPair();
        com.auth0.jwt.JWTCreator.Builder claims = com.auth0.jwt.JWT.create()
                .withIssuer("http://auth.interview-insights.local/auth/v1").withAudience("authenticated")
                .withSubject(java.util.UUID.randomUUID().toString())
                .withExpiresAt(java.time.Instant.now().plusSeconds(600)).withKeyId("forged")
                .withClaim("app_metadata", Map.of("tenant_id", app.bootstrap().orElseThrow().tenant().toString(),
                        "tenant_role", "admin"));
        for (String forged : new String[] {
                claims.sign(com.auth0.jwt.algorithms.Algorithm.RSA256(
                        (java.security.interfaces.RSAPublicKey) rsaKeys.getPublic(),
                        (java.security.interfaces.RSAPrivateKey) rsaKeys.getPrivate())),
                claims.sign(com.auth0.jwt.algorithms.Algorithm.ECDSA256(
                        (java.security.interfaces.ECPublicKey) ecKeys.getPublic(),
                        (java.security.interfaces.ECPrivateKey) ecKeys.getPrivate()))}) {
            String reply = raw("GET /api/positions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + forged + "\r\n\r\n");
            assertTrue(reply.startsWith("HTTP/1.1 401"), reply);
            assertTrue(reply.contains("\"code\":\"auth.algorithm_not_allowed\""), reply);
        }
    }

    static void assertSecurityHeaders(String head) {
        for (String header : new String[] {"x-content-type-options: nosniff", "x-frame-options: deny",
                "referrer-policy: no-referrer", "cross-origin-opener-policy: same-origin",
                "content-security-policy: "}) {
            assertTrue(head.contains(header), header + " missing in\n" + head);
        }
    }

    private static String raw(String request) throws Exception {
        return raw(app, request);
    }

    private static String raw(ControlPlaneApp app, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    all.write(buffer, 0, n);
                    String sofar = all.toString(StandardCharsets.ISO_8859_1);
                    int end = sofar.indexOf("\r\n\r\n");
                    if (end >= 0) {
                        int length = contentLength(sofar.substring(0, end));
                        if (length >= 0 && sofar.length() >= end + 4 + length) {
                            break;
                        }
                    }
                }
            } catch (java.net.SocketException closed) {
                // the server may close right after a bad request
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return -1;
    }
}
