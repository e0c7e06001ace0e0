/**
 * Imports the demo dataset through the command handler — the same path as any client's command — so every
 * rule applies. Command ids are fixed by the data: importing twice appends nothing the second time.
 */
import type { EventStore } from "../../events/port";
import { CommandIdReusedError, handleCommand } from "../../services/common/command-handler";
import { deciderFor } from "../../domain/deciders";
import { demoCommands, type Dataset } from "./commands";

export interface ImportResult {
  readonly commands: number;
  /** Commands that appended events (the rest had already been imported). */
  readonly applied: number;
  /** Commands the dataset now words differently from when they were imported: left as the ledger has them. */
  readonly changed: number;
  readonly position: string;
}

export async function importDemoData(store: EventStore, dataset: Dataset, now: string): Promise<ImportResult> {
  let applied = 0;
  let changed = 0;
  let position = await store.headPosition();
  const commands = demoCommands(dataset, { now });
  for (const command of commands) {
    try {
      const result = await handleCommand(store, deciderFor(command), command);
      if (!result.replayed) applied += 1;
      position = result.position;
    } catch (error) {
      // The dataset changed since this data folder imported it: the ledger keeps what it recorded.
      if (!(error instanceof CommandIdReusedError)) throw error;
      changed += 1;
    }
  }
  return { commands: commands.length, applied, changed, position };
}
