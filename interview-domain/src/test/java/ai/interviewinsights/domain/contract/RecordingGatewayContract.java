package ai.interviewinsights.domain.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.recording.RecordingRequest;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.UploadGrant;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What any {@link RecordingGateway} must do. */
public abstract class RecordingGatewayContract {

    protected abstract RecordingGateway gateway();

    /** Whether the provider would still take an upload with this token. */
    protected abstract boolean providerAcceptsUploadsWith(Secret uploadToken);

    protected RecordingRequest request(Duration lifetime) {
        return new RecordingRequest(new TenantId(UUID.randomUUID()), new SessionId(UUID.randomUUID()),
                "Backend Engineer - Ada Lovelace", lifetime);
    }

    @Test
    void an_upload_grant_covers_the_requested_lifetime() {
        Instant before = Instant.now();
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(45)));
        assertTrue(!grant.videoId().value().isBlank());
        assertTrue(!grant.uploadToken().reveal().isBlank());
        assertTrue(grant.expiresAt().isAfter(before.plus(Duration.ofMinutes(44))),
                "token expires at " + grant.expiresAt());
    }

    @Test
    void each_interview_gets_its_own_video() {
        assertNotEquals(gateway().prepareUpload(request(Duration.ofMinutes(30))).videoId(),
                gateway().prepareUpload(request(Duration.ofMinutes(30))).videoId());
    }

    @Test
    void a_new_video_is_not_yet_playable() {
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(30)));
        RecordingStatus status = gateway().status(grant.videoId());
        assertEquals(grant.videoId(), status.videoId());
        assertNotEquals(RecordingStatus.Phase.PLAYABLE, status.phase());
    }

    @Test
    void an_unknown_video_is_not_found() {
        DomainException e = assertThrows(DomainException.class,
                () -> gateway().status(new VideoId("vi0000000000000000000000")));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals("recording.not_found", e.code());
    }

    @Test
    void deleting_a_video_removes_it_and_deleting_again_is_fine() {
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(30)));
        gateway().delete(grant.videoId());
        assertThrows(DomainException.class, () -> gateway().status(grant.videoId()));
        gateway().delete(grant.videoId());
    }

    @Test
    void revoking_an_upload_token_twice_is_fine() {
        UploadGrant grant = gateway().prepareUpload(request(Duration.ofMinutes(30)));
        UploadGrant other = gateway().prepareUpload(request(Duration.ofMinutes(30)));
        assertTrue(providerAcceptsUploadsWith(grant.uploadToken()), "a fresh token works");

        gateway().revokeUploadToken(grant.uploadToken());
        assertFalse(providerAcceptsUploadsWith(grant.uploadToken()), "a revoked token no longer works");
        assertDoesNotThrow(() -> gateway().revokeUploadToken(grant.uploadToken()), "revoking again is fine");

        assertFalse(providerAcceptsUploadsWith(grant.uploadToken()));
        assertTrue(providerAcceptsUploadsWith(other.uploadToken()), "another interview's token is untouched");
    }
}
