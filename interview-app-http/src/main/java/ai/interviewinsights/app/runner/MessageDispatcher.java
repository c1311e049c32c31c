package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.runner.protocol.ClientMessage;
import ai.interviewinsights.app.runner.protocol.ServerMessage;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.service.InterviewRunner;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runner does with each message of the browser (docs/protocol.md): turns it into a call on the
 * {@link InterviewRunner} and its result into the replies, and any failure into one {@code error} with the failure's
 * stable code. Knows nothing of sockets: the caller says where replies go.
 */
final class MessageDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(MessageDispatcher.class);

    private final InterviewRunner runner;
    private final Clock clock;
    private final Supplier<ServerMessage.Status> activeStatus;

    /** @param activeStatus the {@code status: active} sent once a call is up (it carries the interview's deadline) */
    MessageDispatcher(InterviewRunner runner, Clock clock, Supplier<ServerMessage.Status> activeStatus) {
        this.runner = runner;
        this.clock = clock;
        this.activeStatus = activeStatus;
    }

    /** Handles one message; every reply (including an error) goes to {@code reply}, in order. */
    void dispatch(ClientMessage message, Consumer<ServerMessage> reply) {
        try {
            message.accept(new ClientMessage.Handler() {
                @Override
                public void sdpOffer(ClientMessage.SdpOffer offer) {
                    RelayedCall call = runner.negotiate(offer.command());
                    reply.accept(new ServerMessage.SdpAnswer(call.answer().text()));
                    reply.accept(activeStatus.get());
                }

                @Override
                public void transcriptUpdate(ClientMessage.TranscriptUpdate update) {
                    InterviewRunner.ClientBatchOutcome outcome = runner.acceptClientEntries(
                            update.clientEntries(clock.instant()));
                    reply.accept(ServerMessage.TranscriptAck.of(outcome.stored(), outcome.duplicates(),
                            outcome.pending()));
                }

                @Override
                public void endSession(ClientMessage.EndSession end) {
                    // The reply (status: ended, then the close) comes from the runner's observer once the end is
                    // reported, whoever ended the interview.
                    runner.end(EndReason.CANDIDATE_ENDED, end.recording(), end.finalEntries(clock.instant()));
                }

                @Override
                public void ping(ClientMessage.Ping ping) {
                    reply.accept(new ServerMessage.Pong());
                }
            });
        } catch (SdpRejectedException e) {
            reply.accept(ServerMessage.Error.of(e));
        } catch (DomainException e) {
            reply.accept(ServerMessage.Error.of(e));
        } catch (RuntimeException e) {
            LOG.error("message handling failed", e);
            reply.accept(ServerMessage.Error.of("internal", "the runner could not handle this message"));
        }
    }
}
