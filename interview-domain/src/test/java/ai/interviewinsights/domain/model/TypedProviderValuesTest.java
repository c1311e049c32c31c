package ai.interviewinsights.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.recording.RecordingRef;
import ai.interviewinsights.domain.model.recording.RecordingStatus;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.runner.RunnerId;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Provider ids and recording URLs are parsed once, where they come in; after that they are types, not text. */
class TypedProviderValuesTest {

    @Test
    void a_video_id_is_letters_digits_underscore_and_dash_only() {
        assertEquals("vi4k0jvEUuaTdRAEjQ4Prklg", new VideoId("vi4k0jvEUuaTdRAEjQ4Prklg").value());
        for (String bad : new String[] {"../upload-tokens", "vi 1", "", "x".repeat(129)}) {
            assertEquals("invalid.video_id", assertThrows(DomainException.class, () -> new VideoId(bad)).code());
        }
        assertThrows(DomainException.class, () -> new VideoId(null));
    }

    @Test
    void a_runner_id_is_any_non_blank_provider_text_stripped() {
        assertEquals(new RunnerId("3d8d9e1f0a1b2c"), new RunnerId(" 3d8d9e1f0a1b2c "));
        assertEquals("invalid.runner_id", assertThrows(DomainException.class, () -> new RunnerId(" ")).code());
    }

    @Test
    void a_recording_url_is_parsed_once_and_an_absent_one_stays_absent() {
        assertEquals(URI.create("https://vod.api.video/vod/vi1/mp4/source.mp4"),
                RecordingRef.parseOptionalUrl(" https://vod.api.video/vod/vi1/mp4/source.mp4 "));
        assertEquals(null, RecordingRef.parseOptionalUrl(null));
        assertEquals("invalid.recording_url", assertThrows(DomainException.class,
                () -> RecordingRef.parseOptionalUrl("http://insecure.example/video.mp4")).code());
        assertEquals("invalid.recording_url", assertThrows(DomainException.class,
                () -> RecordingRef.requireValidUrl(URI.create("file:///etc/passwd"))).code());
    }

    @Test
    void only_a_playable_recording_has_a_playback_url_chosen_by_its_adapter() {
        VideoId video = new VideoId("vi1");
        URI mp4 = URI.create("https://vod.example.test/vi1/mp4/source.mp4");

        RecordingStatus playable = new RecordingStatus(video, RecordingStatus.Phase.PLAYABLE, Map.of("mp4", mp4), mp4);

        assertEquals(Optional.of(mp4), playable.playbackUrl());
        assertEquals(Optional.empty(),
                new RecordingStatus(video, RecordingStatus.Phase.PROCESSING, Map.of()).playbackUrl());
        assertEquals("invalid.playback", assertThrows(DomainException.class,
                () -> new RecordingStatus(video, RecordingStatus.Phase.PROCESSING, Map.of(), mp4)).code());
    }
}
