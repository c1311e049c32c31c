package ai.interviewinsights.adapters.apivideo;

import ai.interviewinsights.domain.model.recording.RecordingStatus.Phase;
import java.util.List;

/**
 * Reads a recording's {@link Phase} from api.video's {@code GET /videos/{videoId}/status}. In order:
 *
 * <ol>
 *   <li>{@code encoding.playable} is true: {@link Phase#PLAYABLE}, even if some rendition failed (one that plays is
 *       enough to watch the interview);</li>
 *   <li>at least one rendition {@code failed} and none is still {@code waiting} or {@code encoding}: nothing will
 *       ever play, {@link Phase#FAILED};</li>
 *   <li>no {@code ingest} yet, or {@code ingest.status} is {@code uploading}: the browser is still sending (the
 *       recorder uploads while the interview runs), {@link Phase#UPLOADING};</li>
 *   <li>anything else ({@code uploaded}, {@code ingesting}, {@code ingested}, an unknown status): api.video has the
 *       file and is working on it, {@link Phase#PROCESSING}.</li>
 * </ol>
 */
final class RecordingPhases {

    private RecordingPhases() {
    }

    static Phase phaseOf(Wire.VideoStatusJson status) {
        Wire.EncodingJson encoding = status.encoding();
        if (encoding != null && Boolean.TRUE.equals(encoding.playable())) {
            return Phase.PLAYABLE;
        }
        List<Wire.QualityJson> qualities = encoding == null || encoding.qualities() == null ? List.of()
                : encoding.qualities();
        boolean anyFailed = qualities.stream().anyMatch(q -> q != null && "failed".equals(q.status()));
        boolean anyPending = qualities.stream()
                .anyMatch(q -> q != null && ("waiting".equals(q.status()) || "encoding".equals(q.status())));
        if (anyFailed && !anyPending) {
            return Phase.FAILED;
        }
        String ingest = status.ingest() == null ? null : status.ingest().status();
        if (ingest == null || "uploading".equals(ingest)) {
            return Phase.UPLOADING;
        }
        return Phase.PROCESSING;
    }
}
