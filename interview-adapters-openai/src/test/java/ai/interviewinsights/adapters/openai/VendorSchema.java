package ai.interviewinsights.adapters.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's own request schemas (from its published OpenAPI spec, see {@code vendor/README.md}), to check that what the
 * adapter sends is something OpenAI documents.
 */
final class VendorSchema {

    private static final JsonNode SPEC = load();

    private VendorSchema() {
    }

    /** The problems the vendor's schema finds in {@code body}, as text; empty when it conforms. */
    static List<String> problems(String schemaName, JsonNode body) {
        ObjectNode root = SPEC.deepCopy();
        root.put("$ref", "#/components/schemas/" + schemaName);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> messages = schema.validate(body);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonNode load() {
        try (InputStream in = VendorSchema.class.getResourceAsStream("/vendor/openai-openapi-subset.json")) {
            if (in == null) {
                throw new IllegalStateException("vendor/openai-openapi-subset.json is missing from the test resources");
            }
            return OpenAiTesting.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
