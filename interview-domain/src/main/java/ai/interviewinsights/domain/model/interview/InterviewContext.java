package ai.interviewinsights.domain.model.interview;

import ai.interviewinsights.domain.model.Require;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;

/**
 * Everything the AI interviewer is told about an interview: the company, the position and its competencies,
 * the candidate and the settings. The interviewer's instructions are built from it
 * ({@link InterviewerInstructions#from(InterviewContext)}) and it is returned to the browser as
 * {@code interview_context}.
 */
public record InterviewContext(Tenant company, Position position, Candidate candidate, InterviewSettings settings) {

    public InterviewContext {
        Require.present(company, "company");
        Require.present(position, "position");
        Require.present(candidate, "candidate");
        Require.present(settings, "settings");
        if (!position.tenant().equals(company.id()) || !candidate.tenant().equals(company.id())) {
            throw new IllegalArgumentException("position and candidate must belong to the company's tenant");
        }
    }

    public String instructions() {
        return InterviewerInstructions.from(this);
    }
}
