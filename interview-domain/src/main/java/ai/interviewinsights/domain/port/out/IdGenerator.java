package ai.interviewinsights.domain.port.out;

import java.util.UUID;

/** Randomness, injected so the domain stays deterministic under test. */
public interface IdGenerator {

    /** A fresh random id. */
    UUID newId();

    /** A fresh unguessable token (at least 128 bits, URL-safe base64 without padding), e.g. for invite links. */
    String newToken();
}
