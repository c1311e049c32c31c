package ai.interviewinsights.domain.model.sdp;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;

/** An offer or answer broke a rule; the code is {@code sdp.<rule>} and the message names the line. */
public final class SdpRejectedException extends DomainException {

    private final SdpViolation violation;

    public SdpRejectedException(SdpViolation violation) {
        super(ErrorKind.INVALID_INPUT, "sdp." + violation.rule(),
                "SDP rejected at line " + violation.line() + ": " + violation.detail());
        this.violation = violation;
    }

    public SdpViolation violation() {
        return violation;
    }
}
