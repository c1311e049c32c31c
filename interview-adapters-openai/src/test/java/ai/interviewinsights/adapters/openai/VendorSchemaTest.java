package ai.interviewinsights.adapters.openai;

import static ai.interviewinsights.adapters.openai.OpenAiTesting.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The vendor-schema check is not vacuous: it rejects bodies OpenAI would reject. */
class VendorSchemaTest {

    @Test
    void a_ga_client_secret_request_conforms() {
        assertEquals(List.of(), VendorSchema.problems("RealtimeCreateClientSecretRequest", json("""
                {"expires_after": {"anchor": "created_at", "seconds": 600},
                 "session": {"type": "realtime", "model": "gpt-realtime"}}""")));
    }

    @Test
    void an_expiry_outside_10_to_7200_seconds_is_caught() {
        assertFalse(VendorSchema.problems("RealtimeCreateClientSecretRequest", json("""
                {"expires_after": {"anchor": "created_at", "seconds": 5},
                 "session": {"type": "realtime", "model": "gpt-realtime"}}""")).isEmpty());
    }

    @Test
    void a_session_without_its_type_is_caught() {
        assertFalse(VendorSchema.problems("RealtimeCallCreateRequest", json("""
                {"sdp": "v=0", "session": {"model": "gpt-realtime"}}""")).isEmpty());
    }

    @Test
    void a_call_request_with_an_unknown_part_is_caught() {
        assertFalse(VendorSchema.problems("RealtimeCallCreateRequest", json("""
                {"sdp": "v=0", "session": {"type": "realtime"}, "model": "gpt-realtime"}""")).isEmpty());
    }

    @Test
    void a_json_schema_format_without_a_name_is_caught() {
        assertFalse(VendorSchema.problems("CreateResponse", json("""
                {"model": "gpt-5-mini", "input": "hi",
                 "text": {"format": {"type": "json_schema", "schema": {"type": "object"}, "strict": true}}}"""))
                .isEmpty());
    }
}
