/**
 * A writer in its own process, for tests that need a second process on the same SQLite file or a process to
 * kill. Appends `count` events (0 = until killed) from `concurrency` concurrent writers, and prints
 * `ack <streamId> <revision> <position>` synchronously once each append is acknowledged.
 */
import { writeSync } from "node:fs";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";

async function main(): Promise<void> {
  const [path, prefix = "child", countText = "0", concurrencyText = "1"] = process.argv.slice(2);
  if (!path) throw new Error("usage: sqlite-writer.child.ts <path> [prefix] [count] [concurrency]");
  const count = Number(countText);
  const concurrency = Number(concurrencyText);
  const store = openSqliteEventStore({ path, pollIntervalMs: 20 });
  let issued = 0;
  writeSync(1, "ready\n");
  await Promise.all(
    Array.from({ length: concurrency }, async (_, writer) => {
      while (count === 0 || issued < count) {
        const n = issued++;
        const streamId = `${prefix}${writer}-1`;
        const result = await store.appendToStream(streamId, [
          { type: "ChildWrote", data: { n, writer }, metadata: { actor: "child", commandId: `c${n}` } },
        ]);
        writeSync(1, `ack ${streamId} ${result.nextExpectedRevision} ${result.position}\n`);
      }
    }),
  );
  await store.close();
}

main().catch((error: unknown) => {
  writeSync(2, `${String(error)}\n`);
  process.exit(1);
});
