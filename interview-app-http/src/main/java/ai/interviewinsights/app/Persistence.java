package ai.interviewinsights.app;

import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.InviteRepository;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.TenantRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;

/** The system of record as the control plane uses it: every repository, a liveness probe, and shutdown. */
public interface Persistence extends AutoCloseable {

    TenantRepository tenants();

    PositionRepository positions();

    CandidateRepository candidates();

    SessionRepository sessions();

    TranscriptRepository transcripts();

    InviteRepository invites();

    EvaluationRepository evaluations();

    AuditLog audit();

    /** Whether the database answers right now. */
    boolean ping();

    /** Where the data lives, in words, without credentials. */
    String describe();

    @Override
    void close();
}
