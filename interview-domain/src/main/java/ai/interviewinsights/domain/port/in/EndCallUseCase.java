package ai.interviewinsights.domain.port.in;

import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.transcript.ClientEntry;
import ai.interviewinsights.domain.model.recording.RecordingReport;
import java.util.List;

/**
 * The runner ends its interview's call (the candidate pressed "end", the call ended, or the time budget is spent):
 * everything the browser and the sideband delivered is recorded, the call is hung up, and then the end is reported
 * to the control plane ({@link EndInterviewUseCase}), which queues the evaluation.
 */
public interface EndCallUseCase {

    /**
     * Safe to call more than once: once the end has been reported, nothing happens; if recording or the report
     * failed, calling it again retries them without flushing anything twice.
     *
     * @param recording    what the browser reported of its recording (video id, URL; parsed at the edge), or null
     * @param finalEntries the browser's last entries, taken before the flush
     */
    void end(EndReason reason, RecordingReport recording, List<ClientEntry> finalEntries);
}
