package ai.interviewinsights.adapters.flyio;

import ai.interviewinsights.domain.model.DomainException;
import java.time.Duration;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The Machines API endpoints this adapter uses, one method each. Methods whose non-2xx answers carry meaning for
 * the caller (an app that is free or taken, a name conflict, a wait that timed out) return the raw
 * {@link FlyResponse}; the others return parsed values and turn the unexpected into a {@code DomainException}.
 */
final class MachinesApi {

    /** Fly machine ids are short hex strings; anything else must never reach a URL path (a ".." would climb the path). */
    private static final Pattern MACHINE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final FlyHttp http;
    private final FlyConfig config;

    MachinesApi(FlyHttp http, FlyConfig config) {
        this.http = http;
        this.config = config;
    }

    /** {@code GET /v1/apps/{app}}: 200 ours (or another org's of this token), 404 free, 403 someone else's. */
    FlyResponse app(String app) {
        return http.get(http.url("apps", app).build());
    }

    /** {@code POST /v1/apps}, with a private network of the same name when tenants are to be isolated. */
    FlyResponse createApp(String app) {
        return http.post(http.url("apps").build(),
                new FlyJson.CreateApp(app, config.orgSlug(), config.networkPerTenant() ? app : null));
    }

    /** Names of every app of the configured organisation. */
    List<String> appNames() {
        HttpUrl url = http.url("apps").addQueryParameter("org_slug", config.orgSlug()).build();
        FlyResponse response = http.get(url);
        if (!response.isSuccess()) {
            throw FlyFailures.unexpected(response, "listing the apps of organisation " + config.orgSlug());
        }
        FlyJson.AppList list = FlyJson.read(response, FlyJson.AppList.class);
        if (list.apps() == null) {
            return List.of();
        }
        return list.apps().stream().map(FlyJson.ListedApp::name).filter(name -> name != null).toList();
    }

    /**
     * {@code GET /v1/apps/{app}/machines}, narrowed by Fly to one session's machines when {@code session} is given
     * (callers filter again: the metadata filter is documented but not in every version of the spec). An app that
     * is gone has no machines.
     */
    List<FlyJson.Machine> machines(String app, SessionId session) {
        HttpUrl.Builder url = http.url("apps", app, "machines");
        if (session != null) {
            url.addQueryParameter("metadata." + MachineBlueprint.SESSION_KEY, session.toString());
        }
        FlyResponse response = http.get(url.build());
        if (response.status() == 404) {
            return List.of();
        }
        if (!response.isSuccess()) {
            throw FlyFailures.unexpected(response, "listing the machines of app " + app);
        }
        return FlyJson.readMachines(response);
    }

    /** {@code POST /v1/apps/{app}/machines}. */
    FlyResponse createMachine(String app, FlyJson.CreateMachine request) {
        return http.post(http.url("apps", app, "machines").build(), request);
    }

    /** {@code GET /v1/apps/{app}/machines/{id}}; empty when Fly no longer knows it. */
    Optional<FlyJson.Machine> machine(String app, String machineId) {
        FlyResponse response = http.get(http.url("apps", app, "machines", checked(machineId)).build());
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw FlyFailures.unexpected(response, "reading machine " + machineId + " of app " + app);
        }
        return Optional.of(FlyJson.read(response, FlyJson.Machine.class));
    }

    /** {@code GET .../{id}/wait?state=started&timeout=s}: 200 when reached, 408 when the wait ran out. */
    FlyResponse waitForStarted(String app, String machineId, long timeoutSeconds) {
        HttpUrl url = http.url("apps", app, "machines", checked(machineId), "wait")
                .addQueryParameter("state", "started")
                .addQueryParameter("timeout", Long.toString(timeoutSeconds))
                .build();
        return http.longPoll(url);
    }

    /*
     * A runner's stop before its destroy: each call once, without retries, answered within its own short time
     * (FlyHttp.once). Best effort, with a deadline of its own: the destroy after it has the retries.
     */

    /** {@code GET .../{id}}, once: the machine's state and instance. */
    FlyResponse machineOnce(String app, String machineId, Duration readTimeout) {
        return http.once(http.url("apps", app, "machines", checked(machineId)).build(), null, readTimeout);
    }

    /** {@code POST .../{id}/stop} with {@code signal} and {@code grace}, once: Fly signals, and kills after the grace. */
    FlyResponse stopOnce(String app, String machineId, String signal, Duration grace, Duration readTimeout) {
        return http.once(http.url("apps", app, "machines", checked(machineId), "stop").build(),
                new FlyJson.StopRequest(signal, grace.toSeconds() + "s"), readTimeout);
    }

    /**
     * {@code GET .../{id}/wait?state=stopped&instance_id=&timeout=s}, once (Fly requires the instance for this
     * state): 200 when stopped, 408 when the wait ran out.
     */
    FlyResponse waitForStoppedOnce(String app, String machineId, String instanceId, long timeoutSeconds) {
        HttpUrl url = http.url("apps", app, "machines", checked(machineId), "wait")
                .addQueryParameter("state", "stopped")
                .addQueryParameter("instance_id", instanceId)
                .addQueryParameter("timeout", Long.toString(timeoutSeconds))
                .build();
        return http.once(url, null, Duration.ofSeconds(timeoutSeconds + 5));
    }

    /** {@code POST .../{id}/start}, for a machine found stopped when a provision is retried. */
    FlyResponse start(String app, String machineId) {
        return http.post(http.url("apps", app, "machines", checked(machineId), "start").build(), Map.of());
    }

    /** {@code POST /v1/apps/{app}/machines} with {@code skip_launch}: a standby machine (ADR 0020). */
    FlyResponse createStandby(String app, FlyJson.CreateStandby request) {
        return http.post(http.url("apps", app, "machines").build(), request);
    }

    /** {@code POST .../{id}/lease}: 201 (or 200) with the nonce, 409 when someone else holds it. */
    FlyResponse lease(String app, String machineId, int ttlSeconds) {
        return http.post(http.url("apps", app, "machines", checked(machineId), "lease").build(),
                new FlyJson.LeaseRequest(ttlSeconds, "interview-insights standby claim"));
    }

    /** {@code DELETE .../{id}/lease} with its nonce: others may act on the machine again (the session's end). */
    FlyResponse releaseLease(String app, String machineId, String nonce) {
        return http.delete(http.url("apps", app, "machines", checked(machineId), "lease").build(),
                nonce == null ? Map.of() : Map.of("fly-machine-lease-nonce", nonce));
    }

    /** {@code POST .../{id}} with the lease's nonce: the new config, and Fly starts the machine with it. */
    FlyResponse update(String app, String machineId, FlyJson.UpdateMachine request, String nonce) {
        return http.post(http.url("apps", app, "machines", checked(machineId)).build(), request,
                nonce == null ? Map.of() : Map.of("fly-machine-lease-nonce", nonce));
    }

    /** Whether a machine could have this id (Fly's are letters, digits, '-' and '_'). */
    static boolean isMachineId(String machineId) {
        return machineId != null && MACHINE_ID.matcher(machineId).matches();
    }

    /** The machine id, or {@code invalid.runner_id} before it could reach a URL. */
    static String checked(String machineId) {
        if (!isMachineId(machineId)) {
            throw DomainException.invalid("invalid.runner_id", "a Fly machine id is letters, digits, '-' and '_'");
        }
        return machineId;
    }

    /**
     * {@code DELETE .../{id}?force=true}: stops it if it runs. True when Fly destroyed it now, false when the
     * machine or its whole app was already gone.
     */
    boolean destroy(String app, String machineId) {
        HttpUrl url = http.url("apps", app, "machines", checked(machineId))
                .addQueryParameter("force", "true").build();
        FlyResponse response = http.delete(url);
        if (response.status() == 404) {
            return false;
        }
        if (!response.isSuccess()) {
            throw FlyFailures.unexpected(response, "destroying machine " + machineId + " of app " + app);
        }
        return true;
    }
}
