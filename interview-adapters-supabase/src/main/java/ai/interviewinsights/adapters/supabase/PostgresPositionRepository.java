package ai.interviewinsights.adapters.supabase;

import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.PositionId;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.position.Competency;
import ai.interviewinsights.domain.model.position.Position;
import ai.interviewinsights.domain.port.out.PositionRepository;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Positions and their competencies (a child table, in order). Saving replaces the competencies wholesale in the
 * same transaction as the position row.
 */
final class PostgresPositionRepository implements PositionRepository {

    private final ScopedTransactions db;

    PostgresPositionRepository(ScopedTransactions db) {
        this.db = db;
    }

    private record Row(UUID id, UUID tenant, String title, String description) {
    }

    @Override
    public void save(AccessScope scope, Position position) {
        db.inScope(scope, handle -> {
            int written = handle.createUpdate("""
                            insert into interview.positions (id, tenant_id, title, description)
                            values (:id, :tenant_id, :title, :description)
                            on conflict (id) do update
                                set title = excluded.title, description = excluded.description, updated_at = now()
                                where positions.tenant_id = excluded.tenant_id""")
                    .bind("id", Rows.uuid(position.id().value()))
                    .bind("tenant_id", Rows.uuid(position.tenant().value()))
                    .bind("title", position.title())
                    .bind("description", position.description())
                    .execute();
            if (written != 1) {
                throw SqlErrors.forbidden(); // a system job tried to move another tenant's position
            }
            handle.createUpdate("delete from interview.position_competencies where position_id = :id")
                    .bind("id", Rows.uuid(position.id().value())).execute();
            ArrayNode competencies = Json.MAPPER.createArrayNode();
            for (int ordinal = 0; ordinal < position.competencies().size(); ordinal++) {
                Competency competency = position.competencies().get(ordinal);
                ObjectNode row = competencies.addObject();
                row.put("ordinal", ordinal);
                row.put("name", competency.name());
                row.put("description", competency.description());
                row.put("weight", competency.weight());
            }
            handle.createUpdate("""
                            insert into interview.position_competencies
                                (tenant_id, position_id, ordinal, name, description, weight)
                            select :tenant_id, :id, c.ordinal, c.name, c.description, c.weight
                            from json_to_recordset(cast(:competencies as json))
                                as c(ordinal smallint, name text, description text, weight smallint)""")
                    .bind("id", Rows.uuid(position.id().value()))
                    .bind("tenant_id", Rows.uuid(position.tenant().value()))
                    .bind("competencies", competencies.toString())
                    .execute();
            return null;
        });
    }

    @Override
    public Optional<Position> find(AccessScope scope, PositionId id) {
        return db.inScope(scope, handle -> {
            List<Row> rows = handle.createQuery(
                            "select id, tenant_id, title, description from interview.positions where id = :id")
                    .bind("id", Rows.uuid(id.value()))
                    .map((rs, ctx) -> new Row(Rows.uuid(rs, "id"), Rows.uuid(rs, "tenant_id"), rs.getString("title"),
                            rs.getString("description")))
                    .list();
            return withCompetencies(handle, rows).stream().findFirst();
        });
    }

    @Override
    public List<Position> list(AccessScope scope) {
        return db.inScope(scope, handle -> {
            List<Row> rows = handle.createQuery("""
                            select id, tenant_id, title, description from interview.positions
                            where (cast(:tenant_id as uuid) is null or tenant_id = :tenant_id)
                            order by title collate "C", id""")
                    .bind("tenant_id", Rows.uuid(Scopes.tenantOf(scope)))
                    .map((rs, ctx) -> new Row(Rows.uuid(rs, "id"), Rows.uuid(rs, "tenant_id"), rs.getString("title"),
                            rs.getString("description")))
                    .list();
            return withCompetencies(handle, rows);
        });
    }

    private static List<Position> withCompetencies(Handle handle, List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<Competency>> byPosition = new LinkedHashMap<>();
        rows.forEach(row -> byPosition.put(row.id(), new ArrayList<>()));
        handle.createQuery("""
                        select position_id, name, description, weight from interview.position_competencies
                        where position_id = any(:ids)
                        order by position_id, ordinal""")
                .bind("ids", Rows.uuidArray(byPosition.keySet()))
                .map((rs, ctx) -> Map.entry(Rows.uuid(rs, "position_id"), new Competency(rs.getString("name"),
                        rs.getString("description"), rs.getInt("weight"))))
                .forEach(entry -> byPosition.get(entry.getKey()).add(entry.getValue()));
        List<Position> positions = new ArrayList<>();
        for (Row row : rows) {
            positions.add(new Position(new PositionId(row.id()), new TenantId(row.tenant()), row.title(),
                    row.description(), byPosition.get(row.id())));
        }
        return positions;
    }
}
