package ai.interviewinsights.app;

import ai.interviewinsights.adapters.openai.local.LocalRealtime;
import ai.interviewinsights.app.config.ControlPlaneSettings;
import ai.interviewinsights.app.local.LocalDefaults;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the control plane prints once it listens: where, which local defaults are in force, model retirement
 * warnings, where /metrics is, and (with the local default) the default tenant's admin token.
 */
record Banner(URI publicUrl, int port, ControlPlaneSettings settings, Optional<LocalRealtime> localRealtime,
              List<String> modelWarnings, Optional<Integer> metricsPort, boolean metricsTokenGenerated,
              Optional<LocalDefaults.Bootstrap> bootstrap) {

    String text() {
        String host = settings.server().host();
        StringBuilder text = new StringBuilder("\nInterview Insights control plane listening on ")
                .append(publicUrl).append(" (bound to ").append(host).append(':').append(port).append(")\n");
        List<String> defaults = new ArrayList<>(settings.defaultsInForce());
        localRealtime.ifPresent(local -> defaults.replaceAll(d -> d.startsWith("OPENAI_API_KEY unset")
                ? "OPENAI_API_KEY unset: realtime: " + local.description() + " at " + local.baseUrl()
                + "; evaluations are local and deterministic (set OPENAI_API_KEY for OpenAI)" : d));
        if (!defaults.isEmpty()) {
            text.append("Local defaults in force:\n");
            defaults.forEach(d -> text.append("  - ").append(d).append('\n'));
        }
        modelWarnings.forEach(w -> text.append("WARNING - model retirement: ").append(w).append('\n'));
        if (metricsPort.isPresent()) {
            text.append("Metrics: http://").append(host).append(':').append(metricsPort.get()).append("/metrics\n");
        } else if (metricsTokenGenerated) {
            text.append("Metrics: /metrics with 'Authorization: Bearer <token>', the token in ")
                    .append(settings.server().dataDir().resolve("metrics-token"))
                    .append(" (or set METRICS_TOKEN / METRICS_PORT)\n");
        }
        bootstrap.ifPresent(b -> text.append("\nDefault tenant: ").append(b.tenant()).append(" (")
                .append(b.tenantName()).append(")\nAdmin access token (valid ")
                .append(LocalDefaults.ADMIN_TOKEN_LIFETIME.toDays()).append(" days):\n\n  ")
                .append(b.adminToken().reveal()).append("\n\n")
                .append("Use it as 'Authorization: Bearer <token>'. Mint more with:\n")
                .append("  bash scripts/run mint-token --role admin|interviewer [--days N]\n"));
        return text.toString();
    }

    void print() {
        System.out.println(text());
        System.out.flush();
    }
}
