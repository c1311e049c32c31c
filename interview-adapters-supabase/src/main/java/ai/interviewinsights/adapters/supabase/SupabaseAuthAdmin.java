package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.port.out.StaffDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff membership through Supabase Auth's admin API (GoTrue), with the project's service-role key:
 * <ol>
 *   <li>{@code POST /auth/v1/admin/users} {@code {"email", "email_confirm": true, "app_metadata": {"tenant_id",
 *       "tenant_role"}}} creates the account with the claims (200, the user object);</li>
 *   <li>when the address already has an account (422, {@code error_code} {@code email_exists}), it is found with
 *       {@code GET /auth/v1/admin/users?page=N&per_page=M} ({@code {"users": [...]}}) and
 *       {@code PUT /auth/v1/admin/users/{id}} {@code {"app_metadata": {...}}} sets the claims; GoTrue merges
 *       {@code app_metadata}, so the provider keys stay.</li>
 * </ol>
 * The account's next access token carries the claims (an existing session after its next refresh). The key is sent
 * as {@code apikey}, and as {@code Authorization: Bearer} when it is a legacy JWT key; it never appears in an error.
 */
public final class SupabaseAuthAdmin implements StaffDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SupabaseAuthAdmin.class);
    private static final int PER_PAGE = 200;
    private static final int MAX_PAGES = 500;

    private final URI admin;
    private final Secret serviceKey;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param supabaseUrl the project URL, e.g. {@code https://abcd.supabase.co}
     * @param serviceKey  the project's service-role (secret) key
     */
    public SupabaseAuthAdmin(URI supabaseUrl, Secret serviceKey, Duration timeout) {
        String base = Objects.requireNonNull(supabaseUrl, "supabaseUrl").toString().replaceAll("/+$", "");
        this.admin = URI.create(base + "/auth/v1/admin/users");
        this.serviceKey = Objects.requireNonNull(serviceKey, "serviceKey");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public UserId grant(TenantId tenant, String email, Role role) {
        ObjectNode claims = Json.MAPPER.createObjectNode();
        claims.put("tenant_id", tenant.toString());
        claims.put("tenant_role", role.name().toLowerCase(Locale.ROOT));
        ObjectNode create = Json.MAPPER.createObjectNode();
        create.put("email", email);
        create.put("email_confirm", true);
        create.set("app_metadata", claims);
        HttpResponse<String> created = send(request(admin).POST(body(create)), "create the staff account");
        if (created.statusCode() == 200 || created.statusCode() == 201) {
            UserId user = userId(Json.parse(created.body()));
            LOG.info("created staff account {} for tenant {}", user, tenant);
            return user;
        }
        if (!alreadyRegistered(created)) {
            throw refused("create the staff account", created);
        }
        UserId existing = findByEmail(email);
        ObjectNode update = Json.MAPPER.createObjectNode();
        update.set("app_metadata", claims);
        HttpResponse<String> updated = send(request(URI.create(admin + "/" + existing)).PUT(body(update)),
                "update the staff account");
        if (updated.statusCode() != 200) {
            throw refused("update the staff account", updated);
        }
        LOG.info("made existing account {} staff of tenant {}", existing, tenant);
        return existing;
    }

    private UserId findByEmail(String email) {
        for (int page = 1; page <= MAX_PAGES; page++) {
            HttpResponse<String> listed = send(request(URI.create(admin + "?page=" + page + "&per_page=" + PER_PAGE))
                    .GET(), "list accounts");
            if (listed.statusCode() != 200) {
                throw refused("list accounts", listed);
            }
            JsonNode users = Json.parse(listed.body()).path("users");
            for (JsonNode user : users) {
                if (email.equalsIgnoreCase(user.path("email").asText())) {
                    return userId(user);
                }
            }
            if (users.size() < PER_PAGE) {
                break;
            }
        }
        throw new DomainException(ErrorKind.UPSTREAM_FAILED, "staff.account_not_found",
                "Supabase Auth says the address has an account but does not list it");
    }

    private static boolean alreadyRegistered(HttpResponse<String> reply) {
        if (reply.statusCode() != 422 && reply.statusCode() != 400) {
            return false;
        }
        try {
            JsonNode error = Json.MAPPER.readTree(reply.body());
            String code = error.path("error_code").asText("");
            String message = error.path("msg").asText(error.path("message").asText("")).toLowerCase(Locale.ROOT);
            return code.equals("email_exists") || code.equals("user_already_exists")
                    || message.contains("already been registered");
        } catch (IOException notJson) {
            return false;
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("apikey", serviceKey.reveal()).header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (serviceKey.reveal().startsWith("eyJ")) {
            // A legacy service_role JWT; the newer sb_secret_ keys go in apikey only.
            builder.header("Authorization", "Bearer " + serviceKey.reveal());
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher body(JsonNode json) {
        return HttpRequest.BodyPublishers.ofString(json.toString());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DomainException(ErrorKind.UNAVAILABLE, "staff.directory_unavailable",
                    "could not reach Supabase Auth to " + what + " (" + e.getClass().getSimpleName() + ")", true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException(ErrorKind.UNAVAILABLE, "staff.directory_unavailable",
                    "interrupted while trying to " + what, true, null);
        }
    }

    private static UserId userId(JsonNode user) {
        String id = user.path("id").asText("");
        try {
            return UserId.of(id);
        } catch (DomainException e) {
            throw new DomainException(ErrorKind.UPSTREAM_FAILED, "staff.malformed_reply",
                    "Supabase Auth answered without a user id");
        }
    }

    private DomainException refused(String what, HttpResponse<String> reply) {
        int status = reply.statusCode();
        String code = "";
        try {
            code = Json.MAPPER.readTree(reply.body()).path("error_code").asText("");
        } catch (IOException ignored) {
            // not JSON: the status says enough
        }
        code = code.replaceAll("[^a-z0-9_]", "");
        String detail = "Supabase Auth refused to " + what + " (" + status + (code.isEmpty() ? "" : ", " + code) + ")";
        if (status == 401 || status == 403) {
            return new DomainException(ErrorKind.UPSTREAM_FAILED, "staff.directory_refused",
                    detail + "; check SUPABASE_SERVICE_ROLE_KEY");
        }
        if (status == 429 || status >= 500) {
            return new DomainException(ErrorKind.UNAVAILABLE, "staff.directory_unavailable", detail, true, null);
        }
        return new DomainException(ErrorKind.UPSTREAM_FAILED, "staff.directory_refused", detail);
    }

    @Override
    public String toString() {
        return "SupabaseAuthAdmin[" + admin + "]";
    }
}
