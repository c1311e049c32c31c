package ai.interviewinsights.app.runner;

import static ai.interviewinsights.domain.testing.Fixtures.ACME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.apivideo.ApiVideo;
import ai.interviewinsights.adapters.apivideo.ApiVideoUploadConfig;
import ai.interviewinsights.domain.model.audit.AuditEvent;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.interview.SettingsRequest;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.recording.CallAudioGrant;
import ai.interviewinsights.domain.model.recording.CallAudioRef;
import ai.interviewinsights.domain.model.session.EndReason;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.session.SessionStatus;
import ai.interviewinsights.domain.port.in.NegotiateSdpUseCase.NegotiateSdp;
import ai.interviewinsights.domain.port.in.StartInterviewUseCase.StartInterview;
import ai.interviewinsights.domain.port.out.CallAudioUploader;
import ai.interviewinsights.domain.port.out.ControlPlane;
import ai.interviewinsights.domain.runner.InProcessControlPlane;
import ai.interviewinsights.domain.runner.InterviewRunner;
import ai.interviewinsights.domain.testing.Fixtures;
import ai.interviewinsights.domain.testing.ForwardingControlPlane;
import ai.interviewinsights.domain.testing.InMemoryInterviewPlatform;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy runner's side of storing its call's audio (ADR 0021), against the control plane's use cases in process
 * and api.video's upload wire on MockWebServer: recording off records and asks nothing; after the end the file is
 * uploaded with the grant's token and reported; an upload that keeps failing is audited with a stable code and the
 * session completes all the same; the local files are always deleted; the token never reaches a log.
 */
class CallAudioRecorderTest {

    private final InMemoryInterviewPlatform platform = new InMemoryInterviewPlatform();
    private final Principal admin = Fixtures.admin(ACME);
    private final MockWebServer apiVideo = new MockWebServer();
    private final AtomicInteger grants = new AtomicInteger();
    @TempDir
    Path temp;
    private Path directory;
    private SessionId session;

    @BeforeEach
    void setUp() throws Exception {
        apiVideo.start();
        directory = Files.createDirectories(temp.resolve("call-audio"));
        platform.registerTenant(ACME);
        Position position = platform.services.positions().create(admin, "Engineer", "",
                List.of(new Competency("Design", "", 1)));
        Candidate candidate = platform.services.candidates().create(admin, "Ada Lovelace", "");
        session = platform.services.startInterview().start(new StartInterview(admin, candidate.id(), position.id(),
                new SettingsRequest(null, null, null, null, null, "proxy"))).session().id();
        runner().negotiate(new NegotiateSdp(Fixtures.resource("sdp/chrome-offer.sdp")));
    }

    @AfterEach
    void tearDown() {
        apiVideo.close();
    }

    private InterviewRunner runner() {
        return platform.runnerFor(ACME, session, new InterviewRunner.Observer() { });
    }

    /** The session's control plane, in process, with uploads pointed at the MockWebServer playing api.video. */
    private ControlPlane controlPlane() {
        return new ForwardingControlPlane(new InProcessControlPlane(Fixtures.runnerPrincipal(ACME, session),
                platform.services)) {
            @Override
            public CallAudioGrant callAudioGrant() {
                grants.incrementAndGet();
                CallAudioGrant real = super.callAudioGrant();
                return new CallAudioGrant(real.upload(), URI.create(apiVideo.url("/upload").toString()));
            }
        };
    }

    private static CallAudioUploader uploader() {
        return ApiVideo.callAudioUploader(ApiVideoUploadConfig.defaults().withRetries(2, Duration.ofMillis(10),
                Duration.ofSeconds(1)), Clock.systemUTC());
    }

    private InterviewSession stored() {
        return platform.services.sessions().get(admin, session);
    }

    private List<AuditEvent> audited(String action) {
        return platform.repositories.allAuditEvents().stream().filter(e -> e.action().equals(action)).toList();
    }

    /** A 24 kHz stereo WAV of {@code frames} frames, left and right set to these values. */
    static Path wav(Path file, int frames, short left, short right) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + frames * 4).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 2).putInt(24_000).putInt(96_000).putShort((short) 4)
                .putShort((short) 16).put("data".getBytes()).putInt(frames * 4);
        for (int i = 0; i < frames; i++) {
            b.putShort(left).putShort(right);
        }
        Files.write(file, b.array());
        return file;
    }

    @Test
    void recording_off_records_nothing_and_asks_for_nothing() throws Exception {
        CallAudioRecorder recorder = new CallAudioRecorder(directory);
        recorder.bind(controlPlane(), () -> false, uploader());

        assertFalse(recorder.wanted(), "a call of a session whose recording is off is not recorded");
        runner().end(EndReason.CANDIDATE_ENDED, null, List.of());
        recorder.endReported();

        assertTrue(recorder.awaitIdle(Duration.ofSeconds(1)));
        assertEquals(0, grants.get(), "no grant was asked for");
        assertEquals(0, apiVideo.getRequestCount(), "nothing was uploaded");
        assertTrue(stored().callAudio().isEmpty());
        assertFalse(Files.exists(directory), "the runner's recording directory is gone");
    }

    @Test
    void after_the_end_the_file_is_uploaded_with_the_token_reported_and_deleted() throws Exception {
        CallAudioRecorder recorder = new CallAudioRecorder(directory);
        recorder.bind(controlPlane(), () -> true, uploader());
        assertTrue(recorder.wanted());
        Path file = wav(directory.resolve("proxy_1.wav"), 24_000 * 2, (short) 3000, (short) -2000);
        byte[] recorded = Files.readAllBytes(file);
        recorder.recorded(file);
        apiVideo.enqueue(new MockResponse.Builder().code(201).body("{\"videoId\":\"x\"}").build());

        runner().end(EndReason.CANDIDATE_ENDED, null, List.of());
        assertEquals(SessionStatus.COMPLETED, stored().status(), "the end is reported before any upload");
        assertEquals(0, apiVideo.getRequestCount(), "nothing is uploaded before the end is reported");
        recorder.endReported();
        assertTrue(recorder.awaitIdle(Duration.ofSeconds(20)));

        RecordedRequest upload = apiVideo.takeRequest();
        CallAudioRef ref = stored().callAudio().orElseThrow();
        assertEquals("/upload", upload.getUrl().encodedPath());
        assertTrue(platform.recording.acceptsUploadsWith(ai.interviewinsights.domain.model.Secret.of(
                upload.getUrl().queryParameter("token"))), "the grant's delegated token");
        assertNull(upload.getHeaders().get("Authorization"));
        assertEquals("bytes 0-" + (recorded.length - 1) + "/" + recorded.length,
                upload.getHeaders().get("Content-Range"));
        assertTrue(upload.getBody().indexOf(okio.ByteString.of(recorded)) >= 0, "the whole WAV, as recorded");
        assertTrue(ref.uploaded().isPresent(), "the session says it is uploaded: " + ref);
        assertEquals("2.0", audited("session.call_audio_stored").get(0).details().get("seconds"));
        assertFalse(Files.exists(file), "the local copy (personal data) is deleted");
        assertFalse(Files.exists(directory));
    }

    @Test
    void an_upload_that_keeps_failing_is_audited_and_the_session_completes_all_the_same() throws Exception {
        CallAudioRecorder recorder = new CallAudioRecorder(directory);
        recorder.bind(controlPlane(), () -> true, uploader());
        recorder.wanted();
        Path file = wav(directory.resolve("proxy_1.wav"), 2_400, (short) 100, (short) 100);
        recorder.recorded(file);
        for (int i = 0; i < 3; i++) {
            apiVideo.enqueue(new MockResponse.Builder().code(503).body("{\"status\":503}").build());
        }
        String token;
        try (LogLines logs = new LogLines()) {
            runner().end(EndReason.CANDIDATE_ENDED, null, List.of());
            recorder.endReported();
            assertTrue(recorder.awaitIdle(Duration.ofSeconds(20)));
            token = apiVideo.takeRequest().getUrl().queryParameter("token");
            assertFalse(logs.text().contains(token), "the upload token is never logged");
            assertTrue(logs.text().contains("recording.upload_unavailable"), logs.text());
        }

        assertEquals(3, apiVideo.getRequestCount(), "the first try and the two retries");
        assertEquals(SessionStatus.COMPLETED, stored().status());
        assertEquals("recording.upload_unavailable", stored().callAudio().orElseThrow().failure());
        assertEquals("recording.upload_unavailable", audited("session.call_audio_failed").get(0).details()
                .get("code"));
        assertFalse(Files.exists(file));
    }

    @Test
    void a_runner_stopped_in_the_middle_of_its_upload_reports_it_failed_once_instead_of_leaving_it_pending()
            throws Exception {
        CallAudioRecorder recorder = new CallAudioRecorder(directory);
        recorder.bind(controlPlane(), () -> true, uploader());
        recorder.wanted();
        Path file = wav(directory.resolve("proxy_1.wav"), 24_000, (short) 100, (short) 100);
        recorder.recorded(file);
        // api.video takes its time to answer: the upload is still running when the stop's grace is over.
        apiVideo.enqueue(new MockResponse.Builder().code(201).body("{\"videoId\":\"x\"}")
                .headersDelay(3, TimeUnit.SECONDS).build());
        runner().end(EndReason.CANDIDATE_ENDED, null, List.of());
        recorder.endReported();
        apiVideo.takeRequest(); // the upload is under way
        assertFalse(recorder.awaitIdle(Duration.ofMillis(200)), "still uploading");

        recorder.abandon("recording.upload_interrupted");
        assertEquals("recording.upload_interrupted", stored().callAudio().orElseThrow().failure(),
                "the session says failed, not pending");
        assertFalse(Files.exists(file), "the local copy is deleted");

        assertTrue(recorder.awaitIdle(Duration.ofSeconds(20)), "the upload's own end");
        recorder.abandon("recording.upload_interrupted"); // a second stop: nothing more
        assertEquals(1, audited("session.call_audio_failed").size(), "one outcome, audited once");
        assertTrue(audited("session.call_audio_stored").isEmpty(), "the late upload's success is not reported");
        assertEquals("recording.upload_interrupted", stored().callAudio().orElseThrow().failure());
        assertEquals(SessionStatus.COMPLETED, stored().status());
    }

    @Test
    void a_grant_refused_is_audited_and_nothing_is_uploaded() throws Exception {
        CallAudioRecorder recorder = new CallAudioRecorder(directory);
        ControlPlane refusing = new ForwardingControlPlane(controlPlane()) {
            @Override
            public CallAudioGrant callAudioGrant() {
                throw ai.interviewinsights.domain.model.DomainException.unavailable("recording.unavailable",
                        "api.video is down");
            }
        };
        recorder.bind(refusing, () -> true, uploader());
        recorder.wanted();
        Path file = wav(directory.resolve("proxy_1.wav"), 2_400, (short) 100, (short) 100);
        recorder.recorded(file);
        runner().end(EndReason.CANDIDATE_ENDED, null, List.of());
        recorder.endReported();
        assertTrue(recorder.awaitIdle(Duration.ofSeconds(20)));

        assertEquals(0, apiVideo.getRequestCount());
        assertEquals("recording.unavailable", audited("session.call_audio_failed").get(0).details().get("code"));
        assertEquals(SessionStatus.COMPLETED, stored().status());
        assertFalse(Files.exists(file));
    }

    @Test
    void a_runner_stopped_before_its_end_uploads_nothing_and_deletes_what_it_recorded() throws Exception {
        CallAudioRecorder recorder = new CallAudioRecorder(directory);
        recorder.bind(controlPlane(), () -> true, uploader());
        recorder.wanted();
        Path file = wav(directory.resolve("proxy_1.wav"), 2_400, (short) 100, (short) 100);
        recorder.discard();
        recorder.recorded(file); // the bridge hangs up after the stop began

        assertTrue(recorder.awaitIdle(Duration.ofSeconds(1)));
        assertFalse(Files.exists(file));
        assertEquals(0, apiVideo.getRequestCount());
        assertTrue(audited("session.call_audio_failed").isEmpty(), "a replacement runner may still record");
    }

    @Test
    void a_call_that_recorded_no_audio_is_reported_as_such_and_nothing_is_uploaded() throws Exception {
        CallAudioRecorder recorder = new CallAudioRecorder(directory);
        recorder.bind(controlPlane(), () -> true, uploader());
        recorder.wanted();
        recorder.recorded(wav(directory.resolve("proxy_1.wav"), 0, (short) 0, (short) 0)); // the offer failed
        runner().end(EndReason.CANDIDATE_ENDED, null, List.of());
        recorder.endReported();
        assertTrue(recorder.awaitIdle(Duration.ofSeconds(20)));

        assertEquals(0, apiVideo.getRequestCount());
        assertEquals("recording.no_audio", audited("session.call_audio_failed").get(0).details().get("code"));
        assertFalse(Files.exists(directory));
    }

    @Test
    void the_calls_of_one_runner_are_joined_into_one_wav_in_order() throws Exception {
        Path first = wav(directory.resolve("a.wav"), 10, (short) 1, (short) 2);
        Path second = wav(directory.resolve("b.wav"), 5, (short) 3, (short) 4);
        Path joined = CallAudioRecorder.join(List.of(first, second), directory.resolve("call.wav"));
        byte[] bytes = Files.readAllBytes(joined);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 15 * 4, bytes.length);
        assertEquals(36 + 15 * 4, b.getInt(4));
        assertEquals(15 * 4, b.getInt(40));
        assertEquals(1, b.getShort(44));
        assertEquals(3, b.getShort(44 + 10 * 4));
        assertEquals(4, b.getShort(44 + 10 * 4 + 2));
        assertArrayEquals(java.util.Arrays.copyOfRange(Files.readAllBytes(second), 44, 64),
                java.util.Arrays.copyOfRange(bytes, 84, 104));
    }

    /** Everything logged while open (logback's root logger). */
    static final class LogLines implements AutoCloseable {
        private final ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        private final ch.qos.logback.classic.Level previous = root.getLevel();

        LogLines() {
            appender.start();
            root.addAppender(appender);
            root.setLevel(ch.qos.logback.classic.Level.TRACE);
        }

        String text() {
            StringBuilder all = new StringBuilder();
            List<ch.qos.logback.classic.spi.ILoggingEvent> events;
            synchronized (appender) { // the lock AppenderBase appends under: the upload thread may still log
                events = new java.util.ArrayList<>(appender.list);
            }
            for (var event : events) {
                all.append(event.getFormattedMessage()).append('\n');
            }
            return all.toString();
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            root.setLevel(previous);
        }
    }
}
