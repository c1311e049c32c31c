package ai.interviewinsights.app.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.stream.Collectors;

/** Describes a JSON error by where it is, without echoing the client's input back. */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "problem at '" + path + "'";
        }
        if (e.getLocation() != null) {
            return "syntax error at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return "unreadable body";
    }
}
