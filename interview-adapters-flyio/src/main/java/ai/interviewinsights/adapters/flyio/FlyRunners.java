package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.runner.StandbyPoolSizes;
import ai.interviewinsights.domain.port.out.RunnerPoolMetrics;
import ai.interviewinsights.domain.port.out.RunnerProvisioner;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.OkHttpClient;

/**
 * The public way in: a {@link RunnerProvisioner} that runs each interview session in its own Fly Machine.
 *
 * <pre>{@code
 * FlyConfig config = FlyConfig.builder(Secret.of(System.getenv("FLY_API_TOKEN")), "acme-hiring",
 *         "registry.fly.io/interview-runner:2026-11", URI.create("https://control.example.com"))
 *     .regions("ams", "fra")
 *     .build();
 * RunnerProvisioner runners = FlyRunners.provisioner(config);
 * }</pre>
 */
public final class FlyRunners {

    private FlyRunners() {
    }

    /** A provisioner on the system clock. */
    public static RunnerProvisioner provisioner(FlyConfig config) {
        return provisioner(config, Clock.systemUTC());
    }

    /** A provisioner whose start deadlines are measured on {@code clock}. */
    public static RunnerProvisioner provisioner(FlyConfig config, Clock clock) {
        return provisioner(config, clock, RunnerPoolMetrics.NONE);
    }

    /**
     * A provisioner with no standby pool that reports each machine it creates and sees started as a cold start (a
     * pool's miss) to {@code coldStarts}, so that cold starts are counted with the pool off too.
     */
    public static RunnerProvisioner provisioner(FlyConfig config, Clock clock,
                                                RunnerPoolMetrics coldStarts) {
        return create(config, clock, new OkHttpClient(), () -> ThreadLocalRandom.current().nextDouble(), coldStarts);
    }

    /**
     * A provisioner with standby pools (ADR 0020): machines created ahead per tenant app and architecture, claimed
     * at session start, refilled in the background within Fly's rate limits. It is {@link AutoCloseable}: closing
     * stops the refills (the standbys stay, for the next control plane to adopt).
     */
    public static RunnerProvisioner pooled(FlyConfig config, Clock clock,
                                           StandbyPoolSizes sizes,
                                           RunnerPoolMetrics metrics) {
        return pooled(config, clock, new OkHttpClient(), () -> ThreadLocalRandom.current().nextDouble(), sizes, metrics,
                FlyRateLimit.machinesApi());
    }

    static FlyStandbyPool pooled(FlyConfig config, Clock clock, OkHttpClient client, DoubleSupplier jitter,
                                 StandbyPoolSizes sizes,
                                 RunnerPoolMetrics metrics, FlyRateLimit limits) {
        Objects.requireNonNull(config, "config");
        FlyHttp http = new FlyHttp(config, client, clock, jitter);
        MachinesApi api = new MachinesApi(http, config);
        // The cold starts behind the pool (its misses) are counted by the provisioner that makes them.
        return new FlyStandbyPool(new FlyMachinesProvisioner(config, api, clock, metrics), api, config, clock, sizes,
                metrics, limits);
    }

    static FlyMachinesProvisioner create(FlyConfig config, Clock clock, OkHttpClient client, DoubleSupplier jitter) {
        return create(config, clock, client, jitter, RunnerPoolMetrics.NONE);
    }

    static FlyMachinesProvisioner create(FlyConfig config, Clock clock, OkHttpClient client, DoubleSupplier jitter,
                                         RunnerPoolMetrics coldStarts) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        FlyHttp http = new FlyHttp(config, client, clock, jitter);
        return new FlyMachinesProvisioner(config, new MachinesApi(http, config), clock, coldStarts);
    }
}
