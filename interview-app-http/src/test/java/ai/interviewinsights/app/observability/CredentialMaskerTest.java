package ai.interviewinsights.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import org.junit.jupiter.api.Test;

/**
 * The guarded maskers write exactly what the library's plain chain of the same patterns writes (a logstash
 * {@code ValueMask}, as the configuration had it before), on values built to sit at every pattern's edges.
 */
class CredentialMaskerTest {

    private static final List<String> PIECES = List.of("eyJ", "eyJhbGciOi", "eyJzdWIi", ".", "..", "sk-", "sk", "ek_",
            "ek", "fm1r_", "fm1a_", "fm2_", "fm1_", "fm", "Bearer ", "bEaReR ", "BEARER", "FLYV1 ", "flyv1 ", "FlyV1",
            " ", "  ", "abcdefgh", "12345678", "Zz9", "_-", "+/=", "~", "x", ":", "\"", "\u00e9", "\u017f", "\u212a",
            "\n", "\t", "token=", "Authorization: ", "{\"key\":\"", "https://api.openai.com/v1?key=");

    private static String written(MaskingJsonGeneratorDecorator decorator, String value) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = decorator.decorate(new JsonFactory().createGenerator(out))) {
            generator.writeStartObject();
            generator.writeStringField("message", value);
            generator.writeEndObject();
        }
        return out.toString();
    }

    @Test
    void the_guarded_maskers_write_what_the_plain_chain_of_the_same_patterns_writes() throws IOException {
        MaskingJsonGeneratorDecorator plain = new MaskingJsonGeneratorDecorator();
        MaskingJsonGeneratorDecorator.ValueMask chain = new MaskingJsonGeneratorDecorator.ValueMask();
        LogConfiguration.CREDENTIALS.forEach(c -> chain.addValue(c.regex()));
        chain.setMask(LogConfiguration.MASK);
        plain.addValueMask(chain);
        plain.start();
        MaskingJsonGeneratorDecorator guarded = new MaskingJsonGeneratorDecorator();
        guarded.addValueMasker(new CredentialMasker(LogConfiguration.CREDENTIALS, LogConfiguration.MASK));
        guarded.start();

        List<Pattern> patterns = LogConfiguration.CREDENTIALS.stream().map(c -> Pattern.compile(c.regex())).toList();
        Random random = new Random(16);
        int masked = 0;
        for (int i = 0; i < 40_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = 1 + random.nextInt(14); n > 0; n--) {
                value.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            for (int c = 0; c < patterns.size(); c++) {
                // Stronger than comparing the lines: every match of a pattern passes that pattern's own test.
                Matcher match = patterns.get(c).matcher(value);
                while (match.find()) {
                    assertTrue(LogConfiguration.CREDENTIALS.get(c).mayMatch().test(match.group()),
                            patterns.get(c) + " matched '" + match.group() + "', which its test refuses");
                }
            }
            String expected = written(plain, value.toString());
            assertEquals(expected, written(guarded, value.toString()), value.toString());
            if (expected.contains(LogConfiguration.MASK)) {
                masked++;
            }
        }
        assertTrue(masked > 4_000, "the values reach the patterns: " + masked + " of 40,000 masked");
        for (String secret : List.of("Bearer abcdefghijklmnopqrstuvwxyz0123", "flyv1 fm2_lJPECAAAAAAAAMR0xBBABCDEFG",
                "sk-proj-abcdefghijklmnop0123", "ek_68af0123456789abcdef", "fm1r_abcdefgh", "fm1a_abcdefgh",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")) {
            String line = written(guarded, secret);
            assertTrue(line.contains(LogConfiguration.MASK) && !line.contains(secret.substring(secret.length() - 8)),
                    line);
        }
    }
}
