package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.port.out.EvaluationRepository;
import ai.interviewinsights.domain.model.DomainException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.crypto.tink.Aead;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Evaluation results, successful or failed, every attempt kept. Scores with their evidence are one jsonb array
 * (read and written whole, never queried into), in the evaluator's order.
 */
final class PostgresEvaluationRepository implements EvaluationRepository {

    private final ScopedTransactions db;
    private final KeyVault keys;

    PostgresEvaluationRepository(ScopedTransactions db, KeyVault keys) {
        this.db = db;
        this.keys = keys;
    }

    @Override
    public void save(AccessScope scope, TenantId tenant, EvaluationResult result) {
        Optional<Evaluation> evaluation = result.value();
        UUID session = result.session().value();
        String row = result.ref().value().toString();
        db.inScope(scope, handle -> {
            // The summary and the scores (rationales, quoted evidence) are the candidate's words and a judgement
            // about them: sealed with the candidate's key. Recommendation, model and prompt version stay in clear.
            Aead key = evaluation.isEmpty() ? null : keys.sessionKey(handle, tenant.value(), session, true)
                    .orElseThrow(() -> DomainException.invalid("evaluation.unknown_session",
                            "no such session in this tenant")).aead();
            return handle.createUpdate("""
                        insert into interview.evaluations (id, tenant_id, session_id, created_at, recommendation,
                            summary_ct, model, prompt_version, scores_ct, failure_reason)
                        values (:id, :tenant_id, :session_id, :created_at, :recommendation, :summary_ct, :model,
                            :prompt_version, :scores_ct, :failure_reason)""")
                .bind("id", Rows.uuid(result.ref().value()))
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("session_id", Rows.uuid(session))
                .bind("created_at", Rows.timestamp(result.createdAt()))
                .bind("recommendation", evaluation.map(e -> Rows.name(e.recommendation())).orElse(null))
                .bind("summary_ct", evaluation.map(e -> FieldCipher.seal(key, e.summary(),
                        FieldCipher.associatedData(FieldCipher.EVALUATION_SUMMARY, tenant.value(), session, row)))
                        .orElse(null))
                .bind("model", evaluation.map(Evaluation::model).orElse(null))
                .bind("prompt_version", evaluation.map(Evaluation::promptVersion).orElse(null))
                .bind("scores_ct", evaluation.map(e -> FieldCipher.seal(key, scoresJson(e.scores()),
                        FieldCipher.associatedData(FieldCipher.EVALUATION_SCORES, tenant.value(), session, row)))
                        .orElse(null))
                .bind("failure_reason", result.failure().orElse(null))
                .execute();
        });
    }

    @Override
    public Optional<EvaluationResult> findLatest(AccessScope scope, TenantId tenant, SessionId session) {
        return db.inScope(scope, handle -> handle.createQuery("""
                        select id, created_at, recommendation, summary, model, prompt_version, scores,
                            summary_ct, scores_ct, failure_reason
                        from interview.evaluations
                        where tenant_id = :tenant_id and session_id = :session_id
                        order by created_at desc, id desc limit 1""")
                .bind("tenant_id", Rows.uuid(tenant.value()))
                .bind("session_id", Rows.uuid(session.value()))
                .map((rs, ctx) -> {
                    EvaluationRef ref = new EvaluationRef(Rows.uuid(rs, "id"));
                    String failure = rs.getString("failure_reason");
                    if (failure != null) {
                        return EvaluationResult.failed(ref, session, failure, Rows.instant(rs, "created_at"));
                    }
                    String summary = rs.getString("summary");
                    String scores = rs.getString("scores");
                    byte[] summaryCt = rs.getBytes("summary_ct");
                    if (summaryCt != null) {
                        Aead key = keys.sessionKey(handle, tenant.value(), session.value(), false)
                                .orElseThrow(FieldCipher::undecryptable).aead();
                        String row = ref.value().toString();
                        summary = FieldCipher.open(key, summaryCt, FieldCipher.associatedData(
                                FieldCipher.EVALUATION_SUMMARY, tenant.value(), session.value(), row));
                        scores = FieldCipher.open(key, rs.getBytes("scores_ct"), FieldCipher.associatedData(
                                FieldCipher.EVALUATION_SCORES, tenant.value(), session.value(), row));
                    }
                    Evaluation evaluation = new Evaluation(session, scores(scores),
                            Rows.enumOf(Recommendation.class, rs.getString("recommendation")), summary,
                            rs.getString("model"), rs.getString("prompt_version"));
                    return EvaluationResult.succeeded(ref, evaluation, Rows.instant(rs, "created_at"));
                })
                .findOne());
    }

    private static String scoresJson(List<CompetencyScore> scores) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (CompetencyScore score : scores) {
            ObjectNode node = array.addObject();
            node.put("competency", score.competency());
            node.put("score", score.score());
            node.put("rationale", score.rationale());
            ArrayNode evidence = node.putArray("evidence");
            for (EvidenceQuote quote : score.evidence()) {
                evidence.addObject().put("entry", quote.entry().value()).put("quote", quote.quote());
            }
        }
        return array.toString();
    }

    private static List<CompetencyScore> scores(String json) {
        List<CompetencyScore> scores = new ArrayList<>();
        for (JsonNode node : Json.parse(json)) {
            List<EvidenceQuote> evidence = new ArrayList<>();
            for (JsonNode quote : node.path("evidence")) {
                evidence.add(new EvidenceQuote(IdempotencyKey.of(quote.path("entry").asText()),
                        quote.path("quote").asText()));
            }
            scores.add(new CompetencyScore(node.path("competency").asText(), node.path("score").asInt(),
                    node.path("rationale").asText(), evidence));
        }
        return scores;
    }
}
