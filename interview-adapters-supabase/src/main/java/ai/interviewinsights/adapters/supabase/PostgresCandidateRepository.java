package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Candidate;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Candidates; the policies let staff write them and session-bound principals read only their own candidate. The
 * name and e-mail are sealed with the candidate's own key (see {@link KeyVault}); a row written before encryption
 * is read from its plaintext columns until the re-encryption job has sealed it.
 */
final class PostgresCandidateRepository implements CandidateRepository {

    private static final String COLUMNS = "id, tenant_id, name, email, name_ct, email_ct";

    /** A row as stored, before its fields are opened. */
    private record Stored(UUID id, UUID tenant, String name, String email, byte[] nameCt, byte[] emailCt) {
        static Stored of(ResultSet rs) throws SQLException {
            return new Stored(Rows.uuid(rs, "id"), Rows.uuid(rs, "tenant_id"), rs.getString("name"),
                    rs.getString("email"), rs.getBytes("name_ct"), rs.getBytes("email_ct"));
        }

        boolean sealed() {
            return nameCt != null;
        }
    }

    private final ScopedTransactions db;
    private final KeyVault keys;

    PostgresCandidateRepository(ScopedTransactions db, KeyVault keys) {
        this.db = db;
        this.keys = keys;
    }

    @Override
    public void save(AccessScope scope, Candidate candidate) {
        UUID tenant = candidate.tenant().value();
        UUID id = candidate.id().value();
        db.inScope(scope, handle -> {
            KeyVault.CandidateKey key = keys.candidateKey(handle, tenant, id);
            // An existing row of another tenant is not taken over: for a principal the update policy refuses it
            // (an error), for a system job the WHERE leaves it alone and nothing is written.
            int written = handle.createUpdate("""
                            insert into interview.candidates (id, tenant_id, name, email, name_ct, email_ct)
                            values (:id, :tenant_id, null, null, :name_ct, :email_ct)
                            on conflict (id) do update
                                set name = null, email = null, name_ct = excluded.name_ct,
                                    email_ct = excluded.email_ct, updated_at = now()
                                where candidates.tenant_id = excluded.tenant_id""")
                    .bind("id", Rows.uuid(id))
                    .bind("tenant_id", Rows.uuid(tenant))
                    .bind("name_ct", seal(key, FieldCipher.CANDIDATE_NAME, tenant, id, candidate.name()))
                    .bind("email_ct", seal(key, FieldCipher.CANDIDATE_EMAIL, tenant, id, candidate.email()))
                    .execute();
            if (written != 1) {
                throw SqlErrors.forbidden();
            }
            return null;
        });
    }

    @Override
    public Optional<Candidate> find(AccessScope scope, CandidateId id) {
        return db.inScope(scope, handle -> handle
                .createQuery("select " + COLUMNS + " from interview.candidates where id = :id")
                .bind("id", Rows.uuid(id.value()))
                .map((rs, ctx) -> Stored.of(rs)).findOne()
                .map(stored -> open(handle, List.of(stored)).get(0)));
    }

    @Override
    public List<Candidate> list(AccessScope scope) {
        return db.inScope(scope, handle -> {
            List<Stored> rows = handle.createQuery("select " + COLUMNS + " from interview.candidates"
                            + " where (cast(:tenant_id as uuid) is null or tenant_id = :tenant_id)")
                    .bind("tenant_id", Rows.uuid(Scopes.tenantOf(scope)))
                    .map((rs, ctx) -> Stored.of(rs)).list();
            // Names are sealed, so the database cannot sort them: by name (as collation "C" did), then id.
            List<Candidate> candidates = new ArrayList<>(open(handle, rows));
            candidates.sort(Comparator.comparing(Candidate::name).thenComparing(c -> c.id().value().toString()));
            return candidates;
        });
    }

    private List<Candidate> open(Handle handle, List<Stored> rows) {
        Map<UUID, List<UUID>> byTenant = rows.stream().filter(Stored::sealed)
                .collect(Collectors.groupingBy(Stored::tenant, LinkedHashMap::new,
                        Collectors.mapping(Stored::id, Collectors.toList())));
        Map<UUID, KeyVault.CandidateKey> candidateKeys = new LinkedHashMap<>();
        byTenant.forEach((tenant, ids) -> candidateKeys.putAll(keys.existingCandidateKeys(handle, tenant, ids)));
        List<Candidate> out = new ArrayList<>(rows.size());
        for (Stored row : rows) {
            if (!row.sealed()) {
                out.add(new Candidate(new CandidateId(row.id()), new TenantId(row.tenant()), row.name(),
                        row.email() == null ? "" : row.email()));
                continue;
            }
            KeyVault.CandidateKey key = candidateKeys.get(row.id());
            if (key == null) {
                throw FieldCipher.undecryptable();
            }
            String name = FieldCipher.open(key.aead(), row.nameCt(),
                    FieldCipher.associatedData(FieldCipher.CANDIDATE_NAME, row.tenant(), null, row.id().toString()));
            String email = FieldCipher.open(key.aead(), row.emailCt(),
                    FieldCipher.associatedData(FieldCipher.CANDIDATE_EMAIL, row.tenant(), null, row.id().toString()));
            out.add(new Candidate(new CandidateId(row.id()), new TenantId(row.tenant()), name,
                    email == null ? "" : email));
        }
        return out;
    }

    private static byte[] seal(KeyVault.CandidateKey key, String field, UUID tenant, UUID candidate, String value) {
        return FieldCipher.seal(key.aead(), value,
                FieldCipher.associatedData(field, tenant, null, candidate.toString()));
    }
}
