package ai.interviewinsights.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one reading of {@code Authorization: Bearer}, shared by the control plane and the runner. */
class BearerTokenTest {

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc.def", "bearer abc.def", "BEARER abc.def", "Bearer   abc.def  "})
    void the_scheme_is_read_in_any_case_and_the_token_stripped(String header) {
        assertEquals("abc.def", BearerToken.from(header));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer    ", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearerabc"})
    void anything_else_is_auth_missing(String header) {
        DomainException e = assertThrows(DomainException.class, () -> BearerToken.from(header));
        assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
        assertEquals("auth.missing", e.code());
    }
}
