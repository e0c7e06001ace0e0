/**
 * The record of processing, read from the classification the code itself is held to: every event field,
 * every metadata field and every read-model column, with its category's purpose, legal basis and retention.
 */
import {
  DATA_CATEGORIES,
  EVENT_FIELDS,
  METADATA_FIELDS,
  processingEntries,
  type DataCategory,
  type ProcessingEntry,
} from "../../events/catalogue/classification";
import { AS_EVENT_DATA, READ_MODEL_COLUMNS } from "../../projections/classification";

export interface RecordOfProcessingLine extends ProcessingEntry {
  readonly kind: "event" | "metadata" | "read model";
}

export function recordOfProcessing(personalOnly: boolean): RecordOfProcessingLine[] {
  const lines: RecordOfProcessingLine[] = [];
  for (const [type, fields] of Object.entries(EVENT_FIELDS)) {
    for (const entry of processingEntries(type, fields)) lines.push({ kind: "event", ...entry });
  }
  for (const entry of processingEntries("every event", METADATA_FIELDS)) lines.push({ kind: "metadata", ...entry });
  for (const [projection, tables] of Object.entries(READ_MODEL_COLUMNS)) {
    for (const [table, columns] of Object.entries(tables as Record<string, Record<string, string>>)) {
      for (const [column, category] of Object.entries(columns)) {
        const record = `${projection}.${table}`;
        if (category === AS_EVENT_DATA) {
          // Such a column holds personal data exactly where the event's own fields do.
          lines.push({
            kind: "read model",
            record,
            field: column,
            category: "free-text",
            personal: "may",
            purpose: "a copy of an event's data, its fields classified as the event's",
            legalBasis: DATA_CATEGORIES["free-text"].legalBasis,
            retention: "as the event's fields; rebuilt from the log",
          });
          continue;
        }
        const known = category as DataCategory;
        const { personal, purpose, legalBasis, retention } = DATA_CATEGORIES[known];
        lines.push({
          kind: "read model",
          record,
          field: column,
          category: known,
          personal,
          purpose,
          legalBasis,
          retention,
        });
      }
    }
  }
  return personalOnly ? lines.filter((line) => line.personal !== "no") : lines;
}
