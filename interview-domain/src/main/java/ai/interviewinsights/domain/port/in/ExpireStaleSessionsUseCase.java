package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.identity.SessionId;
import java.util.List;

/**
 * The reaper (a system job): sessions idle past the configured timeout are expired and their runners destroyed;
 * sessions stuck ENDING are evaluated and completed.
 */
public interface ExpireStaleSessionsUseCase {

    ExpiryReport expireStale();

    record ExpiryReport(List<SessionId> expired, List<SessionId> completed) {
        public ExpiryReport {
            expired = List.copyOf(expired);
            completed = List.copyOf(completed);
        }
    }
}
