import type { EventStore } from "../../events/port";
import type { ProjectionDefinition } from "../../projections/projection";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { rebuildProjection } from "../../projections/rebuild";

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

/**
 * The read models a service left in its file, and the same definitions rebuilt from zero from the log: the two
 * dumps a test compares (a served read model must equal a rebuild).
 */
export async function servedAndRebuilt(
  store: EventStore,
  servedPath: string,
  definitions: readonly ProjectionDefinition[],
): Promise<{ served: Record<string, unknown[]>; rebuilt: Record<string, unknown[]> }> {
  const served = new ReadModelDatabase(servedPath);
  const fresh = new ReadModelDatabase(":memory:");
  try {
    for (const definition of definitions) await rebuildProjection(store, fresh, definition);
    return { served: dumpReadModels(served, definitions), rebuilt: dumpReadModels(fresh, definitions) };
  } finally {
    served.close();
    fresh.close();
  }
}
