package ai.interviewinsights.app.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration of the HTTP edge: snake_case, ISO-8601 instants, strict about unknown types only. */
public final class Json {

    private Json() {
    }

    private static final ObjectMapper SHARED = mapper();

    /**
     * One mapper for a whole process that never reconfigures it (a runner): Jackson caches what it learns about each
     * type per mapper, so sharing one lets the runner's warm-up serve every later message.
     */
    public static ObjectMapper shared() {
        return SHARED;
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                // After JavaTimeModule: the plain UTC instants by hand, every other case by its codec (decision 26).
                .registerModule(InstantCodec.module())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Clients may send fields we do not know yet (newer clients, the design documents' extras).
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
