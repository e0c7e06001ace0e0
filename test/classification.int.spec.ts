/**
 * Every string the ledger stores is classified (events/catalogue/classification.ts, projections/classification.ts):
 * the compiler checks the events' declared fields; these tests check what the types cannot see — the strings
 * real events carry (the demo data, imported through the commands) and every text column of every read model.
 */
import { openSqlitePersonalDataVault } from "../events/adapters/sqlite/sqlite-personal-data-vault";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { RecordedEvent } from "../events/envelope";
import { categoryOf, METADATA_FIELDS, stringsOf } from "../events/catalogue/classification";
import { READ_MODEL_COLUMNS } from "../projections/classification";
import { tablesOf } from "../projections/projection";
import { ReadModelDatabase } from "../projections/read-model-db";
import { SERVICE_PROJECTIONS } from "../projections/registry";
import { demoDataPath, readDataset } from "../scripts/demo-data/commands";
import { importDemoData } from "../scripts/demo-data/import";
import { recordOfProcessing } from "../services/audit/personal-data";

/** Paths of strings in an event that nothing classifies: what a new field would add. */
function unclassified(event: Pick<RecordedEvent, "type" | "data" | "metadata">): string[] {
  const missing: string[] = [];
  for (const path of stringsOf(event.data)) {
    if (!categoryOf(event.type, path, event.data)) missing.push(`${event.type}.${path.join(".")}`);
  }
  for (const key of Object.keys(event.metadata)) {
    if (!(key in METADATA_FIELDS)) missing.push(`metadata.${key}`);
  }
  return missing;
}

describe("the classification of personal data", () => {
  let events: RecordedEvent[];

  beforeAll(async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await importDemoData(
      store,
      readDataset(demoDataPath()),
      "2026-11-30T12:00:00.000Z",
      openSqlitePersonalDataVault({ vault: ":memory:", erasureRegister: ":memory:" }),
    );
    events = [];
    for await (const event of store.readAll()) events.push(event);
    await store.close();
  });

  it("covers every string of every event the demo data imports, data and metadata", () => {
    expect(new Set(events.map((e) => e.type)).size).toBeGreaterThanOrEqual(10);
    expect(events.flatMap(unclassified)).toEqual([]);
  });

  it("names a signatory's name and role as personal, and reads a correction's fields as the corrected fact's", () => {
    expect(categoryOf("MoUSigned", ["signatories", 0, "person"])).toBe("person-name");
    expect(categoryOf("MoUSigned", ["signatories", 1, "role"])).toBe("person-role");
    const correction = { corrects: { revision: 1, type: "MoUSigned" }, after: { signatories: [{ person: "X" }] } };
    expect(categoryOf("FactCorrected", ["after", "signatories", 0, "person"], correction)).toBe("person-name");
    expect(categoryOf("MilestoneRecorded", ["details", "anything"])).toBe("free-text");
  });

  it("fails on a string field nobody classified", () => {
    const event = events.find((e) => e.type === "MoUSigned")!;
    const withContact = { ...event, data: { ...(event.data as object), contactEmail: "someone@chu.fr" } };
    expect(unclassified(withContact)).toEqual(["MoUSigned.contactEmail"]);
    expect(unclassified({ ...event, metadata: { ...event.metadata, ip: "10.0.0.1" } as never })).toEqual([
      "metadata.ip",
    ]);
  });

  it("covers every text column of every read model, and lists no column that does not exist", () => {
    const problems: string[] = [];
    for (const definition of Object.values(SERVICE_PROJECTIONS).flat()) {
      const rm = new ReadModelDatabase(":memory:");
      const tables = tablesOf(definition.name, definition.version, definition.tables);
      definition.setup(rm, tables);
      const classified = (READ_MODEL_COLUMNS as unknown as Record<string, Record<string, Record<string, string>>>)[
        definition.name
      ];
      for (const [table, name] of Object.entries(tables)) {
        const columns = rm.all<{ name: string; type: string }>(`PRAGMA table_info("${name}")`);
        const known = classified?.[table] ?? {};
        for (const column of columns) {
          if (column.type === "TEXT" && !(column.name in known))
            problems.push(`${definition.name}.${table}.${column.name}`);
        }
        for (const column of Object.keys(known)) {
          if (!columns.some((c) => c.name === column)) problems.push(`no column ${definition.name}.${table}.${column}`);
        }
      }
      rm.close();
    }
    expect(problems).toEqual([]);
  });

  it("gives the DPO every personal field with its purpose, legal basis and retention", () => {
    const record = recordOfProcessing(true);
    expect(record.every((line) => line.personal !== "no")).toBe(true);
    expect(record).toContainEqual(
      expect.objectContaining({ kind: "event", record: "MoUSigned", field: "signatories.person", personal: "yes" }),
    );
    expect(record).toContainEqual(
      expect.objectContaining({ kind: "metadata", field: "actor", category: "recorder", personal: "yes" }),
    );
    expect(record).toContainEqual(
      expect.objectContaining({ kind: "read model", record: "partnership_summary.facts", field: "data" }),
    );
    for (const line of record) expect([line.purpose, line.legalBasis, line.retention].every(Boolean)).toBe(true);
    expect(recordOfProcessing(false).length).toBeGreaterThan(record.length);
  });
});
