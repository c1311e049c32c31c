package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.controlplane.runnerapi.RunnerApi;
import ai.interviewinsights.app.runner.controlplane.HttpControlPlane;
import ai.interviewinsights.app.runner.protocol.ClientMessage;
import ai.interviewinsights.app.runner.protocol.RunnerProtocol;
import ai.interviewinsights.app.runner.protocol.ServerMessage;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.sdp.SdpAnswer;
import ai.interviewinsights.domain.model.sdp.SdpLimits;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dry run of the relay path alongside a runner's start (issue 16, goal 1): the candidate's first offer is
 * about the only one a runner relays, so it should not be the one that loads and first runs the code. Runs what an
 * offer and a transcript message run - the messages' JSON through the runner's shared mapper, the SDP offer's and
 * answer's parsing and validation, the control plane's transcript DTOs and its assignment reply - on canned input
 * (a browser's offer and OpenAI's published answer, bundled), then lets the realtime gateway warm itself: open its
 * connection and, for OpenAI's adapter, rehearse the relay's own HTTP exchange against a listener on loopback so the
 * client compiler has taken that path before the first offer (decision 25, amended). Best effort: nothing here can
 * fail a start, and nothing is sent off this host but the gateway's keyless connection probe.
 */
public final class RelayWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(RelayWarmUp.class);
    /** Enough passes for the interpreter to settle the hot paths, short enough to cost a few ms. */
    static final int PASSES = 20;

    private RelayWarmUp() {
    }

    /** Runs the dry run; returns how many passes went through without an error (for the log and the test). */
    public static int run(ObjectMapper json, RealtimeGateway realtime, SdpLimits limits) {
        if (realtime instanceof LazyRealtimeGateway lazy) {
            // The gateway first, the passes after: a runner on Jetty alone listens before this thread is done
            // (ADR 0027), and an offer sent right at READY waits for the gateway's build (its HTTP clients, the
            // adapter's classes: ~45 ms here) but not for these passes, which it runs its own way.
            try {
                lazy.get();
            } catch (RuntimeException e) {
                LOG.debug("realtime gateway not built ahead: {}", e.toString());
            }
        }
        int passes = 0;
        RunnerProtocol protocol = new RunnerProtocol();
        try {
            String offerText = resource("runner/warm-up-offer.sdp");
            String answerText = resource("runner/warm-up-answer.sdp");
            String offerMessage = json.writeValueAsString(json.createObjectNode().put("type", "sdp_offer")
                    .put("sdp", offerText));
            String update = "{\"type\":\"transcript_update\",\"entries\":[{\"item_id\":\"item_w1\","
                    + "\"previous_item_id\":null,\"speaker\":\"candidate\",\"text\":\"warm-up\","
                    + "\"timestamp\":\"2026-01-01T00:00:00Z\"}]}";
            SessionId session = new SessionId(new UUID(0, 1));
            // The assignment's reply, as the control plane writes it: a claimed standby's first offer decodes it.
            byte[] assignment = json.writeValueAsBytes(new RunnerApi.AssignmentView("ready", 0,
                    new RunnerApi.RealtimeConfigView("A warm-up; nothing is sent.", "marin", "gpt-realtime",
                            "gpt-4o-transcribe", "en", 60, "ii_warm_up"), "2026-01-01T00:00:00Z", false));
            for (int i = 0; i < PASSES; i++) {
                ClientMessage.SdpOffer message = (ClientMessage.SdpOffer) protocol.decode(offerMessage);
                SdpOffer offer = SdpOffer.validate(message.sdp(), limits);
                try {
                    SdpAnswer answer = SdpAnswer.validate(answerText, offer, limits);
                    protocol.encode(new ServerMessage.SdpAnswer(answer.text()));
                } catch (RuntimeException mismatch) {
                    // The canned answer need not fit the canned offer for the parser to have run.
                }
                ((ClientMessage.TranscriptUpdate) protocol.decode(update)).clientEntries(Instant.EPOCH);
                TranscriptEntry entry = TranscriptEntry.complete(session, IdempotencyKey.of("item_w1"),
                        Speaker.CANDIDATE, "warm-up", Instant.EPOCH, 0, TranscriptSource.CLIENT);
                byte[] batch = json.writeValueAsBytes(new RunnerApi.TranscriptBatch(List.of(RunnerApi.Entry.of(entry))));
                json.readValue(batch, RunnerApi.TranscriptBatch.class);
                json.readValue("{\"stored\":[\"item_w1\"],\"duplicates\":[]}", RunnerApi.AppendView.class);
                HttpControlPlane.assignmentOf(json.readValue(assignment, RunnerApi.AssignmentView.class));
                passes++;
            }
        } catch (IOException | RunnerProtocol.UnreadableMessage | RuntimeException e) {
            LOG.debug("relay warm-up stopped after {} passes: {}", passes, e.toString());
        }
        try {
            realtime.warmUp();
        } catch (RuntimeException e) {
            LOG.debug("realtime warm-up: {}", e.toString());
        }
        return passes;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RelayWarmUp.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
