package ai.interviewinsights.domain.model.erasure;

/**
 * What the store removed when it erased a candidate: counts only, never what the rows said.
 *
 * @param keysDestroyed data keys destroyed (1 when the candidate had one): every copy of their encrypted rows,
 *                      backups included, is unreadable from then on
 */
public record ErasedRecords(int candidates, int sessions, int transcriptEntries, int evaluations, int invites,
                            int keysDestroyed) {

    public ErasedRecords {
        if (candidates < 0 || sessions < 0 || transcriptEntries < 0 || evaluations < 0 || invites < 0
                || keysDestroyed < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
    }
}
