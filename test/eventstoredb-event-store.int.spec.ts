import { EventStoreDBClient, jsonEvent } from "@eventstore/db-client";
import { openEventStoreDb } from "../events/adapters/eventstoredb/eventstoredb-event-store";
import { toEventData } from "../events/adapters/eventstoredb/mapping";
import { eventStoreContract } from "./event-store.contract";
import { describeWithEventStoreDb } from "./support/eventstoredb";

describeWithEventStoreDb("EventStoreDB event store: contract", (connectionString) => {
  eventStoreContract(async () => {
    const store = openEventStoreDb({ connectionString });
    const raw = EventStoreDBClient.connectionString(connectionString);
    return {
      store,
      // The server's log is immutable: a forger can only append around the chain layer.
      forge: async (event) => {
        const data = toEventData(event);
        await raw.appendToStream(
          event.streamId,
          jsonEvent({
            id: data.id,
            type: data.type,
            data: data.data as Record<string, unknown>,
            metadata: data.metadata,
          }),
        );
      },
      dispose: async () => {
        await raw.dispose();
        await store.close();
      },
    };
  });
});
