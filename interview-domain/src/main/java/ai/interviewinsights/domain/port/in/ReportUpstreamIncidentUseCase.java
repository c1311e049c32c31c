package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A proxy runner tells that its socket to OpenAI dropped mid-call and came back ({@code proxy.upstream_reconnected})
 * or was lost for good, which ended the call ({@code proxy.upstream_lost}); the incident is audited
 * ({@code realtime.upstream_incident}), so an operator can tell an interview cut by the network from one that ended
 * as planned (ADR 0023).
 */
public interface ReportUpstreamIncidentUseCase {

    /**
     * @throws ai.interviewinsights.domain.model.DomainException {@code access.runner_only} or
     *         {@code access.other_session} (FORBIDDEN) when the caller is not the session's own runner
     */
    void report(UpstreamIncident command);

    /**
     * What happened, as stable words and a count: never a message, which could carry anything.
     *
     * @param code     the incident's stable code ({@code proxy.upstream_reconnected}, {@code proxy.upstream_lost});
     *                 anything not shaped like a code is recorded as {@code unknown}
     * @param attempts how many new sockets the runner tried (0..100)
     * @param cause    what happened to the socket ({@code socket_failed}, {@code closed_1011}, {@code refused_401},
     *                 ...), shaped like a code as well
     */
    record UpstreamIncident(Principal principal, SessionId session, String code, int attempts, String cause) {

        private static final Pattern CODE = Pattern.compile("[a-z0-9_.]{1,100}");

        public UpstreamIncident {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(session, "session");
            code = codeOrUnknown(code);
            cause = codeOrUnknown(cause);
            attempts = Math.max(0, Math.min(100, attempts));
        }

        private static String codeOrUnknown(String text) {
            return text != null && CODE.matcher(text).matches() ? text : "unknown";
        }
    }
}
