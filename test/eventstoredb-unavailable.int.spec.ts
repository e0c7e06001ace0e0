import { openEventStoreDb } from "../events/adapters/eventstoredb/eventstoredb-event-store";

// Runs everywhere: a real client against a port where no server listens. It checks that an unreachable
// EventStoreDB surfaces as an error instead of a hang, which is what `npm start` relies on to report it.
describe("EventStoreDB adapter without a server", () => {
  it("fails an append fast with the client's UNAVAILABLE error", async () => {
    const store = openEventStoreDb({
      connectionString: "esdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=1",
    });
    await expect(
      store.appendToStream("partnership-1", [
        { type: "PartnershipProposed", data: {}, metadata: { actor: "t", commandId: "c" } },
      ]),
    ).rejects.toThrow(/UNAVAILABLE|connect|ECONNREFUSED|discover/i);
    await store.close();
  }, 20_000);
});
