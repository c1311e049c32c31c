package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.IssueRealtimeSecretUseCase;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import java.util.Map;

/** Short-lived Realtime secrets for a live interview's browser, minted with the interview's own session config. */
final class RealtimeSecretService implements IssueRealtimeSecretUseCase {

    private final RealtimeGateway realtime;
    private final InterviewPolicies policies;
    private final InterviewStarter starter;
    private final SessionStore store;
    private final Audit audit;

    RealtimeSecretService(RealtimeGateway realtime, InterviewPolicies policies, InterviewStarter starter,
                          SessionStore store, Audit audit) {
        this.realtime = realtime;
        this.policies = policies;
        this.starter = starter;
        this.store = store;
        this.audit = audit;
    }

    @Override
    public ClientSecret issue(IssueRealtimeSecret command) {
        Principal principal = command.principal();
        Access.requireSession(principal, command.session());
        AccessScope scope = AccessScope.of(principal);
        InterviewSession session = store.load(scope, command.session());
        if (session.status() != SessionStatus.READY && session.status() != SessionStatus.ACTIVE) {
            throw DomainException.gone("session.not_live", "the session is " + session.status()
                    + "; a Realtime secret is only issued while it is READY or ACTIVE");
        }
        RealtimeSessionConfig config = RealtimeSessionConfig.from(starter.context(scope, session));
        ClientSecret secret = realtime.mintClientSecret(config, policies.realtimeSecretTtl());
        audit.record(scope, session.tenant(), "session.realtime_secret_issued", "session:" + session.id(), Map.of());
        return secret;
    }

}
