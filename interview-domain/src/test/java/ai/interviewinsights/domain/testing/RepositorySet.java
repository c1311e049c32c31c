package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.port.out.AuditLog;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.InviteRepository;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.SessionRepository;
import ai.interviewinsights.domain.port.out.TenantRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;

/** All repository ports of one store, as the repository contract tests take them. */
public record RepositorySet(TenantRepository tenants, PositionRepository positions, CandidateRepository candidates,
                            SessionRepository sessions, TranscriptRepository transcripts, InviteRepository invites,
                            EvaluationRepository evaluations, AuditLog audit) {
}
