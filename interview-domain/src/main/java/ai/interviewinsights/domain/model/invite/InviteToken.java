package ai.interviewinsights.domain.model.invite;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secret in an invite link. It is shown once, when the invite is created; only its SHA-256 hash is stored, so a
 * leaked database does not leak working links.
 */
public final class InviteToken {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22,128}");

    private final Secret value;

    private InviteToken(Secret value) {
        this.value = value;
    }

    /**
     * Wraps a presented token.
     *
     * @throws DomainException {@code invite.invalid_token} (NOT_FOUND) when it cannot be a token we issued
     */
    public static InviteToken of(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw DomainException.notFound("invite.invalid_token", "this invite link is not valid");
        }
        return new InviteToken(Secret.of(text));
    }

    public Secret value() {
        return value;
    }

    /** The hex SHA-256 of the token, which is all that is stored. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.reveal().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "InviteToken[***]";
    }
}
