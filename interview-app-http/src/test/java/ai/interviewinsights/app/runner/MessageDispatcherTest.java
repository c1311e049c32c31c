package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.runner.controlplane.HttpControlPlane;
import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.local.UnconfiguredRealtime;
import ai.interviewinsights.app.runner.protocol.ClientMessage;
import ai.interviewinsights.app.runner.protocol.RunnerProtocol;
import ai.interviewinsights.app.runner.protocol.ServerMessage;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.out.ControlPlane;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The runner's handling of every client message and every error docs/protocol.md names, in one JVM: a frame is
 * decoded by the codec, dispatched to a real {@link InterviewRunner} (the control plane in-process over the domain's
 * in-memory fakes), and the replies are read back as the browser would get them.
 */
class MessageDispatcherTest {

    private static final String OFFER = Fixtures.resource("sdp/chrome-offer.sdp");

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final RunnerProtocol protocol = new RunnerProtocol();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<EndReason> ended = new AtomicReference<>();
    private final List<String> observed = new ArrayList<>();
    private SessionId session;

    private SessionId startedSession() {
        platform.registerTenant(ACME);
        Principal admin = Fixtures.admin(ACME);
        var position = platform.services.positions().create(admin, "SRE", "Ops",
                List.of(new Competency("Operations", "Runs things", 1)));
        var candidate = platform.services.candidates().create(admin, "Ada", "ada@example.com");
        return platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                null)).session().id();
    }

    private InterviewRunner runner(ControlPlane controlPlane, RealtimeGateway realtime) {
        return new InterviewRunner(session, controlPlane, realtime, platform.clock, SdpLimits.defaults(),
                new InterviewRunner.Observer() {
                    @Override
                    public void transcriptRecorded(AppendResult result) {
                        observed.add(protocol.encode(ServerMessage.TranscriptAck.of(result.stored(),
                                result.duplicates(), List.of())));
                    }

                    @Override
                    public void ended(EndReason reason) {
                        ended.set(reason);
                    }

                    @Override
                    public void serverError(RealtimeEvent.ServerError error) {
                        observed.add(error.code());
                    }
                }, InterviewRunner.DrainPolicy.NONE);
    }

    private InterviewRunner inProcessRunner(RealtimeGateway realtime) {
        session = session == null ? startedSession() : session;
        return runner(new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session), platform.services),
                realtime);
    }

    /** Sends one frame as the browser would and returns the replies as the browser would read them. */
    private List<String> send(InterviewRunner runner, String frame) {
        MessageDispatcher dispatcher = new MessageDispatcher(runner, runner, runner, platform.clock, () ->
                new ServerMessage.Status(ServerMessage.Status.State.ACTIVE, session.toString(),
                        runner.deadline().orElse(null), null));
        List<String> replies = new ArrayList<>();
        ClientMessage message;
        try {
            message = protocol.decode(frame);
        } catch (RunnerProtocol.UnreadableMessage e) {
            return List.of(protocol.encode(e.reply()));
        }
        dispatcher.dispatch(message, reply -> replies.add(protocol.encode(reply)));
        return replies;
    }

    private com.fasterxml.jackson.databind.JsonNode only(List<String> replies) throws Exception {
        assertEquals(1, replies.size(), () -> "one reply expected: " + replies);
        return json.readTree(replies.get(0));
    }

    private String offerFrame() throws Exception {
        return json.writeValueAsString(java.util.Map.of("type", "sdp_offer", "sdp", OFFER));
    }

    @Test
    void ping_is_answered_with_pong() throws Exception {
        assertEquals(List.of("{\"type\":\"pong\"}"), send(inProcessRunner(platform.openai), "{\"type\":\"ping\"}"));
    }

    @Test
    void sdp_offer_is_answered_with_sdp_answer_then_status_active_with_the_deadline() throws Exception {
        InterviewRunner runner = inProcessRunner(platform.openai);
        List<String> replies = send(runner, offerFrame());
        assertEquals(2, replies.size(), replies::toString);
        var answer = json.readTree(replies.get(0));
        assertEquals("sdp_answer", answer.get("type").asText());
        assertTrue(answer.get("sdp").asText().startsWith("v=0"), "the answer OpenAI gave");
        var active = json.readTree(replies.get(1));
        assertEquals("status", active.get("type").asText());
        assertEquals("active", active.get("status").asText());
        assertEquals(session.toString(), active.get("session_id").asText());
        assertEquals(runner.deadline().orElseThrow().toString(), active.get("deadline").asText());
        assertEquals(SessionStatus.ACTIVE, platform.services.sessions().get(Fixtures.admin(ACME), session).status());
    }

    @Test
    void a_broken_offer_is_an_sdp_error_with_its_line_and_rule() throws Exception {
        var error = only(send(inProcessRunner(platform.openai), json.writeValueAsString(java.util.Map.of(
                "type", "sdp_offer", "sdp", OFFER.replace("m=audio", "m=video")))));
        assertEquals("error", error.get("type").asText());
        assertTrue(error.get("code").asText().startsWith("sdp."), error.toString());
        assertTrue(error.get("line").asInt() > 0, error.toString());
        assertEquals(error.get("code").asText(), "sdp." + error.get("rule").asText());
        assertNull(error.get("retryable"), "as before: an offer's error says where, not whether to retry");
    }

    @Test
    void an_offer_without_sdp_is_protocol_missing_sdp() throws Exception {
        var error = only(send(inProcessRunner(platform.openai), "{\"type\":\"sdp_offer\"}"));
        assertEquals("protocol.missing_sdp", error.get("code").asText());
        assertEquals(false, error.get("retryable").asBoolean(true));
    }

    @Test
    void transcript_update_is_acknowledged_once_with_every_key() throws Exception {
        InterviewRunner runner = inProcessRunner(platform.openai);
        send(runner, offerFrame());
        var ack = only(send(runner, "{\"type\":\"transcript_update\",\"entries\":[{\"text\":\"Hello\","
                + "\"speaker\":\"candidate\",\"key\":\"k-1\"}]}"));
        assertEquals("transcript_ack", ack.get("type").asText());
        List<String> all = new ArrayList<>();
        for (String field : List.of("stored", "duplicates", "pending")) {
            assertTrue(ack.get(field).isArray(), field);
            ack.get(field).forEach(k -> all.add(k.asText()));
        }
        assertEquals(List.of("k-1"), all, "the one key is listed once, in stored, duplicates or pending");
    }

    @Test
    void malformed_entries_get_their_codes() throws Exception {
        InterviewRunner runner = inProcessRunner(platform.openai);
        assertEquals("invalid.speaker", only(send(runner, "{\"type\":\"transcript_update\",\"entries\":[{\"text\":"
                + "\"a\",\"speaker\":\"narrator\"}]}")).get("code").asText());
        assertEquals("invalid.text", only(send(runner, "{\"type\":\"transcript_update\",\"entries\":[{\"speaker\":"
                + "\"ai\"}]}")).get("code").asText());
        assertEquals("invalid.timestamp", only(send(runner, "{\"type\":\"transcript_update\",\"entries\":[{"
                + "\"text\":\"a\",\"speaker\":\"ai\",\"timestamp\":\"noon\"}]}")).get("code").asText());
        assertEquals("protocol.invalid_entries", only(send(runner, "{\"type\":\"transcript_update\",\"entries\":"
                + "\"a\"}")).get("code").asText());
        assertEquals("invalid.batch", only(send(runner, "{\"type\":\"transcript_update\",\"entries\":["
                + String.join(",", java.util.Collections.nCopies(501, "{\"text\":\"a\",\"speaker\":\"ai\"}"))
                + "]}")).get("code").asText());
        assertEquals("invalid.recording_url", only(send(runner, "{\"type\":\"end_session\",\"recording_url\":"
                + "\"ftp://x\"}")).get("code").asText());
        assertNull(ended.get(), "a refused end ends nothing");
    }

    @Test
    void end_session_ends_the_interview_and_later_messages_are_session_not_live() throws Exception {
        InterviewRunner runner = inProcessRunner(platform.openai);
        send(runner, offerFrame());
        assertEquals(List.of(), send(runner, "{\"type\":\"end_session\",\"recording_url\":"
                + "\"https://videos.example/v1\",\"final_transcript\":{\"entries\":[{\"text\":\"Bye\","
                + "\"speaker\":\"candidate\",\"key\":\"last\"}]}}"), "the observer says ended, not the dispatcher");
        assertEquals(EndReason.CANDIDATE_ENDED, ended.get());
        assertTrue(runner.isEnded());
        var error = only(send(runner, "{\"type\":\"transcript_update\",\"entries\":[{\"text\":\"late\","
                + "\"speaker\":\"ai\"}]}"));
        assertEquals("session.not_live", error.get("code").asText());
        assertEquals(false, error.get("retryable").asBoolean(true));
    }

    @Test
    void frames_the_codec_refuses_are_answered_without_touching_the_runner() throws Exception {
        InterviewRunner runner = inProcessRunner(platform.openai);
        assertEquals("protocol.malformed_json", only(send(runner, "{")).get("code").asText());
        assertEquals("protocol.unknown_type", only(send(runner, "{\"type\":\"hello\"}")).get("code").asText());
        assertEquals("protocol.message_too_large", only(send(runner, "{\"type\":\"ping\",\"x\":\""
                + "a".repeat(RunnerProtocol.MAX_MESSAGE_CHARS) + "\"}")).get("code").asText());
        assertEquals(List.of(), platform.openai.relayedOffers());
    }

    @Test
    void without_an_openai_key_an_offer_is_realtime_not_configured() throws Exception {
        var error = only(send(inProcessRunner(new UnconfiguredRealtime()), offerFrame()));
        assertEquals("realtime.not_configured", error.get("code").asText());
        assertTrue(error.has("retryable"));
    }

    @Test
    void openai_refusing_the_offer_is_an_openai_error_that_says_whether_to_retry() throws Exception {
        InterviewRunner runner = inProcessRunner(platform.openai);
        platform.openai.failNextRelay(new DomainException(ErrorKind.UNAVAILABLE, "openai.unavailable",
                "OpenAI is unavailable", true, null));
        var error = only(send(runner, offerFrame()));
        assertEquals("openai.unavailable", error.get("code").asText());
        assertEquals(true, error.get("retryable").asBoolean(false));
    }

    @Test
    void openai_reporting_an_error_on_the_call_reaches_the_observer() throws Exception {
        InterviewRunner runner = inProcessRunner(platform.openai);
        send(runner, offerFrame());
        RealtimeCallId call = platform.openai.openSidebands().iterator().next();
        platform.openai.emit(call, new RealtimeEvent.ServerError("invalid_request_error", "rate_limited", "slow down",
                TranscriptSource.SIDEBAND, platform.clock.instant()));
        assertEquals(List.of("rate_limited"), observed, "RunnerServer sends it as error realtime.rate_limited");
    }

    @Test
    void an_unreachable_control_plane_is_control_plane_unreachable_and_retryable() throws Exception {
        session = startedSession();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        InterviewRunner runner = runner(new HttpControlPlane(URI.create("http://127.0.0.1:" + closed),
                Secret.of("runner-token"), Duration.ofMillis(300)), platform.openai);
        var error = only(send(runner, offerFrame()));
        assertEquals("control_plane.unreachable", error.get("code").asText());
        assertEquals(true, error.get("retryable").asBoolean(false));
    }

    @Test
    void an_unexpected_failure_is_internal_without_its_details() throws Exception {
        session = startedSession();
        ControlPlane broken = (ControlPlane) java.lang.reflect.Proxy.newProxyInstance(
                ControlPlane.class.getClassLoader(), new Class<?>[] {ControlPlane.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("secret detail");
                });
        var error = only(send(runner(broken, platform.openai), offerFrame()));
        assertEquals("internal", error.get("code").asText());
        assertEquals("the runner could not handle this message", error.get("message").asText());
        assertNotNull(error);
        assertInstanceOf(String.class, error.toString());
        assertTrue(!error.toString().contains("secret detail"));
    }

    @Test
    void a_second_offer_is_answered_before_the_call_it_replaces_is_hung_up_and_its_sideband_opened()
            throws Exception {
        List<String> wire = new java.util.concurrent.CopyOnWriteArrayList<>();
        RealtimeGateway logged = new RealtimeGateway() {
            @Override
            public ai.interviewinsights.domain.model.realtime.ClientSecret mintClientSecret(
                    ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig config, Duration ttl) {
                return platform.openai.mintClientSecret(config, ttl);
            }

            @Override
            public ai.interviewinsights.domain.model.realtime.RelayedCall relay(
                    ai.interviewinsights.domain.model.sdp.SdpOffer offer,
                    ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig config) {
                return platform.openai.relay(offer, config);
            }

            @Override
            public void hangUp(RealtimeCallId call) {
                wire.add("hang up " + call.value());
                platform.openai.hangUp(call);
            }

            @Override
            public Sideband openSideband(RealtimeCallId call, SidebandListener listener) {
                wire.add("open sideband " + call.value());
                return platform.openai.openSideband(call, listener);
            }
        };
        InterviewRunner runner = inProcessRunner(logged);
        MessageDispatcher dispatcher = new MessageDispatcher(runner, runner, runner, platform.clock, () ->
                new ServerMessage.Status(ServerMessage.Status.State.ACTIVE, session.toString(),
                        runner.deadline().orElse(null), null));
        for (int i = 0; i < 2; i++) {
            dispatcher.dispatch(protocol.decode(offerFrame()), reply -> wire.add(reply.getClass().getSimpleName()));
        }
        String first = platform.openai.hangUpRequests().get(0).value();
        String second = platform.openai.openSidebands().iterator().next().value();
        assertEquals(List.of("SdpAnswer", "Status", "open sideband " + first,
                "SdpAnswer", "Status", "hang up " + first, "open sideband " + second), wire,
                "the browser has its answer before the replaced call is hung up");
    }
}
