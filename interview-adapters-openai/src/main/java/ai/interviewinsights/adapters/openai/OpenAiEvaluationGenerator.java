package ai.interviewinsights.adapters.openai;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationRejectedException;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.port.out.EvaluationGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Writes an interview's evaluation with the Responses API ({@code POST /v1/responses}) under a strict JSON schema
 * built from the position's competencies, and reads the reply into the domain's {@link Evaluation}.
 *
 * <p>A reply that does not make a valid evaluation (not JSON, a competency missing, a citation that is not an entry
 * key) becomes an {@link EvaluationRejectedException} whose reason can be handed back to the model: the domain's
 * evaluation service asks once more with it, and records the failure if the second answer is rejected too. This class
 * does not retry with reasons itself. Whether the quotes occur in the transcript is the domain's check
 * ({@link Evaluation#checkAgainst}).
 */
final class OpenAiEvaluationGenerator implements EvaluationGenerator {

    private final OpenAiHttp http;
    private final ObjectMapper json;
    private final EvaluationPrompt prompt;
    private final String model;
    private final Optional<Secret> safetyIdentifierKey;

    OpenAiEvaluationGenerator(OpenAiHttp http, ObjectMapper json, String model, Optional<Secret> safetyIdentifierKey) {
        this.http = http;
        this.json = json;
        this.prompt = new EvaluationPrompt(json);
        this.model = model;
        this.safetyIdentifierKey = safetyIdentifierKey;
    }

    @Override
    public Evaluation generate(Request request) {
        Optional<String> safetyIdentifier = safetyIdentifierKey.map(key -> safetyIdentifier(key,
                request.position().tenant()));
        okhttp3.Request call = http.authorised(http.url("responses"))
                .post(RequestBody.create(bytes(prompt.request(request, model, safetyIdentifier)),
                        OpenAiRealtimeGateway.JSON))
                .build();
        HttpReply reply = http.send("evaluation", call);
        if (reply.code() != 200) {
            throw http.errors().fromReply("evaluation", reply);
        }
        JsonNode response;
        try {
            response = json.readTree(reply.body());
        } catch (JsonProcessingException e) {
            response = null;
        }
        if (response == null || !response.isObject()) {
            throw http.errors().malformed("openai.malformed_reply", "OpenAI's evaluation reply is not a JSON object"
                    + " (request id " + reply.requestId() + ")");
        }
        String status = response.path("status").asText("completed");
        if (!"completed".equals(status)) {
            String why = response.path("incomplete_details").path("reason").asText(
                    response.path("error").path("code").asText("no reason given"));
            throw http.errors().malformed("openai.incomplete", "OpenAI did not complete the evaluation (status "
                    + status + ": " + why + "; request id " + reply.requestId() + ")");
        }
        String text = outputText(response, reply);
        String usedModel = response.path("model").isTextual() && !response.path("model").asText().isBlank()
                ? response.path("model").asText() : model;
        return evaluation(request, text, usedModel);
    }

    /** The concatenated {@code output_text} of the reply's message items; a refusal is an upstream failure. */
    private String outputText(JsonNode response, HttpReply reply) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.path("output")) {
            if (!"message".equals(item.path("type").asText())) {
                continue; // reasoning items and the like
            }
            for (JsonNode content : item.path("content")) {
                String type = content.path("type").asText();
                if ("output_text".equals(type)) {
                    text.append(content.path("text").asText(""));
                } else if ("refusal".equals(type)) {
                    throw http.errors().malformed("openai.refused", "the evaluator refused to evaluate this interview"
                            + " (request id " + reply.requestId() + ")");
                }
            }
        }
        if (text.length() == 0) {
            throw http.errors().malformed("openai.malformed_reply", "OpenAI's evaluation reply has no output_text"
                    + " (request id " + reply.requestId() + ")");
        }
        return text.toString();
    }

    private Evaluation evaluation(Request request, String text, String usedModel) {
        JsonNode reply;
        try {
            reply = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new EvaluationRejectedException("the answer is not valid JSON");
        }
        if (reply == null || !reply.isObject()) {
            throw new EvaluationRejectedException("the answer is not a JSON object");
        }
        try {
            List<CompetencyScore> scores = new ArrayList<>();
            JsonNode competencies = reply.path("competencies");
            for (Competency competency : request.position().competencies()) {
                JsonNode scored = competencies.path(competency.name());
                if (!scored.isObject()) {
                    throw new EvaluationRejectedException("competency '" + competency.name() + "' has no score");
                }
                if (!scored.path("score").canConvertToInt() || !scored.path("score").isIntegralNumber()) {
                    throw new EvaluationRejectedException("the score of '" + competency.name()
                            + "' must be an integer from 1 to 5");
                }
                scores.add(new CompetencyScore(competency.name(), scored.path("score").asInt(),
                        scored.path("rationale").asText(""), evidence(competency, scored.path("evidence"))));
            }
            return new Evaluation(request.session(), scores,
                    Recommendation.fromWire(reply.path("recommendation").asText("")),
                    reply.path("summary").asText(""), usedModel, EvaluationPrompt.VERSION);
        } catch (EvaluationRejectedException e) {
            throw e;
        } catch (DomainException e) {
            // A field outside the domain's bounds (a blank rationale, a score of 7): the model can fix it.
            throw new EvaluationRejectedException("the answer does not make a valid evaluation: "
                    + http.errors().scrub(e.getMessage()));
        }
    }

    private List<EvidenceQuote> evidence(Competency competency, JsonNode evidence) {
        List<EvidenceQuote> quotes = new ArrayList<>();
        for (JsonNode quote : evidence) {
            String entry = quote.path("entry").asText("");
            IdempotencyKey key;
            try {
                key = IdempotencyKey.of(entry);
            } catch (DomainException e) {
                String excerpt = http.errors().scrub(entry.length() > 40 ? entry.substring(0, 40) + "..." : entry);
                throw new EvaluationRejectedException("evidence for '" + competency.name() + "' cites '" + excerpt
                        + "', which is not a transcript entry key", "evidence for '" + competency.name()
                        + "' cites something that is not a transcript entry key"); // (what it cited may be words)
            }
            quotes.add(new EvidenceQuote(key, quote.path("quote").asText("")));
        }
        return quotes;
    }

    /**
     * OpenAI's {@code safety_identifier}: a keyed hash of the tenant, stable across evaluations, that tells OpenAI
     * nothing about who the tenant is.
     */
    static String safetyIdentifier(Secret key, TenantId tenant) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("tenant:" + tenant).getBytes(StandardCharsets.UTF_8));
            return "ii-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private byte[] bytes(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    @Override
    public String toString() {
        return "OpenAiEvaluationGenerator[" + model + "]";
    }
}
