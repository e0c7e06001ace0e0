/**
 * `npm start`: the whole system on the embedded store. For now it opens the event store and reports it; the
 * GraphQL API (subgraphs, gateway, demo data) arrives with the federation issue.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { openEventStore } from "../events/open-event-store";

async function main(): Promise<void> {
  const dataDir = resolve(process.env.PASSERELLE_DATA_DIR ?? "data");
  mkdirSync(dataDir, { recursive: true });
  const store = openEventStore({
    eventStoreConnectionString: process.env.EVENTSTORE_CONNECTION_STRING,
    sqlitePath: join(dataDir, "events.db"),
  });
  const head = await store.headPosition();
  console.log(`Passerelle event store: ${store.backend}, head position ${head}`);
  console.log("The GraphQL API (subgraphs, gateway, demo data) is not served yet: it arrives with issue 6.");
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
