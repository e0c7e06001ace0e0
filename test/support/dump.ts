import type { ProjectionDefinition } from "../../projections/projection";
import { tablesOf } from "../../projections/projection";
import type { ReadModelDatabase } from "../../projections/read-model-db";

/** Every row of every table of the given projection versions, in a stable order: for equality checks. */
export function dumpReadModels(
  rm: ReadModelDatabase,
  definitions: readonly ProjectionDefinition[],
): Record<string, unknown[]> {
  const dump: Record<string, unknown[]> = {};
  for (const definition of definitions) {
    const tables = tablesOf(definition.name, definition.version, definition.tables);
    for (const [name, table] of Object.entries<string>(tables)) {
      const columns = rm.all<{ name: string }>(`PRAGMA table_info("${table}")`).length;
      const order = Array.from({ length: columns }, (_, i) => i + 1).join(", ");
      dump[`${definition.name}.${name}`] = rm.all(`SELECT * FROM "${table}" ORDER BY ${order}`);
    }
  }
  return dump;
}
