package ai.interviewinsights.app.runner;

import ai.interviewinsights.app.runner.protocol.ClientMessage;
import ai.interviewinsights.app.runner.protocol.ServerMessage;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.sdp.SdpRejectedException;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.port.in.EndCallUseCase;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase;
import ai.interviewinsights.domain.port.in.TakeTranscriptUpdateUseCase;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runner does with each message of the browser (docs/protocol.md): turns it into a call on one of the
 * runner's use cases (negotiate the SDP, take a transcript update, end the call; the domain's
 * {@code InterviewRunner} implements all three) and its result into the replies, and any failure into one {@code error} with the failure's
 * stable code. Knows nothing of sockets: the caller says where replies go.
 */
final class MessageDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(MessageDispatcher.class);

    private final NegotiateSdpUseCase negotiate;
    private final TakeTranscriptUpdateUseCase transcript;
    private final EndCallUseCase endCall;
    private final Clock clock;
    private final Supplier<ServerMessage.Status> activeStatus;

    /** @param activeStatus the {@code status: active} sent once a call is up (it carries the interview's deadline) */
    MessageDispatcher(NegotiateSdpUseCase negotiate, TakeTranscriptUpdateUseCase transcript, EndCallUseCase endCall,
                      Clock clock, Supplier<ServerMessage.Status> activeStatus) {
        this.negotiate = negotiate;
        this.transcript = transcript;
        this.endCall = endCall;
        this.clock = clock;
        this.activeStatus = activeStatus;
    }

    /** Handles one message; every reply (including an error) goes to {@code reply}, in order. */
    void dispatch(ClientMessage message, Consumer<ServerMessage> reply) {
        try {
            message.accept(new ClientMessage.Handler() {
                @Override
                public void sdpOffer(ClientMessage.SdpOffer offer) {
                    // The answer goes out as soon as OpenAI's is in; the relay's work after it (the replaced call
                    // hung up, the sideband opened, the call recorded) follows, on the runner's background thread
                    // when it has one (decision 25).
                    negotiate.negotiate(offer.command(), call -> {
                        reply.accept(new ServerMessage.SdpAnswer(call.answer().text()));
                        reply.accept(activeStatus.get());
                    });
                }

                @Override
                public void transcriptUpdate(ClientMessage.TranscriptUpdate update) {
                    TakeTranscriptUpdateUseCase.ClientBatchOutcome outcome = transcript.acceptClientEntries(
                            update.clientEntries(clock.instant()));
                    reply.accept(ServerMessage.TranscriptAck.of(outcome.stored(), outcome.duplicates(),
                            outcome.pending()));
                }

                @Override
                public void endSession(ClientMessage.EndSession end) {
                    // The reply (status: ended, then the close) comes from the runner's observer once the end is
                    // reported, whoever ended the interview.
                    endCall.end(EndReason.CANDIDATE_ENDED, end.recording(), end.finalEntries(clock.instant()));
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
