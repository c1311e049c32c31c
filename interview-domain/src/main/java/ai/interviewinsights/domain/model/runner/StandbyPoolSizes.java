package ai.interviewinsights.domain.model.runner;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.interview.Architecture;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many standby runners to keep ready (ADR 0020): a size per architecture for every tenant, and per-tenant
 * sizes that replace it for the tenants named. Zero turns a pool off. A standby holds no tenant's data, so local
 * runners pool per architecture only; Fly machines live in a tenant's app, so there each tenant has its own pools.
 *
 * @param defaults the size of each architecture's pool (an architecture not named has none)
 * @param tenants  per-tenant sizes; a tenant named here has exactly these pools (an architecture not named: none)
 */
public record StandbyPoolSizes(Map<Architecture, Integer> defaults, Map<TenantId, Map<Architecture, Integer>> tenants) {

    /** The most standby runners one pool may keep: each costs memory (local) or money (a stopped machine's disk). */
    public static final int MAX = 50;

    public StandbyPoolSizes {
        defaults = checked(defaults);
        Map<TenantId, Map<Architecture, Integer>> copy = new LinkedHashMap<>();
        tenants.forEach((tenant, sizes) -> copy.put(tenant, checked(sizes)));
        tenants = Map.copyOf(copy);
    }

    /** No pools at all: every start is a cold start. */
    public static StandbyPoolSizes off() {
        return new StandbyPoolSizes(Map.of(), Map.of());
    }

    /** The same size for every architecture, for every tenant. */
    public static StandbyPoolSizes everywhere(int size) {
        Map<Architecture, Integer> sizes = new EnumMap<>(Architecture.class);
        for (Architecture architecture : Architecture.values()) {
            sizes.put(architecture, size);
        }
        return new StandbyPoolSizes(sizes, Map.of());
    }

    /** The pool size of one tenant's architecture. */
    public int of(TenantId tenant, Architecture architecture) {
        Map<Architecture, Integer> sizes = tenants.get(tenant);
        return (sizes != null ? sizes : defaults).getOrDefault(architecture, 0);
    }

    /** The size of an architecture's pool shared by every tenant (local runners). */
    public int of(Architecture architecture) {
        return defaults.getOrDefault(architecture, 0);
    }

    /** Whether any pool is on. */
    public boolean anyOn() {
        return defaults.values().stream().anyMatch(n -> n > 0)
                || tenants.values().stream().flatMap(m -> m.values().stream()).anyMatch(n -> n > 0);
    }

    private static Map<Architecture, Integer> checked(Map<Architecture, Integer> sizes) {
        Map<Architecture, Integer> copy = new EnumMap<>(Architecture.class);
        sizes.forEach((architecture, size) -> {
            if (architecture == null || size == null || size < 0 || size > MAX) {
                throw DomainException.invalid("invalid.standby_pool_size",
                        "a standby pool size is between 0 and " + MAX);
            }
            copy.put(architecture, size);
        });
        return Map.copyOf(copy);
    }
}
