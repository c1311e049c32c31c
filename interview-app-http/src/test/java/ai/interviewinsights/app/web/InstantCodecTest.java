package ai.interviewinsights.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.app.controlplane.runnerapi.RunnerApi;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edge's instant codec (decision 26, amended) against Jackson's own {@code JavaTimeModule} codec, the one
 * it stands in front of: the same text written for every instant, and for every text read the same instant or the
 * same kind of error - on generated instants of every fraction length, and on the texts the fast reader must leave
 * to Jackson (numbers, offsets, blanks, leap seconds, impossible dates).
 */
class InstantCodecTest {

    private static final ObjectMapper OURS = Json.mapper();
    private static final ObjectMapper JACKSONS = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static Instant randomInstant(SplittableRandom random) {
        // Years 1-9999 (written by hand) and beyond on both sides (Instant.toString's own), every fraction length.
        long seconds = random.nextInt(10) == 0 ? random.nextLong(Instant.MIN.getEpochSecond(),
                Instant.MAX.getEpochSecond()) : random.nextLong(-62_135_596_800L, 253_402_300_800L);
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }

    @Test
    void every_instant_is_written_as_jacksons_codec_and_toString_write_it() throws Exception {
        SplittableRandom random = new SplittableRandom(26);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX,
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("0000-12-31T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2100-03-01T00:00:00.000001Z"),
                Instant.parse("1969-12-31T23:59:59.000000001Z")));
        for (int i = 0; i < 200_000; i++) {
            instants.add(randomInstant(random));
        }
        for (Instant instant : instants) {
            String ours = OURS.writeValueAsString(instant);
            assertEquals(JACKSONS.writeValueAsString(instant), ours, instant::toString);
            assertEquals('"' + instant.toString() + '"', ours);
            assertEquals(instant, OURS.readValue(ours, Instant.class), ours);
        }
    }

    @Test
    void every_text_reads_as_jacksons_codec_reads_it() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        List<String> texts = new ArrayList<>(List.of("2026-11-29T00:59:00Z", "2026-11-29T00:59:00.5Z",
                "2026-11-29T00:59:00.123456789Z", " 2026-11-29T00:59:00Z ", "2026-11-29T00:59:00+00:00",
                "2026-11-29T00:59:00+0000", "2026-11-29T01:59:00+01:00", "2026-11-29t00:59:00z",
                "2026-11-29T23:59:60Z", "2026-11-29T24:00:00Z", "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z", "+12026-11-29T00:59:00Z", "-0001-11-29T00:59:00Z", "2026-11-29T00:59Z",
                "2026-11-29T00:59:00.Z", "2026-11-29T00:59:00.1234567890Z", "2026-11-29T00:59:00,5Z", "",
                "   ", "1732841940", "1732841940.5", "-1", "yesterday", "2026-11-29"));
        for (int i = 0; i < 100_000; i++) {
            String text = randomInstant(random).toString();
            if (random.nextInt(5) == 0) {
                // A digit or separator changed: mostly texts neither accepts, some that both do.
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = "0123456789-:.TZ+ ".charAt(random.nextInt(17));
                text = new String(chars);
            }
            texts.add(text);
        }
        for (String text : texts) {
            String json = JsonNodeFactory.instance.textNode(text).toString();
            sameAsJacksons(json, text);
        }
        for (String json : List.of("1732841940", "1732841940.5", "-5", "null", "[]", "{}", "true")) {
            sameAsJacksons(json, json);
        }
    }

    private static void sameAsJacksons(String json, String what) throws Exception {
        Instant expected;
        try {
            expected = JACKSONS.readValue(json, Instant.class);
        } catch (Exception e) {
            Exception ours = assertThrows(Exception.class, () -> OURS.readValue(json, Instant.class), what);
            assertEquals(e.getClass(), ours.getClass(), what);
            return;
        }
        assertEquals(expected, OURS.readValue(json, Instant.class), what);
    }

    @Test
    void a_runner_entry_crosses_the_internal_api_with_its_instant_unchanged() throws Exception {
        RunnerApi.Entry entry = new RunnerApi.Entry("item_1", 3, "candidate", "hello", Instant.parse(
                "2026-11-22T10:00:00.120Z"), "client", "complete", null, null);

        String json = OURS.writeValueAsString(entry);

        assertEquals(JACKSONS.writeValueAsString(entry), json);
        assertEquals(entry, OURS.readValue(json, RunnerApi.Entry.class));
        InvalidFormatException bad = assertThrows(InvalidFormatException.class, () -> OURS.readValue(
                json.replace("2026-11-22T10:00:00.120Z", "2026-02-30T10:00:00Z"), RunnerApi.Entry.class));
        assertEquals("spoken_at", bad.getPath().get(0).getFieldName());
    }
}
