/**
 * People the ledger names, as their events leave them: the sealed identity (opened by the service with the
 * person's key, never stored here in clear), and, once forgotten, when and why — the identity dropped.
 */
import { defineProjection, type Sql, type Tables } from "../projection";
import type { Sealed } from "../../events/personal-data/vault";

type Table = "people";

export interface PersonRow {
  readonly id: string;
  readonly institution_id: string;
  readonly identity: Sealed | null;
  readonly recorded_at: string;
  readonly forgotten_at: string | null;
  readonly basis: string | null;
}

export const people = defineProjection<Table>({
  name: "people",
  version: 1,
  tables: ["people"],
  setup(sql, tables) {
    sql.run(
      `CREATE TABLE ${tables.people} (id TEXT PRIMARY KEY, institution_id TEXT NOT NULL, identity TEXT,
        recorded_at TEXT NOT NULL, forgotten_at TEXT, basis TEXT)`,
    );
  },
  handlers: {
    PersonRecorded(event, sql, tables) {
      const { personId, institutionId, identity } = event.data;
      sql.run(
        `INSERT INTO ${tables.people} (id, institution_id, identity, recorded_at) VALUES (?, ?, ?, ?)`,
        personId,
        institutionId,
        identity,
        event.recordedAt,
      );
    },
    PersonForgotten(event, sql, tables) {
      sql.run(
        `UPDATE ${tables.people} SET identity = NULL, forgotten_at = ?, basis = ? WHERE id = ?`,
        event.recordedAt,
        event.data.basis,
        event.data.personId,
      );
    },
  },
});

export function personById(sql: Sql, tables: Tables<Table>, id: string): PersonRow | undefined {
  return sql.get<PersonRow>(`SELECT * FROM ${tables.people} WHERE id = ?`, id);
}
