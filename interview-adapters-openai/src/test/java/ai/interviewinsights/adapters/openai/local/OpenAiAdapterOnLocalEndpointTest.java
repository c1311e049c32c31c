package ai.interviewinsights.adapters.openai.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.OpenAiAdapters;
import ai.interviewinsights.adapters.openai.OpenAiConfig;
import ai.interviewinsights.adapters.openai.webrtc.BrowserPeer;
import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.Secret;
import ai.interviewinsights.domain.model.realtime.ClientSecret;
import ai.interviewinsights.domain.model.realtime.RealtimeCallId;
import ai.interviewinsights.domain.model.realtime.RealtimeSessionConfig;
import ai.interviewinsights.domain.model.realtime.RelayedCall;
import ai.interviewinsights.domain.model.sdp.SdpOffer;
import ai.interviewinsights.domain.model.transcript.RealtimeEvent;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.port.out.RealtimeGateway;
import ai.interviewinsights.domain.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production OpenAI adapter, unchanged, pointed at the local endpoint: the same operations its MockWebServer
 * contract test ({@code OpenAiRealtimeGatewayContractTest}) holds it to - the SDP relay, client secrets, the sideband
 * delivering the call's transcript events in order and then the end of the call, hang-up - but answered by the real
 * thing: a webrtc-java peer, the scripted interviewer, GA events.
 */
class OpenAiAdapterOnLocalEndpointTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final RealtimeSessionConfig CONFIG = new RealtimeSessionConfig(
            "You are a friendly interviewer for Acme Corp.", "marin", "gpt-realtime", "gpt-4o-transcribe", "en",
            Duration.ofMinutes(30));
    static LocalRealtime local;
    static OpenAiAdapters openai;

    @BeforeAll
    static void start() {
        local = LocalRealtime.start(LocalRealtime.Options.defaults().withVoice(LocalRealtimeCallTest.TEXT_MODE));
        openai = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of(local.apiKey())).withBaseUrl(local.baseUrl())
                .withSideband(new OpenAiConfig.Reconnect(Duration.ofMillis(20), Duration.ofMillis(100),
                        Duration.ofSeconds(5), Duration.ofSeconds(10))), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        openai.close();
        local.close();
    }

    RealtimeGateway gateway() {
        return openai.realtime();
    }

    @Test
    void relaying_chromes_offer_returns_a_valid_answer_and_an_rtc_call_id() {
        RelayedCall call = gateway().relay(SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp")), CONFIG);
        assertTrue(call.callId().value().matches("rtc_[0-9a-f]{32}"), call.callId().value());
        assertTrue(call.answer().text().contains("a=fingerprint:sha-256"), "a DTLS answer");
        assertTrue(call.answer().text().contains("webrtc-datachannel"), "the data channel is answered");
        gateway().hangUp(call.callId());
    }

    @Test
    void a_client_secret_is_an_expiring_ek_value_that_opens_one_call() throws Exception {
        Instant before = Instant.now();
        ClientSecret secret = gateway().mintClientSecret(CONFIG, Duration.ofMinutes(2));
        Instant after = Instant.now();
        assertTrue(secret.value().reveal().startsWith("ek_"));
        // About 2 minutes from the mint, which happened between before and after: measured from before alone, a
        // mint taking two seconds or more (a JIT-cold first request on a loaded machine) failed the upper bound.
        assertTrue(!secret.expiresAt().isBefore(before.plusSeconds(115))
                && !secret.expiresAt().isAfter(after.plusSeconds(121)), "expires in about 2 minutes, not at "
                + secret.expiresAt() + " (minted between " + before + " and " + after + ")");
        String chrome = Fixtures.resource("sdp/chrome-offer.sdp");
        HttpResponse<String> first = postSdp(secret.value().reveal(), chrome);
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = postSdp(secret.value().reveal(), chrome);
        assertEquals(401, again.statusCode(), "a client secret opens one call");
        assertEquals("invalid_api_key", Wire.JSON.readTree(again.body()).path("error").path("code").asText());
        String location = first.headers().firstValue("Location").orElseThrow();
        gateway().hangUp(new RealtimeCallId(location.substring(location.lastIndexOf('/') + 1)));
    }

    @Test
    void the_sideband_delivers_both_speakers_in_order_then_the_end_of_the_call_after_hang_up() throws Exception {
        try (BrowserPeer browser = new BrowserPeer()) {
            RelayedCall call = gateway().relay(SdpOffer.validate(browser.offer()), CONFIG);
            browser.answer(call.answer().text());
            List<RealtimeEvent> events = new CopyOnWriteArrayList<>();
            CountDownLatch ended = new CountDownLatch(1);
            CountDownLatch replied = new CountDownLatch(2);
            try (RealtimeGateway.Sideband ignored = gateway().openSideband(call.callId(), event -> {
                events.add(event);
                if (event instanceof RealtimeEvent.ItemAdded added && added.speaker() == Speaker.AI) {
                    replied.countDown();
                }
                if (event instanceof RealtimeEvent.CallEnded) {
                    ended.countDown();
                }
            })) {
                assertTrue(browser.open.await(WAIT.toSeconds(), TimeUnit.SECONDS), "oai-events did not open");
                browser.await(e -> "conversation.item.added".equals(e.path("type").asText())
                        && "assistant".equals(e.path("item").path("role").asText()), WAIT);
                browser.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
                        + "\"content\":[{\"type\":\"input_text\",\"text\":\"I led the billing migration.\"}]}}");
                assertTrue(replied.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the interviewer did not reply: "
                        + events);
                gateway().hangUp(call.callId());
                assertTrue(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the end of the call was not reported");
            }
            List<RealtimeEvent.ItemAdded> items = events.stream()
                    .filter(RealtimeEvent.ItemAdded.class::isInstance).map(RealtimeEvent.ItemAdded.class::cast)
                    .toList();
            assertEquals(List.of(Speaker.AI, Speaker.CANDIDATE, Speaker.AI),
                    items.stream().map(RealtimeEvent.ItemAdded::speaker).toList());
            assertEquals("I led the billing migration.", items.get(1).text());
            assertEquals(items.get(0).itemId(), items.get(1).previousItemId(), "items are chained in order");
            assertEquals(items.get(1).itemId(), items.get(2).previousItemId());
            assertTrue(items.get(0).text() != null && !items.get(0).text().isBlank(), "the greeting has its text");
            assertInstanceOf(RealtimeEvent.CallEnded.class, events.get(events.size() - 1));
        }
    }

    @Test
    void hanging_up_twice_is_fine_and_a_wrong_key_is_refused_like_openai() {
        RelayedCall call = gateway().relay(SdpOffer.validate(Fixtures.resource("sdp/chrome-offer.sdp")), CONFIG);
        gateway().hangUp(call.callId());
        gateway().hangUp(call.callId()); // 404 from the endpoint: the adapter treats the call as already over
        try (OpenAiAdapters wrong = OpenAiAdapters.create(OpenAiConfig.defaults(Secret.of("sk-wrong-key"))
                .withBaseUrl(local.baseUrl()).withRetry(OpenAiConfig.Retry.none()), Clock.systemUTC())) {
            DomainException e = assertThrows(DomainException.class,
                    () -> wrong.realtime().mintClientSecret(CONFIG, Duration.ofMinutes(2)));
            assertEquals("openai.unauthorized", e.code());
        }
    }

    private static HttpResponse<String> postSdp(String key, String sdp) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(local.baseUrl()
                        + "/v1/realtime/calls")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(sdp)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
