package ai.interviewinsights.adapters.flyio;

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
        return create(config, clock, new OkHttpClient(), () -> ThreadLocalRandom.current().nextDouble());
    }

    static FlyMachinesProvisioner create(FlyConfig config, Clock clock, OkHttpClient client, DoubleSupplier jitter) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        FlyHttp http = new FlyHttp(config, client, clock, jitter);
        return new FlyMachinesProvisioner(config, new MachinesApi(http, config), clock);
    }
}
