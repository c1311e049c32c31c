package ai.interviewinsights.adapters.supabase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The adapter's one Jackson mapper, for claims and jsonb columns. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // Only ever reads what the database stored as jsonb; a failure means a corrupt row, not bad input.
            throw new IllegalStateException("a stored JSON document could not be read", e);
        }
    }
}
