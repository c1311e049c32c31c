package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.EvaluationTest.answer;
import static ai.interviewinsights.adapters.openai.EvaluationTest.reply;
import static ai.interviewinsights.adapters.openai.EvaluationTest.validAnswer;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.body;
import static ai.interviewinsights.adapters.openai.OpenAiTesting.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.EndInterviewUseCase.EndInterview;
import ai.interviewinsights.domain.port.in.RecordCallConnectedUseCase.CallConnected;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase.RecordTranscript;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
import ai.interviewinsights.domain.service.InterviewServices;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.FakeRunnerProvisioner;
import ai.interviewinsights.domain.testing.FakeSessionTokens;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.MutableClock;
import ai.interviewinsights.domain.testing.SequentialIds;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance point, end to end: the domain's services over the in-memory fakes, with this adapter's
 * evaluator talking to MockWebServer. A reply citing a quote that is not in the transcript is retried once with the
 * reason, then the evaluation is recorded as failed; a corrected second reply is accepted.
 */
class InventedQuoteScenarioTest {

    static final String INVENTED = "I invented the transistor";

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final InMemoryRepositories repositories = InMemoryRepositories.create();
    private OpenAiAdapters openai;
    private InterviewServices services;

    @BeforeEach
    void assemble() {
        openai = OpenAiAdapters.create(OpenAiTesting.config(server), clock);
        // Wired as InMemoryInterviewPlatform wires the fakes, with the real evaluator in place of the fake one.
        InterviewPorts ports = new InterviewPorts(repositories.tenants(), repositories.positions(),
                repositories.candidates(), repositories.sessions(), repositories.transcripts(),
                repositories.invites(), repositories.evaluations(), repositories.audit(),
                new ai.interviewinsights.domain.testing.InMemoryConsents(),
                new FakeRealtimeGateway(clock), new FakeRunnerProvisioner(clock), Optional.empty(),
                openai.evaluator(), new FakeSessionTokens(clock), new SequentialIds(), clock);
        services = InterviewServices.create(ports, InterviewPolicies.defaults());
    }

    @AfterEach
    void close() {
        openai.close();
    }

    @Test
    void an_invented_quote_is_retried_with_the_reason_then_recorded_as_failed() throws Exception {
        server.enqueue(reply(answer(INVENTED, "item_u1")));
        server.enqueue(reply(answer(INVENTED, "item_u1")));
        SessionId session = endedInterview();

        EvaluationResult result = services.evaluateInterview().evaluate(Fixtures.ACME, session);

        assertFalse(result.isSuccess());
        String failure = result.failure().orElseThrow();
        assertTrue(failure.startsWith("rejected twice: "), failure);
        assertFalse(failure.contains(INVENTED), "the record keeps none of the words at fault: " + failure);
        assertEquals(2, server.getRequestCount(), "asked once more, not more");
        JsonNode first = json(body(server.takeRequest(1, TimeUnit.SECONDS)));
        JsonNode second = json(body(server.takeRequest(1, TimeUnit.SECONDS)));
        assertEquals(1, first.path("input").size(), "the first request has no rejection to tell");
        String told = second.path("input").get(1).path("content").asText();
        assertTrue(told.contains("was rejected") && told.contains(INVENTED), told);
        assertEquals(result, repositories.evaluations()
                .findLatest(InMemoryInterviewPlatform.inspector(), Fixtures.ACME, session).orElseThrow(),
                "the failure is recorded, not thrown away");
        assertEquals(SessionStatus.COMPLETED, repositories.sessions()
                .find(InMemoryInterviewPlatform.inspector(), session).orElseThrow().status());
    }

    @Test
    void a_corrected_second_answer_is_accepted() {
        server.enqueue(reply(answer(INVENTED, "item_u1")));
        server.enqueue(reply(validAnswer()));
        SessionId session = endedInterview();

        EvaluationResult result = services.evaluateInterview().evaluate(Fixtures.ACME, session);

        assertTrue(result.isSuccess(), () -> "failed: " + result.failure().orElse(""));
        assertNull(result.failureReason());
        assertEquals("gpt-5-mini-2025-08-07", result.evaluation().model());
        assertEquals(2, server.getRequestCount());
    }

    /** An interview that ran and ended: the session is ENDING with its transcript stored. */
    private SessionId endedInterview() {
        services.registerTenant().register(Fixtures.ACME, "Acme Corp");
        Principal admin = Fixtures.admin(Fixtures.ACME);
        Position position = services.positions().create(admin, "Backend Engineer",
                "Builds the interview platform's Java services.",
                List.of(new Competency("System design", "Designs for failure and scale", 3),
                        new Competency("Communication", "Explains trade-offs clearly", 2)));
        Candidate candidate = services.candidates().create(admin, "Ada Lovelace", "ada@example.com");
        SessionId session = services.startInterview()
                .start(new StartInterview(admin, candidate.id(), position.id(), null)).session().id();
        Principal runner = Fixtures.runnerPrincipal(Fixtures.ACME, session);
        services.callConnected().connected(new CallConnected(runner, session, new RealtimeCallId("rtc_scenario")));
        List<TranscriptEntry> transcript = EvaluationTest.TRANSCRIPT.stream()
                .map(e -> Fixtures.entry(session, e.key().value(), e.position(), e.speaker(), e.text())).toList();
        services.recordTranscript().record(new RecordTranscript(runner, session, transcript));
        services.endInterview().end(new EndInterview(runner, session, EndReason.CANDIDATE_ENDED, null));
        return session;
    }
}
