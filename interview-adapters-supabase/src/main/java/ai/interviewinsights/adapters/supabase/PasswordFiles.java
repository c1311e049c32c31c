package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The embedded database's role passwords: generated once, kept one per file ({@code postgres-<role>-password},
 * readable by the owner only) beside the app's other secrets, so that the cluster can require them across restarts
 * and an operator can log in with {@code psql} when they must.
 */
final class PasswordFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    PasswordFiles(Path directory) {
        this.directory = directory;
    }

    Secret password(String role) {
        Path file = file(role);
        try {
            return Secret.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password file of role " + role, e);
        }
    }

    /**
     * The role's password file, created with a new password when absent: one line, the password, as
     * {@code initdb --pwfile} reads it.
     */
    Path file(String role) {
        Path file = directory.resolve("postgres-" + role + "-password");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                restrict(directory, "rwx------");
            }
            if (!Files.exists(file)) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                try {
                    Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n",
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    restrict(file, "rw-------");
                } catch (FileAlreadyExistsException raced) {
                    // another process wrote it first: theirs is the password
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the password file of role " + role, e);
        }
    }

    private static void restrict(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: the platform's defaults apply
        }
    }
}
