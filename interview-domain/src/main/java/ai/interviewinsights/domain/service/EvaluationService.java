package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationRejectedException;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.session.IllegalTransitionException;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionAction;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.EvaluateInterviewUseCase;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.port.out.IdGenerator;
import ai.interviewinsights.domain.port.out.PositionRepository;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an ended interview and completes it. The evaluator's answer is checked against the transcript; when it
 * cites evidence that is not there it is asked once more, told why, and if it fails again the evaluation is
 * recorded as failed with that reason. The session completes either way: a missing evaluation must not keep a
 * runner alive.
 */
final class EvaluationService implements EvaluateInterviewUseCase {

    private final PositionRepository positions;
    private final TranscriptRepository transcripts;
    private final EvaluationRepository evaluations;
    private final EvaluationGenerator evaluator;
    private final IdGenerator ids;
    private final Clock clock;
    private final SessionStore store;
    private final Audit audit;
    private final Teardown teardown;

    EvaluationService(PositionRepository positions, TranscriptRepository transcripts,
            EvaluationRepository evaluations, EvaluationGenerator evaluator, IdGenerator ids, Clock clock,
            SessionStore store, Audit audit, Teardown teardown) {
        this.positions = positions;
        this.transcripts = transcripts;
        this.evaluations = evaluations;
        this.evaluator = evaluator;
        this.ids = ids;
        this.clock = clock;
        this.store = store;
        this.audit = audit;
        this.teardown = teardown;
    }

    @Override
    public EvaluationResult evaluate(TenantId tenant, SessionId id) {
        AccessScope scope = AccessScope.system("evaluator");
        InterviewSession session = store.load(scope, id);
        if (!session.tenant().equals(tenant)) {
            throw Access.sessionNotFound(id);
        }
        if (session.status() == SessionStatus.COMPLETED && session.evaluation().isPresent()) {
            return evaluations.findLatest(scope, tenant, id).orElseThrow();
        }
        if (session.status() != SessionStatus.ENDING) {
            throw new IllegalTransitionException(session.status(), SessionAction.COMPLETE);
        }
        Position position = positions.find(scope, session.position())
                .orElseThrow(() -> DomainException.notFound("position.not_found", "no position " + session.position()));
        List<TranscriptEntry> transcript = transcripts.read(scope, tenant, id);
        EvaluationResult result = evaluate(session, position, transcript);
        evaluations.save(scope, tenant, result);
        InterviewSession completed = store.update(scope, id, s -> {
            if (s.status() == SessionStatus.ENDING) {
                s.attachEvaluation(result.ref(), clock);
                s.complete(clock);
            }
        });
        audit.record(scope, tenant, "session.completed", "session:" + id,
                Map.of("evaluation", result.isSuccess() ? "succeeded" : "failed"));
        teardown.destroyRunnerAfterEnd(completed);
        return result;
    }

    EvaluationResult evaluate(InterviewSession session, Position position, List<TranscriptEntry> transcript) {
        EvaluationRef ref = new EvaluationRef(ids.newId());
        if (transcript.isEmpty()) {
            return EvaluationResult.failed(ref, session.id(), "the interview has no transcript to evaluate",
                    clock.instant());
        }
        EvaluationRejectedException rejection = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                Evaluation evaluation = evaluator.generate(new EvaluationGenerator.Request(session.id(), position,
                        transcript, rejection == null ? null : rejection.reason()));
                evaluation.checkAgainst(position, transcript);
                return EvaluationResult.succeeded(ref, evaluation, clock.instant());
            } catch (EvaluationRejectedException e) {
                rejection = e;
            } catch (DomainException e) {
                return EvaluationResult.failed(ref, session.id(), "the evaluator could not be reached: "
                        + e.code() + " (" + e.getMessage() + ")", clock.instant());
            }
        }
        // Recorded without the words at fault: the model was told them, the record (not encrypted) is not.
        return EvaluationResult.failed(ref, session.id(), "rejected twice: " + rejection.reasonToKeep(),
                clock.instant());
    }
}
