package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A PostgreSQL location as operators write it: Supabase's {@code postgresql://user:password@host:5432/db?...}
 * or a JDBC URL with the user and password in separate variables. The password stays a {@link Secret}.
 */
public record DatabaseUrl(String jdbcUrl, String user, Secret password) {

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl + " as " + user + "]";
    }

    /**
     * @return the parsed location, or empty with a problem recorded in {@code env} naming {@code DATABASE_URL}
     */
    public static Optional<DatabaseUrl> parse(Env env, String raw, String userVariable, String passwordVariable) {
        String text = raw.strip();
        if (text.startsWith("jdbc:postgresql://")) {
            Optional<String> user = env.optional(userVariable);
            Optional<Secret> password = env.secret(passwordVariable);
            if (user.isEmpty() || password.isEmpty()) {
                env.problem("DATABASE_URL is a JDBC URL, so " + userVariable + " and " + passwordVariable
                        + " are required too");
                return Optional.empty();
            }
            return Optional.of(new DatabaseUrl(text, user.get(), password.get()));
        }
        try {
            URI uri = new URI(text);
            boolean postgres = "postgres".equals(uri.getScheme()) || "postgresql".equals(uri.getScheme());
            String info = uri.getRawUserInfo();
            if (!postgres || uri.getHost() == null || info == null || !info.contains(":")
                    || uri.getPath() == null || uri.getPath().length() < 2) {
                env.problem("DATABASE_URL must look like postgresql://user:password@host:5432/database "
                        + "(or jdbc:postgresql://... with DATABASE_USER and DATABASE_PASSWORD)");
                return Optional.empty();
            }
            String user = URLDecoder.decode(info.substring(0, info.indexOf(':')), StandardCharsets.UTF_8);
            String password = URLDecoder.decode(info.substring(info.indexOf(':') + 1), StandardCharsets.UTF_8);
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return Optional.of(new DatabaseUrl("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath()
                    + query, user, Secret.of(password.isEmpty() ? " " : password)));
        } catch (URISyntaxException e) {
            env.problem("DATABASE_URL is not a valid URL");
            return Optional.empty();
        }
    }
}
