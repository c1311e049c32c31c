package ai.interviewinsights.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.supabase.MasterKey;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's commands against the local default, as {@code bash scripts/run <command>} runs them. */
class OperatorCommandsTest {

    private static String run(Map<String, String> env, String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            OperatorCommands.run(env, args);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rotate_reencrypt_retention_erase_and_a_master_key_rotation_from_the_command_line() throws Exception {
        Path data = Files.createTempDirectory("ii-operator-");
        Map<String, String> env = Map.of("DATA_DIR", data.toString(), "PORT", "0", "LOG_FORMAT", "text");
        TenantId tenant;
        Candidate ada;
        Candidate bob;
        try (ControlPlaneApp app = ControlPlaneApp.start(env)) {
            tenant = app.bootstrap().orElseThrow().tenant();
            Principal admin = Principal.staff(tenant, app.bootstrap().orElseThrow().admin(), Role.ADMIN);
            ada = app.services().candidates().create(admin, "Ada Commandline", "ada@example.org");
            bob = app.services().candidates().create(admin, "Bob Commandline", "");
        }
        String masterBefore = Files.readString(data.resolve("encryption-master-key")).strip();
        assertTrue(MasterKey.parse(Secret.of(masterBefore)).keyIds().size() == 1, "generated in DATA_DIR");

        assertTrue(run(env, "keys", "rotate-tenant-key", "--tenant", tenant.toString()).contains("generation 2"));
        String reencrypted = run(env, "keys", "reencrypt", "--tenant", tenant.toString());
        assertTrue(reencrypted.contains("2 candidates visited, 2 values re-encrypted"), reencrypted);
        assertEquals("crypto.retire_too_early", assertThrows(DomainException.class,
                () -> run(env, "keys", "retire-old-keys", "--tenant", tenant.toString())).code());
        assertTrue(run(env, "retention", "--tenant", tenant.toString(), "--days", "30").contains("30 days"));
        String erased = run(env, "erase-candidate", "--tenant", tenant.toString(), "--candidate",
                ada.id().toString(), "--operator", "dpo@example.org");
        assertTrue(erased.contains("erased candidate " + ada.id()) && erased.contains("system:operator:dpo@example.org")
                && erased.contains("keys_destroyed=1"), erased);
        assertFalse(erased.contains("Commandline"), "no personal data in the output");

        assertTrue(run(env, "keys", "rotate-master-key").contains("rotated"));
        String masterRotated = Files.readString(data.resolve("encryption-master-key")).strip();
        assertNotEquals(masterBefore, masterRotated);
        assertEquals(2, MasterKey.parse(Secret.of(masterRotated)).keyIds().size());
        assertTrue(run(env, "keys", "rewrap-tenant-keys").contains("re-wrapped 1 tenant keys"));
        assertTrue(run(env, "keys", "retire-master-key").contains("retired"));
        assertEquals(1, MasterKey.parse(Secret.of(Files.readString(data.resolve("encryption-master-key")).strip()))
                .keyIds().size());

        try (ControlPlaneApp app = ControlPlaneApp.start(env)) {
            Principal admin = Principal.staff(tenant, app.bootstrap().orElseThrow().admin(), Role.ADMIN);
            assertEquals(java.util.List.of(bob), app.services().candidates().candidates(admin),
                    "after every rotation the survivor reads, the erased one is gone");
            assertTrue(app.auditEvents(tenant, 50).stream().anyMatch(e -> e.action().equals("candidate.erased")
                    && e.actor().equals("system:operator:dpo@example.org")));
        }
        String generated = run(env, "keys", "generate-master-key").strip();
        assertEquals(1, MasterKey.parse(Secret.of(generated)).keyIds().size());
    }
}
