package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.evaluation.CompetencyScore;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationRef;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.evaluation.Recommendation;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionOrigin;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.testing.Fixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A candidate with everything personal the store keeps about them, every value unique to this instance (so a
 * search for it in raw rows finds only this candidate's data): name, e-mail, one interview with a transcript and an
 * evaluation whose rationale quotes it.
 */
record PersonalData(TenantId tenant, Candidate candidate, SessionId session, List<TranscriptEntry> transcript,
                    EvaluationResult evaluation) {

    static final AccessScope SYSTEM = AccessScope.system("personal-data-test");

    /** Every plaintext value that must never appear in a raw row. */
    List<String> secrets() {
        List<String> out = new ArrayList<>(List.of(candidate.name(), candidate.email()));
        transcript.forEach(e -> out.add(e.text()));
        Evaluation e = evaluation.value().orElseThrow();
        out.add(e.summary());
        e.scores().forEach(s -> {
            out.add(s.rationale());
            s.evidence().forEach(q -> out.add(q.quote()));
        });
        return out;
    }

    static TenantId newTenant(SupabaseStore store) {
        TenantId tenant = new TenantId(UUID.randomUUID());
        store.tenants().save(SYSTEM, new Tenant(tenant, "Tenant " + tenant.value().toString().substring(0, 8)));
        return tenant;
    }

    static PersonalData create(SupabaseStore store, TenantId tenant, Instant at) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Candidate candidate = new Candidate(new CandidateId(UUID.randomUUID()), tenant, "Zelda Quill-" + tag,
                "zelda." + tag + "@example.org");
        store.candidates().save(SYSTEM, candidate);
        Position position = Fixtures.position(new PositionId(UUID.randomUUID()), tenant);
        store.positions().save(SYSTEM, position);
        Clock clock = Clock.fixed(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        InterviewSession session = store.sessions().save(SYSTEM, InterviewSession.start(new SessionId(UUID.randomUUID()),
                tenant, candidate.id(), position.id(), Fixtures.settings(), SessionOrigin.STAFF,
                new UserId(UUID.randomUUID()), clock));
        List<TranscriptEntry> transcript = List.of(
                Fixtures.entry(session.id(), "item-1", 0, Speaker.AI, "Tell me about the lighthouse project " + tag),
                Fixtures.entry(session.id(), "item-2", 1, Speaker.CANDIDATE,
                        "I rebuilt the tide scheduler in Kotlin over a weekend " + tag),
                Fixtures.entry(session.id(), "item-3", 2, Speaker.CANDIDATE, "Umlauts too: Grüße aus Köln " + tag));
        store.transcripts().append(SYSTEM, tenant, session.id(), transcript);
        Evaluation evaluation = new Evaluation(session.id(), List.of(new CompetencyScore("System design", 4,
                "Explained the tide scheduler's retries clearly " + tag,
                List.of(new EvidenceQuote(IdempotencyKey.of("item-2"), "rebuilt the tide scheduler")))),
                Recommendation.HIRE, "A careful engineer who ships " + tag, "gpt-test", "v1");
        EvaluationResult result = EvaluationResult.succeeded(new EvaluationRef(UUID.randomUUID()), evaluation,
                clock.instant());
        store.evaluations().save(SYSTEM, tenant, result);
        return new PersonalData(tenant, candidate, session.id(), transcript, result);
    }
}
