package ai.interviewinsights.app;

import ai.interviewinsights.adapters.apivideo.ApiVideo;
import ai.interviewinsights.adapters.apivideo.ApiVideoConfig;
import ai.interviewinsights.adapters.flyio.FlyConfig;
import ai.interviewinsights.adapters.flyio.FlyRunners;
import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.supabase.KeyManagement;
import ai.interviewinsights.adapters.supabase.MasterKey;
import ai.interviewinsights.adapters.supabase.SupabaseStore;
import ai.interviewinsights.app.config.ConfigurationException;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.config.Env;
import ai.interviewinsights.app.config.SecretFiles;
import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.app.tokens.SessionTokens;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.erasure.ErasureReceipt;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.runner.LiveRunner;
import ai.interviewinsights.domain.model.runner.RunnerRef;
import ai.interviewinsights.domain.model.runner.RunnerSpec;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
import ai.interviewinsights.domain.service.InterviewServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's commands, run as {@code bash scripts/run <command>} with the same environment as the app
 * (docs/security.md, docs/operations.md):
 * <pre>
 * keys generate-master-key                  print a new ENCRYPTION_MASTER_KEY
 * keys rotate-master-key                    add a new primary master key (prints it, or updates the local file)
 * keys rewrap-tenant-keys                   re-wrap every tenant key under the master key's primary
 * keys retire-master-key                    drop the old master keys once nothing uses them
 * keys rotate-tenant-key --tenant ID        new primary keys for the tenant and its candidates
 * keys reencrypt [--tenant ID]              the resumable re-encryption job (all tenants without --tenant)
 * keys retire-old-keys --tenant ID          remove the tenant's old keys after the job finished
 * erase-candidate --tenant ID --candidate ID [--operator NAME]
 * retention --tenant ID --days N|off [--operator NAME]
 * offboard-tenant --tenant ID [--operator NAME]
 * </pre>
 * With the embedded default, stop the app first (one process owns the embedded database). Output is ids and counts;
 * only the master key commands print key material, and only to standard output, when the key came from the
 * environment (the operator's secret store is where it goes next).
 */
final class OperatorCommands {

    private static final Set<String> COMMANDS = Set.of("keys", "erase-candidate", "retention", "offboard-tenant");

    private OperatorCommands() {
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    static void run(Map<String, String> environment, String[] args) {
        Map<String, String> options = options(args);
        String command = args[0];
        if (command.equals("keys")) {
            keys(environment, args.length > 1 ? args[1] : "", options);
            return;
        }
        String operator = options.getOrDefault("--operator", System.getProperty("user.name", "operator"));
        TenantId tenant = tenant(options);
        withServices(environment, (store, services) -> {
            switch (command) {
                case "erase-candidate" -> {
                    CandidateId candidate = CandidateId.of(required(options, "--candidate"));
                    print(services.eraseCandidate().eraseAsOperator(tenant, candidate, operator));
                }
                case "retention" -> {
                    String days = required(options, "--days");
                    Optional<Integer> value = days.equals("off") ? Optional.empty() : Optional.of(number(days));
                    services.retention().setRetentionDays(tenant, value, operator);
                    System.out.println("tenant " + tenant + " retention: " + value.map(d -> d + " days")
                            .orElse("off"));
                }
                case "offboard-tenant" -> {
                    List<ErasureReceipt> receipts = services.offboardTenant().offboard(tenant, operator);
                    receipts.forEach(OperatorCommands::print);
                    System.out.println("tenant " + tenant + " offboarded: " + receipts.size()
                            + " candidates erased, tenant key destroyed");
                }
                default -> throw new IllegalStateException(command);
            }
        });
    }

    private static void keys(Map<String, String> environment, String sub, Map<String, String> options) {
        switch (sub) {
            case "generate-master-key" -> System.out.println(MasterKey.generate().export().reveal());
            case "rotate-master-key" -> {
                MasterKey rotated = currentMasterKey(environment).rotated();
                publish(environment, rotated, "rotated: new primary master key " + rotated.primaryKeyId()
                        + "; deploy it to every instance, then run 'keys rewrap-tenant-keys'");
            }
            case "retire-master-key" -> {
                MasterKey master = currentMasterKey(environment);
                List<Long> inUse = withStore(environment, store -> store.keys().masterKeyIdsInUse());
                if (inUse.stream().anyMatch(id -> id != master.primaryKeyId())) {
                    throw new ConfigurationException(List.of("master keys " + inUse + " still wrap tenant keys: run"
                            + " 'keys rewrap-tenant-keys' first"));
                }
                publish(environment, master.withoutRetiredKeys(), "retired every master key but "
                        + master.primaryKeyId());
            }
            case "rewrap-tenant-keys" -> System.out.println("re-wrapped " + withStore(environment,
                    store -> store.keys().rewrapTenantKeys()) + " tenant keys");
            case "rotate-tenant-key" -> {
                TenantId tenant = tenant(options);
                int generation = withStore(environment, store -> store.keys().rotateTenantKey(tenant));
                System.out.println("tenant " + tenant + " key generation " + generation
                        + "; now run 'keys reencrypt --tenant " + tenant + "'");
            }
            case "reencrypt" -> {
                List<KeyManagement.Reencryption> done = withStore(environment, store -> options.containsKey("--tenant")
                        ? List.of(store.keys().reencrypt(tenant(options))) : store.keys().reencryptAll());
                done.forEach(r -> System.out.println("tenant " + r.tenant() + ": " + r.candidates()
                        + " candidates visited, " + r.values() + " values re-encrypted"));
            }
            case "retire-old-keys" -> {
                TenantId tenant = tenant(options);
                System.out.println("tenant " + tenant + ": " + withStore(environment,
                        store -> store.keys().retireOldKeys(tenant)) + " old keys removed");
            }
            default -> throw new ConfigurationException(List.of("keys: unknown command '" + sub + "'; use"
                    + " generate-master-key, rotate-master-key, rewrap-tenant-keys, retire-master-key,"
                    + " rotate-tenant-key, reencrypt, retire-old-keys"));
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private static ControlPlaneSettings settings(Map<String, String> environment) {
        Env env = new Env(environment);
        ControlPlaneSettings settings = ControlPlaneSettings.from(env);
        env.requireValid();
        return settings;
    }

    private static MasterKey currentMasterKey(Map<String, String> environment) {
        ControlPlaneSettings settings = settings(environment);
        return SupabaseWiring.masterKey(settings, SecretFiles.directory(settings.server().dataDir()));
    }

    /** A new master key goes where the current one came from: the local file, or standard output. */
    private static void publish(Map<String, String> environment, MasterKey key, String message) {
        ControlPlaneSettings settings = settings(environment);
        if (settings.database().encryptionMasterKey().isPresent()) {
            System.err.println(message + " (new ENCRYPTION_MASTER_KEY on standard output)");
            System.out.println(key.export().reveal());
            return;
        }
        Path file = settings.server().dataDir().resolve("encryption-master-key");
        try {
            Path next = file.resolveSibling("encryption-master-key.next");
            Files.writeString(next, key.export().reveal() + "\n", StandardCharsets.UTF_8);
            Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        System.out.println(message + " (" + file + ")");
    }

    private interface StoreWork<T> {
        T apply(SupabaseStore store);
    }

    private static <T> T withStore(Map<String, String> environment, StoreWork<T> work) {
        ControlPlaneSettings settings = settings(environment);
        try (Persistence persistence = SupabaseWiring.persistence(settings,
                SecretFiles.directory(settings.server().dataDir()))) {
            return work.apply(persistence.store());
        }
    }

    private interface ServicesWork {
        void apply(SupabaseStore store, InterviewServices services);
    }

    /** The use cases over the store and whatever recording, realtime and runner adapters are configured. */
    private static void withServices(Map<String, String> environment, ServicesWork work) {
        ControlPlaneSettings settings = settings(environment);
        Path dataDir = SecretFiles.directory(settings.server().dataDir());
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> resources = new ArrayList<>();
        try (Persistence persistence = SupabaseWiring.persistence(settings, dataDir)) {
            RealtimeGateway realtime = new UnconfiguredRealtime();
            UnconfiguredRealtime evaluator = new UnconfiguredRealtime();
            if (settings.openAi().key().isPresent()) {
                OpenAiAdapters openAi = OpenAiAdapters.create(OpenAiConfig.defaults(settings.openAi().key().get())
                        .withBaseUrl(settings.openAi().baseUrl()), clock);
                resources.add(openAi);
                realtime = openAi.realtime();
            }
            RunnerProvisioner runners = settings.fly().token().isPresent()
                    ? FlyRunners.provisioner(FlyConfig.builder(settings.fly().token().get(), settings.fly().org(),
                            settings.fly().image(), settings.server().publicUrl()).baseUrl(settings.fly().apiUrl())
                            .regions(settings.fly().regions()).endpointTemplate(settings.fly().endpointTemplate()).build(),
                            clock)
                    : new ForeignLocalRunners();
            Optional<RecordingGateway> recording = settings.apiVideo().key().map(key -> ApiVideo.recordingGateway(
                    ApiVideoConfig.production(key).withBaseUrl(settings.apiVideo().baseUrl()), clock));
            SupabaseStore store = persistence.store();
            SessionTokens tokens = new SessionTokens(settings.auth().sessionTokenSecret()
                    .orElseGet(() -> SecretFiles.secret(dataDir.resolve("session-token-secret"))), clock);
            InterviewServices services = InterviewServices.create(new InterviewPorts(store.tenants(),
                    store.positions(), store.candidates(), store.sessions(), store.transcripts(), store.invites(),
                    store.evaluations(), store.audit(), store.consents(), realtime, runners, recording, evaluator, tokens,
                    new RandomIds(), clock, store.erasure()), InterviewPolicies.defaults());
            work.apply(store, services);
        } finally {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // closing on the way out
                }
            }
        }
    }

    /**
     * Local process runners belong to the running control plane, not to this command: they cannot be stopped from
     * here, and need not be: the control plane's reconciler destroys a runner whose session no longer exists.
     */
    private static final class ForeignLocalRunners implements RunnerProvisioner {
        @Override
        public RunnerRef provision(RunnerSpec spec) {
            throw DomainException.unavailable("runner.unavailable", "operator commands start no runners");
        }

        @Override
        public void destroy(TenantId tenant, ai.interviewinsights.domain.model.runner.RunnerId runnerId) {
            System.err.println("runner " + runnerId + " is a process of the running control plane; its reconciler"
                    + " destroys it now that its session is gone");
        }

        @Override
        public List<LiveRunner> listLive() {
            return List.of();
        }
    }

    private static void print(ErasureReceipt receipt) {
        System.out.println("erased candidate " + receipt.candidate() + " of tenant " + receipt.tenant() + " at "
                + receipt.erasedAt() + " by " + receipt.actor() + ": " + receipt.auditDetails());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new ConfigurationException(List.of(args[i] + " needs a value"));
                }
                options.put(args[i], args[++i]);
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(List.of(name + " is required"));
        }
        return value;
    }

    private static TenantId tenant(Map<String, String> options) {
        try {
            return TenantId.of(required(options, "--tenant"));
        } catch (DomainException | IllegalArgumentException e) {
            throw new ConfigurationException(List.of("--tenant must be a tenant id (a UUID)"));
        }
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(List.of("--days must be a whole number or 'off'"));
        }
    }

}
