package ai.interviewinsights.adapters.apivideo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.contract.RecordingGatewayContract;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The domain's recording gateway contract, held against the real adapter talking to a stateful fake api.video. */
class ApiVideoRecordingGatewayContractTest extends RecordingGatewayContract {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeApiVideo apiVideo = new FakeApiVideo(ApiVideoTestSupport.API_KEY, Clock.systemUTC());
    private RecordingGateway gateway;

    @Override
    protected RecordingGateway gateway() {
        if (gateway == null) {
            server.setDispatcher(apiVideo);
            gateway = ApiVideo.recordingGateway(ApiVideoTestSupport.config(server), Clock.systemUTC());
        }
        return gateway;
    }

    @Override
    protected boolean providerAcceptsUploadsWith(Secret uploadToken) {
        return apiVideo.tokenExists(uploadToken.reveal());
    }

    @Test
    void the_video_carries_the_interview_metadata_and_is_private() {
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(30)));

        JsonNode creation = apiVideo.videos().get(grant.videoId().value()).creation();
        assertEquals("Backend Engineer - Ada Lovelace", creation.get("title").asText());
        assertEquals("tenant_id", creation.get("metadata").get(0).get("key").asText());
        assertEquals("session_id", creation.get("metadata").get(1).get("key").asText());
        assertFalse(creation.get("public").asBoolean());
        assertTrue(apiVideo.tokenExists(grant.uploadToken().reveal()));
    }

    @Test
    void an_encoded_video_is_playable_with_https_assets() {
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(30)));
        apiVideo.finishEncoding(grant.videoId().value());

        RecordingStatus status = gateway().status(grant.videoId());

        assertEquals(RecordingStatus.Phase.PLAYABLE, status.phase());
        assertEquals(4, status.assets().size(), status.assets().toString());
        URI mp4 = status.asset("mp4").orElseThrow();
        assertEquals("https", mp4.getScheme());
        assertTrue(mp4.getPath().contains(grant.videoId().value()));
    }

    @Test
    void a_revoked_token_is_gone() {
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(30)));

        gateway().revokeUploadToken(grant.uploadToken());

        assertFalse(apiVideo.tokenExists(grant.uploadToken().reveal()));
        gateway().revokeUploadToken(Secret.of("toNeverIssued0000000000"));
    }

    @Test
    void access_tokens_rotated_by_api_video_are_renewed_transparently() {
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(30)));
        apiVideo.forgetAccessTokens();

        assertEquals(RecordingStatus.Phase.UPLOADING, gateway().status(grant.videoId()).phase());
    }
}
