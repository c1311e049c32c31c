package ai.interviewinsights.domain.model.consent;

import ai.interviewinsights.domain.model.DomainException;

/**
 * What the candidate's browser says they agreed to: the version of the notice they saw, that the AI conducts and
 * evaluates the interview, and whether they agreed to be recorded.
 */
public record GivenConsent(String noticeVersion, boolean aiEvaluation, boolean recording) {

    public GivenConsent {
        if (noticeVersion == null || noticeVersion.isBlank() || noticeVersion.length() > 40) {
            throw DomainException.invalid("consent.notice_version", "consent must name the notice version shown");
        }
    }

    /**
     * Checks this consent answers the notice shown for this interview.
     *
     * @throws DomainException {@code consent.required} (the AI notice, or the recording of a recorded interview, was
     *         not agreed to) or {@code consent.stale_notice} (the notice changed since the page was opened)
     */
    public void requireCovers(ConsentNotice.Shown shown) {
        if (!aiEvaluation || (shown.recorded() && !recording)) {
            throw DomainException.invalid("consent.required",
                    "the interview starts only after the candidate agrees to the notice");
        }
        if (!noticeVersion.equals(shown.version())) {
            throw DomainException.conflict("consent.stale_notice",
                    "the notice changed since the page was opened; reload the page and read it again");
        }
    }
}
