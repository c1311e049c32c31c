package ai.interviewinsights.app.config;

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
import java.util.UUID;

/**
 * Values the local default generates once and keeps beside its data (secrets readable by the owner only), so that
 * tokens and the default tenant survive restarts.
 */
public final class SecretFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** The directory, created readable by its owner only when absent. */
    public static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                trySetPermissions(dir, "rwx------");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** A 384-bit random secret stored in {@code file}, created on first use. */
    public static Secret secret(Path file) {
        return Secret.of(readOrCreate(file, () -> {
            byte[] bytes = new byte[48];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }));
    }

    /** A secret made by {@code create} and stored in {@code file} on first use. */
    public static Secret value(Path file, java.util.function.Supplier<String> create) {
        return Secret.of(readOrCreate(file, create));
    }

    /** A random UUID stored in {@code file}, created on first use. */
    public static UUID id(Path file) {
        return UUID.fromString(readOrCreate(file, () -> UUID.randomUUID().toString()));
    }

    private static String readOrCreate(Path file, java.util.function.Supplier<String> create) {
        try {
            directory(file.getParent());
            if (!Files.exists(file)) {
                String value = create.get();
                try {
                    Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    trySetPermissions(file, "rw-------");
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first; use theirs
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static void trySetPermissions(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: the platform's defaults apply
        }
    }
}
