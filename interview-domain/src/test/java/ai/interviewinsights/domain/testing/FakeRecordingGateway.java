package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A recording provider in memory. {@link #markPlayable} plays the provider finishing the encoding. */
public final class FakeRecordingGateway implements RecordingGateway {

    private final Clock clock;
    private final Map<VideoId, RecordingStatus> videos = new LinkedHashMap<>();
    private final List<RecordingRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private int next;

    public FakeRecordingGateway(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized UploadGrant prepareUpload(RecordingRequest request) {
        requests.add(request);
        VideoId videoId = new VideoId("vi" + (++next));
        videos.put(videoId, new RecordingStatus(videoId, RecordingStatus.Phase.UPLOADING, Map.of()));
        issued.add("to_fake_" + next);
        return new UploadGrant(videoId, Secret.of("to_fake_" + next), clock.instant().plus(request.tokenLifetime()));
    }

    @Override
    public synchronized RecordingStatus status(VideoId videoId) {
        RecordingStatus status = videos.get(videoId);
        if (status == null) {
            throw DomainException.notFound("recording.not_found", "no video " + videoId);
        }
        return status;
    }

    @Override
    public synchronized void delete(VideoId videoId) {
        videos.remove(videoId);
    }

    @Override
    public void revokeUploadToken(Secret uploadToken) {
        revoked.add(uploadToken.reveal());
    }

    /** Uploads go to a made-up host: the fake takes no bytes (the apivideo adapter's tests speak the real wire). */
    @Override
    public java.util.Optional<URI> uploadEndpoint() {
        return java.util.Optional.of(URI.create("https://upload.example.test/upload"));
    }

    public synchronized void markPlayable(VideoId videoId) {
        URI mp4 = URI.create("https://vod.example.test/" + videoId + "/mp4/source.mp4");
        videos.put(videoId, new RecordingStatus(videoId, RecordingStatus.Phase.PLAYABLE,
                Map.of("mp4", mp4, "player", URI.create("https://embed.example.test/vod/" + videoId)), mp4));
    }

    /** Whether an upload with this token would be taken: issued here and not revoked. */
    public boolean acceptsUploadsWith(Secret uploadToken) {
        return issued.contains(uploadToken.reveal()) && !revoked.contains(uploadToken.reveal());
    }

    public List<RecordingRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized boolean exists(VideoId videoId) {
        return videos.containsKey(videoId);
    }
}
