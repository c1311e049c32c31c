package ai.interviewinsights.app.config;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standby-runner pools' sizes (ADR 0020, docs/operations.md):
 * <ul>
 *   <li>{@code RUNNER_POOL_SIZE}: standby runners kept ready per architecture (default 0: off, every start cold);</li>
 *   <li>{@code RUNNER_POOL_SIZE_HYBRID}, {@code RUNNER_POOL_SIZE_PROXY}: the same for one architecture;</li>
 *   <li>{@code RUNNER_POOL_TENANT_SIZES}: per-tenant sizes on Fly, {@code <tenant-id>:<architecture>=<n>} separated
 *       by commas; a tenant named there has exactly the pools named for it.</li>
 * </ul>
 */
public record RunnerPoolSettings(StandbyPoolSizes sizes) {

    public static RunnerPoolSettings from(Env env) {
        int all = env.integer("RUNNER_POOL_SIZE", 0, 0, StandbyPoolSizes.MAX);
        Map<Architecture, Integer> defaults = new EnumMap<>(Architecture.class);
        for (Architecture architecture : Architecture.values()) {
            defaults.put(architecture, env.integer("RUNNER_POOL_SIZE_" + architecture.name(), all, 0,
                    StandbyPoolSizes.MAX));
        }
        Map<TenantId, Map<Architecture, Integer>> tenants = new LinkedHashMap<>();
        for (String entry : env.list("RUNNER_POOL_TENANT_SIZES")) {
            String[] tenantAndSize = entry.split(":", 2);
            String[] architectureAndSize = tenantAndSize.length == 2 ? tenantAndSize[1].split("=", 2) : new String[0];
            try {
                if (architectureAndSize.length != 2) {
                    throw new IllegalArgumentException();
                }
                TenantId tenant = TenantId.of(tenantAndSize[0].strip());
                Architecture architecture = Architecture.fromWire(architectureAndSize[0].strip());
                int size = Integer.parseInt(architectureAndSize[1].strip());
                if (size < 0 || size > StandbyPoolSizes.MAX) {
                    throw new IllegalArgumentException();
                }
                tenants.computeIfAbsent(tenant, t -> new EnumMap<>(Architecture.class)).put(architecture, size);
            } catch (IllegalArgumentException | DomainException e) {
                env.problem("RUNNER_POOL_TENANT_SIZES entries are <tenant-id>:<hybrid|proxy>=<0.."
                        + StandbyPoolSizes.MAX + ">, separated by commas; '" + shorten(entry) + "' is not");
            }
        }
        return new RunnerPoolSettings(new StandbyPoolSizes(defaults, tenants));
    }

    /** The sizes in words, for the health page and the banner (tenant ids are not listed, only counted). */
    public String describe() {
        StringBuilder text = new StringBuilder();
        sizes.defaults().forEach((architecture, size) -> text.append(text.length() == 0 ? "" : ", ")
                .append(architecture.wireName()).append(' ').append(size));
        if (!sizes.tenants().isEmpty()) {
            text.append(" (").append(sizes.tenants().size()).append(" tenant(s) sized apart)");
        }
        return text.toString();
    }

    private static String shorten(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "..." : value;
    }
}
