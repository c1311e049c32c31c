package ai.interviewinsights.domain.testing;

import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.Role;
import ai.interviewinsights.domain.model.identity.SessionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.identity.UserId;
import ai.interviewinsights.domain.model.interview.InterviewSettings;
import ai.interviewinsights.domain.model.interview.SettingsCatalog;
import ai.interviewinsights.domain.model.interview.SettingsRequest;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.model.position.Tenant;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.Speaker;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.model.transcript.TranscriptSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Ready-made records for tests: two tenants (ACME and a hostile GLOBEX), a position, a candidate, principals. */
public final class Fixtures {

    public static final TenantId ACME = TenantId.of("11111111-1111-4111-8111-111111111111");
    public static final TenantId GLOBEX = TenantId.of("22222222-2222-4222-8222-222222222222");

    private Fixtures() {
    }

    public static Tenant tenant(TenantId id) {
        return new Tenant(id, id.equals(ACME) ? "Acme Corp" : id.equals(GLOBEX) ? "Globex" : "Tenant " + id);
    }

    public static Position position(TenantId tenant) {
        return position(new PositionId(UUID.randomUUID()), tenant);
    }

    public static Position position(PositionId id, TenantId tenant) {
        return new Position(id, tenant, "Backend Engineer", "Builds the interview platform's Java services.",
                List.of(new Competency("System design", "Designs for failure and scale", 3),
                        new Competency("Communication", "Explains trade-offs clearly", 2)));
    }

    public static Candidate candidate(TenantId tenant) {
        return candidate(new CandidateId(UUID.randomUUID()), tenant);
    }

    public static Candidate candidate(CandidateId id, TenantId tenant) {
        return new Candidate(id, tenant, "Ada Lovelace", "ada@example.com");
    }

    public static InterviewSettings settings() {
        return SettingsCatalog.defaults().resolve(SettingsRequest.defaults());
    }

    public static Principal admin(TenantId tenant) {
        return Principal.staff(tenant, new UserId(UUID.nameUUIDFromBytes(("admin" + tenant).getBytes())), Role.ADMIN);
    }

    public static Principal interviewer(TenantId tenant) {
        return Principal.staff(tenant, new UserId(UUID.nameUUIDFromBytes(("int" + tenant).getBytes())),
                Role.INTERVIEWER);
    }

    public static Principal candidatePrincipal(TenantId tenant, SessionId session) {
        return Principal.sessionBound(tenant, new UserId(session.value()), Role.CANDIDATE, session);
    }

    public static Principal runnerPrincipal(TenantId tenant, SessionId session) {
        return Principal.sessionBound(tenant, new UserId(session.value()), Role.RUNNER, session);
    }

    public static TranscriptEntry entry(SessionId session, String key, long position, Speaker speaker, String text) {
        return TranscriptEntry.complete(session, IdempotencyKey.of(key), speaker, text,
                Instant.parse("2026-11-22T10:00:00Z").plusSeconds(position), position, TranscriptSource.SIDEBAND);
    }

    /** A text resource from this test-jar, e.g. {@code sdp/chrome-offer.sdp}, byte for byte. */
    public static String resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
