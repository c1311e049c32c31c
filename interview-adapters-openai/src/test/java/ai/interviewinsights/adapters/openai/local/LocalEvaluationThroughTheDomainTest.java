package ai.interviewinsights.adapters.openai.local;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.local.interviewer.ScriptedInterviewer;
import ai.interviewinsights.domain.model.evaluation.Evaluation;
import ai.interviewinsights.domain.model.evaluation.EvaluationResult;
import ai.interviewinsights.domain.model.evaluation.EvidenceQuote;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.in.GetInterviewReportUseCase.InterviewReport;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.in.StartedInterview;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.service.InterviewPolicies;
import ai.interviewinsights.domain.service.InterviewPorts;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.service.InterviewServices;
import ai.interviewinsights.domain.testing.FakeRealtimeGateway;
import ai.interviewinsights.domain.testing.FakeRunnerProvisioner;
import ai.interviewinsights.domain.testing.FakeSessionTokens;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryRepositories;
import ai.interviewinsights.domain.testing.MutableClock;
import ai.interviewinsights.domain.testing.SequentialIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An offline interview told as a story over the domain's in-memory fakes, with the local evaluator in OpenAI's
 * place: the scripted interviewer reads the instructions the domain sent with the call, the conversation arrives
 * through the sideband (one answer only through the browser), the interview ends, and the domain's evaluation
 * service runs the local evaluator and checks every quote against the stored transcript.
 */
class LocalEvaluationThroughTheDomainTest {

    static final List<String> ANSWERS = List.of(
            "I designed a payment ledger for our team. Every write carried an idempotency key, because retries during"
                    + " an outage must not charge anyone twice, and as a result we lost no payments.",
            "The hardest part was the data migration; next time I would move it in smaller steps.",
            "I explained the trade offs to my team with a one page decision record, so that everyone knew why we"
                    + " chose slower writes over lost payments.",
            "Only the browser heard this answer about explaining things clearly to people.");

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final InMemoryRepositories repositories = InMemoryRepositories.create();
    private final FakeRealtimeGateway realtime = new FakeRealtimeGateway(clock);
    private final InterviewServices services = InterviewServices.create(new InterviewPorts(repositories.tenants(),
            repositories.positions(), repositories.candidates(), repositories.sessions(), repositories.transcripts(),
            repositories.invites(), repositories.evaluations(), repositories.audit(),
            new ai.interviewinsights.domain.testing.InMemoryConsents(), realtime,
            new FakeRunnerProvisioner(clock), Optional.empty(), new LocalEvaluationGenerator(),
            new FakeSessionTokens(clock), new SequentialIds(), clock), InterviewPolicies.defaults());

    @Test
    void an_offline_interview_ends_with_a_checked_local_evaluation_that_quotes_only_what_the_server_heard() {
        services.registerTenant().register(ACME, "Acme Corp");
        Principal admin = Fixtures.admin(ACME);
        Position position = services.positions().create(admin, "Backend Engineer", "Payments platform",
                List.of(new Competency("System design", "Designs for failure", 3),
                        new Competency("Communication", "Explains trade-offs clearly", 2)));
        Candidate candidate = services.candidates().create(admin, "Ada Lovelace", "ada@example.com");
        StartedInterview started = services.startInterview().start(new StartInterview(admin, candidate.id(),
                position.id(), null));
        InterviewRunner runner = new InterviewRunner(started.session().id(), new InProcessControlPlane(
                Fixtures.runnerPrincipal(ACME, started.session().id()), services), realtime, clock,
                SdpLimits.defaults(), new InterviewRunner.Observer() { });
        RelayedCall call = runner.negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));

        // The local interviewer works from exactly the instructions the domain sent with the call.
        ScriptedInterviewer interviewer = ScriptedInterviewer.fromInstructions(
                realtime.relayedConfigs().get(0).instructions());
        String previous = null;
        int turn = 0;
        String line = interviewer.opening();
        while (true) {
            String ai = "item_a" + turn;
            say(call, ai, previous, Speaker.AI, line);
            previous = ai;
            if (interviewer.finished()) {
                break;
            }
            String answer = ANSWERS.get(Math.min(turn, 2));
            String user = "item_u" + turn;
            if (turn == 3) {
                // the sideband never delivered this answer: only the browser forwards it
                answer = ANSWERS.get(3);
                runner.acceptClientEntries(List.of(new ClientEntry(null, user, previous, Speaker.CANDIDATE, answer,
                        clock.instant(), false)));
            } else {
                say(call, user, previous, Speaker.CANDIDATE, answer);
            }
            previous = user;
            line = interviewer.onCandidateTurn(answer).text();
            turn++;
        }
        clock.advance(Duration.ofMinutes(10));
        runner.end(EndReason.CANDIDATE_ENDED, null, List.of());

        InterviewReport report = services.interviewReport().report(admin, started.session().id());
        assertEquals(SessionStatus.COMPLETED, report.session().status());
        EvaluationResult result = report.evaluation().orElseThrow();
        assertTrue(result.isSuccess(), () -> result.failure().orElse(""));
        Evaluation evaluation = result.value().orElseThrow();
        assertEquals(LocalEvaluationGenerator.MODEL, evaluation.model());
        assertEquals(9, report.transcript().size(), "opening, 4 answers, 3 more interviewer lines, close");
        Map<String, TranscriptEntry> stored = report.transcript().stream()
                .collect(Collectors.toMap(e -> e.key().value(), Function.identity()));
        assertEquals(TranscriptSource.CLIENT, stored.get("item_u3").source());
        List<EvidenceQuote> quotes = evaluation.scores().stream().flatMap(s -> s.evidence().stream()).toList();
        assertTrue(quotes.size() >= 2, quotes.toString());
        for (EvidenceQuote quote : quotes) {
            TranscriptEntry cited = stored.get(quote.entry().value());
            assertEquals(Speaker.CANDIDATE, cited.speaker());
            assertEquals(TranscriptSource.SIDEBAND, cited.source(), "never the browser-only answer");
            assertTrue(cited.text().contains(quote.quote()), quote.quote());
        }
        assertTrue(evaluation.summary().contains("1 candidate entry reported only by the browser"),
                evaluation.summary());
    }

    private void say(RelayedCall call, String item, String previous, Speaker speaker, String text) {
        Instant now = clock.instant();
        TranscriptSource sideband = TranscriptSource.SIDEBAND;
        realtime.emit(call.callId(), new RealtimeEvent.ItemAdded(item, previous, speaker, null, sideband, now));
        realtime.emit(call.callId(), speaker == Speaker.AI
                ? new RealtimeEvent.OutputTranscriptDone(item, text, sideband, now)
                : new RealtimeEvent.InputTranscriptionCompleted(item, text, sideband, now));
        clock.advance(Duration.ofSeconds(20));
    }
}
