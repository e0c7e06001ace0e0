/**
 * A projection runner in its own process, to be killed: follows the store at `storePath` into the read models
 * at `readModelPath` with small batches, printing `checkpoint <position>` as it advances.
 */
import { writeSync } from "node:fs";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { ProjectionRunner } from "../../projections/runner";
import { SERVICE_PROJECTIONS } from "../../projections/registry";

const [storePath, readModelPath] = process.argv.slice(2);
const store = openSqliteEventStore({ path: storePath!, pollIntervalMs: 20 });
const rm = new ReadModelDatabase(readModelPath!);
const runner = new ProjectionRunner(store, rm, SERVICE_PROJECTIONS.partnerships, { batchSize: 50 });
runner.start();
let last = "";
setInterval(() => {
  const checkpoint = rm.projection("partnership_summary", 1)?.checkpoint ?? "0";
  if (checkpoint !== last) writeSync(1, `checkpoint ${(last = checkpoint)}\n`);
}, 2);
