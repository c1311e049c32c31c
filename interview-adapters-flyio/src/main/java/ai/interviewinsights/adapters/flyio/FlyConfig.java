package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.interview.Architecture;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Fly Machines provisioner reaches Fly and what it asks for: one tenant app per tenant in {@code orgSlug},
 * one machine per interview session running {@code image}, placed in the first of {@code regions} that has
 * capacity. Build it with {@link #builder}; every setting but the four required ones has a default that suits
 * production. {@link #toString()} is safe to log: the token is a {@link Secret}.
 *
 * @param baseUrl          the Machines API root, {@code https://api.machines.dev} by default
 *                         ({@code http://_api.internal:4280} from inside Fly's private network)
 * @param token            a Fly API token; macaroon tokens ({@code fm1r_}, {@code fm1a_}, {@code fm2_}) are sent with
 *                         the {@code FlyV1} scheme, others as {@code Bearer}
 * @param orgSlug          the organisation that owns the tenant apps
 * @param image            the runner image every session machine boots
 * @param regions          where machines go, in order of preference; the next one is tried when Fly reports no
 *                         capacity in a region
 * @param guest            machine size of a hybrid runner (SDP relay and sideband, no media): shared 1 CPU 1024 MB
 *                         by default
 * @param proxyGuest       machine size of a proxy runner (it terminates the browser's WebRTC and converts every
 *                         audio frame both ways): shared 2 CPUs 1024 MB by default ({@link Guest#proxyDefaults()})
 * @param internalPort     the port the runner listens on inside the machine (published on 443 and 80)
 * @param controlPlaneUrl  where the runner reports back (passed to it as {@code CONTROL_PLANE_URL})
 * @param endpointTemplate the browser's WebSocket URL, with {@code {app}} and {@code {machine}} placeholders; the
 *                         machine id travels in the URL because browsers cannot set headers on a WebSocket, and the
 *                         tenant app's machines route it on with {@code fly-replay}
 * @param networkPerTenant give each tenant app its own private network (named like the app), so one tenant's
 *                         runners cannot reach another's
 * @param startDeadline    how long a machine may take to reach {@code started} before it is destroyed and
 *                         provisioning fails
 * @param waitChunk        the longest single {@code /wait} call (Fly caps it at 60 s); a 408 simply polls again
 * @param callTimeout      read timeout of ordinary API calls
 * @param retry            backoff for 429, 5xx and dropped connections
 */
public record FlyConfig(URI baseUrl, Secret token, String orgSlug, String image, List<String> regions, Guest guest,
                        Guest proxyGuest, int internalPort, URI controlPlaneUrl, String endpointTemplate,
                        boolean networkPerTenant, Duration startDeadline, Duration waitChunk, Duration callTimeout,
                        Retry retry) {

    /** Fly's public Machines API. */
    public static final URI PUBLIC_API = URI.create("https://api.machines.dev");
    /** The tenant app's public host, machine id in the query for {@code fly-replay} routing. */
    public static final String DEFAULT_ENDPOINT = "wss://{app}.fly.dev/ws?instance={machine}";

    private static final Pattern REGION = Pattern.compile("[a-z0-9]{2,10}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public FlyConfig {
        baseUrl = httpUri(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
        orgSlug = required(orgSlug, "orgSlug");
        if (!SLUG.matcher(orgSlug).matches()) {
            throw new IllegalArgumentException("orgSlug must be lowercase letters, digits and dashes");
        }
        image = required(image, "image");
        regions = List.copyOf(Objects.requireNonNull(regions, "regions"));
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("configure at least one Fly region (e.g. \"ams\")");
        }
        for (String region : regions) {
            if (region == null || !REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("a region is a lowercase Fly region code, was: " + region);
            }
        }
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(proxyGuest, "proxyGuest");
        if (internalPort < 1 || internalPort > 65_535) {
            throw new IllegalArgumentException("internalPort must be a TCP port, was " + internalPort);
        }
        controlPlaneUrl = httpUri(controlPlaneUrl, "controlPlaneUrl");
        endpointTemplate = required(endpointTemplate, "endpointTemplate");
        String sample = endpointTemplate.replace("{app}", "interviews-x").replace("{machine}", "3d8d9e1f0a1b2c");
        String scheme = URI.create(sample).getScheme();
        if (!"wss".equals(scheme) && !"ws".equals(scheme)) {
            throw new IllegalArgumentException("endpointTemplate must be a ws:// or wss:// URL");
        }
        positive(startDeadline, "startDeadline");
        positive(waitChunk, "waitChunk");
        if (waitChunk.compareTo(Duration.ofSeconds(60)) > 0 || waitChunk.toSeconds() < 1) {
            throw new IllegalArgumentException("waitChunk must be between 1 and 60 seconds (Fly's maximum)");
        }
        positive(callTimeout, "callTimeout");
        Objects.requireNonNull(retry, "retry");
    }

    /** A configuration with the production defaults; set regions at least. */
    public static Builder builder(Secret token, String orgSlug, String image, URI controlPlaneUrl) {
        return new Builder(token, orgSlug, image, controlPlaneUrl);
    }

    /** The machine size a session of this architecture gets. */
    public Guest guestFor(Architecture architecture) {
        return switch (Objects.requireNonNull(architecture, "architecture")) {
            case HYBRID -> guest;
            case PROXY -> proxyGuest;
        };
    }

    /** The endpoint a browser uses to reach one machine of a tenant app. */
    URI endpointFor(String app, String machineId) {
        return URI.create(endpointTemplate.replace("{app}", app).replace("{machine}", machineId));
    }

    /**
     * A machine's size.
     *
     * @param cpuKind  {@code shared} or {@code performance}
     * @param memoryMb a multiple of 256, as Fly requires
     */
    public record Guest(String cpuKind, int cpus, int memoryMb) {

        public Guest {
            if (!"shared".equals(cpuKind) && !"performance".equals(cpuKind)) {
                throw new IllegalArgumentException("cpuKind must be 'shared' or 'performance'");
            }
            if (cpus < 1 || cpus > 16) {
                throw new IllegalArgumentException("cpus must be between 1 and 16");
            }
            if (memoryMb < 256 || memoryMb % 256 != 0) {
                throw new IllegalArgumentException("memoryMb must be a positive multiple of 256");
            }
        }

        /** Shared CPU, 1 core, 1024 MB: enough for a runner that relays SDP and forwards transcript entries. */
        public static Guest defaults() {
            return new Guest("shared", 1, 1024);
        }

        /**
         * Shared CPU, 2 cores, 1024 MB: a proxied interview keeps 5-12 % of a core busy for its whole length
         * (measured, docs/architecture.md), more than one shared core's baseline (1/16 of a core), so with one it
         * would run on burst credit and then be throttled mid-interview, which the candidate hears as stutter. Two
         * shared cores double the baseline; the memory holds the runner JVM plus WebRTC's native buffers (about
         * 160-250 MB resident in a call) with room to spare.
         */
        public static Guest proxyDefaults() {
            return new Guest("shared", 2, 1024);
        }
    }

    /**
     * Retries of calls Fly answered with 429 or 5xx, or that lost their connection. The delay doubles from
     * {@code baseDelay} up to {@code maxDelay} with jitter; a {@code Retry-After} header replaces it, unless it
     * asks for more than {@code maxRetryAfter}, in which case the call gives up at once (retryable) rather than
     * hold a provisioning request for that long.
     *
     * @param maxAttempts attempts in all, the first included
     */
    public record Retry(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

        public Retry {
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 20");
            }
            positive(baseDelay, "baseDelay");
            positive(maxDelay, "maxDelay");
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must not be below baseDelay");
            }
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            if (maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative");
            }
        }

        /** Four attempts, 0.5 s doubling to 8 s, honouring a Retry-After of up to 30 s. */
        public static Retry defaults() {
            return new Retry(4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30));
        }
    }

    /** Builds a {@link FlyConfig}; only the constructor's arguments and the regions have no default. */
    public static final class Builder {
        private final Secret token;
        private final String orgSlug;
        private final String image;
        private final URI controlPlaneUrl;
        private URI baseUrl = PUBLIC_API;
        private List<String> regions = List.of();
        private Guest guest = Guest.defaults();
        private Guest proxyGuest = Guest.proxyDefaults();
        private int internalPort = 8080;
        private String endpointTemplate = DEFAULT_ENDPOINT;
        private boolean networkPerTenant = true;
        private Duration startDeadline = Duration.ofSeconds(90);
        private Duration waitChunk = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofSeconds(30);
        private Retry retry = Retry.defaults();

        private Builder(Secret token, String orgSlug, String image, URI controlPlaneUrl) {
            this.token = token;
            this.orgSlug = orgSlug;
            this.image = image;
            this.controlPlaneUrl = controlPlaneUrl;
        }

        public Builder baseUrl(URI value) {
            this.baseUrl = value;
            return this;
        }

        public Builder regions(List<String> value) {
            this.regions = new ArrayList<>(value);
            return this;
        }

        public Builder regions(String... value) {
            return regions(List.of(value));
        }

        public Builder guest(Guest value) {
            this.guest = value;
            return this;
        }

        /** The size of proxy runners' machines (hybrid ones: {@link #guest}). */
        public Builder proxyGuest(Guest value) {
            this.proxyGuest = value;
            return this;
        }

        public Builder internalPort(int value) {
            this.internalPort = value;
            return this;
        }

        public Builder endpointTemplate(String value) {
            this.endpointTemplate = value;
            return this;
        }

        public Builder networkPerTenant(boolean value) {
            this.networkPerTenant = value;
            return this;
        }

        public Builder startDeadline(Duration value) {
            this.startDeadline = value;
            return this;
        }

        public Builder waitChunk(Duration value) {
            this.waitChunk = value;
            return this;
        }

        public Builder callTimeout(Duration value) {
            this.callTimeout = value;
            return this;
        }

        public Builder retry(Retry value) {
            this.retry = value;
            return this;
        }

        public FlyConfig build() {
            return new FlyConfig(baseUrl, token, orgSlug, image, regions, guest, proxyGuest, internalPort,
                    controlPlaneUrl,
                    endpointTemplate, networkPerTenant, startDeadline, waitChunk, callTimeout, retry);
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value.strip();
    }

    private static URI httpUri(URI value, String name) {
        Objects.requireNonNull(value, name);
        // No host check here: java.net.URI refuses Fly's internal host name "_api.internal" (an underscore).
        if (!"https".equals(value.getScheme()) && !"http".equals(value.getScheme())) {
            throw new IllegalArgumentException(name + " must be an http(s) URL");
        }
        return value;
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
