import {
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  UnavailableError,
} from "@eventstore/db-client";
import { EventStoreDbBackend, openEventStoreDb } from "../events/adapters/eventstoredb/eventstoredb-event-store";
import type { EsdbEventData } from "../events/adapters/eventstoredb/mapping";
import { ChainedEventStore } from "../events/chained-event-store";
import type { NewEvent } from "../events/envelope";
import type { EventStore } from "../events/port";
import { FakeEsdbClient, foreignEvent } from "./eventstoredb-fake-client";

const retry = { initialDelayMs: 1, maxDelayMs: 4, appendAttempts: 3 };
const event: NewEvent = { type: "PartnershipProposed", data: { n: 1 }, metadata: { actor: "t", commandId: "c1" } };

function setup() {
  const client = new FakeEsdbClient();
  const store: EventStore = new ChainedEventStore(new EventStoreDbBackend(client, { retry }));
  const sent = () =>
    client.appendToStream.mock.calls.map(([, events, options]) => ({
      ids: events.map((e: EsdbEventData) => e.id),
      expectedRevision: options.expectedRevision,
    }));
  return { client, store, sent };
}

describe("EventStoreDB append whose answer is lost", () => {
  it.each([
    ["deadline exceeded", () => new DeadlineExceededError()],
    ["unavailable", () => new UnavailableError()],
  ])("sends the same events again after %s, and the server keeps one copy", async (_, error) => {
    const { client, store, sent } = setup();
    client.appendFaults.push({ error: error(), landed: true });
    const result = await store.appendToStream("partnership-1", [event]);
    expect(client.log).toHaveLength(1);
    expect(result).toEqual({ nextExpectedRevision: 0, position: client.log[0]!.position!.commit.toString() });
    const [first, second] = sent();
    expect(second).toEqual(first);
    expect(first!.expectedRevision).toBe("no_stream");
  });

  it("takes a conflict on the retry for success when the stream holds the very events sent", async () => {
    const { client, store, sent } = setup();
    await store.appendToStream("partnership-1", [event]);
    client.idempotent = false;
    client.appendFaults.push({ error: new UnavailableError(), landed: true });
    const result = await store.appendToStream("partnership-1", [event, event], { expectedRevision: 0 });
    expect(client.log.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect(result).toEqual({ nextExpectedRevision: 2, position: client.log[2]!.position!.commit.toString() });
    expect(
      sent()
        .slice(1)
        .map((s) => s.expectedRevision),
    ).toEqual([0n, 0n]);
  });

  it("reports the conflict when another writer got in while the answer was lost", async () => {
    const { client, store } = setup();
    client.appendFaults.push({ error: new UnavailableError(), meanwhile: () => foreignEvent(client, "partnership-1") });
    await expect(
      store.appendToStream("partnership-1", [event], { expectedRevision: "no_stream" }),
    ).rejects.toMatchObject({ code: "WRONG_EXPECTED_REVISION", actualRevision: 0 });
  });

  it("gives up after a bounded number of tries with the store unavailable, the same events each time", async () => {
    const { client, store, sent } = setup();
    for (let n = 0; n < retry.appendAttempts; n++) client.appendFaults.push({ error: new UnavailableError() });
    await expect(store.appendToStream("partnership-1", [event])).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(sent()).toHaveLength(retry.appendAttempts);
    expect(new Set(sent().map((s) => JSON.stringify(s.ids))).size).toBe(1);
    expect(client.log).toHaveLength(0);
  });
});

describe("EventStoreDB append refusals", () => {
  it("reports an append over the server's MaxAppendSize as too large, with the limit", async () => {
    const { client, store } = setup();
    client.appendFaults.push({ error: MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576) });
    await expect(store.appendToStream("partnership-1", [event])).rejects.toMatchObject({
      code: "APPEND_TOO_LARGE",
      streamId: "partnership-1",
      maxAppendSize: 1_048_576,
    });
  });

  it("reports a tombstoned stream as deleted, whether the head read or the append finds it", async () => {
    const { client, store } = setup();
    client.appendFaults.push({ error: StreamDeletedError.fromStreamName("partnership-1") });
    await expect(store.appendToStream("partnership-1", [event])).rejects.toMatchObject({ code: "STREAM_DELETED" });
    client.tombstoned.add("partnership-2");
    await expect(store.appendToStream("partnership-2", [event])).rejects.toMatchObject({
      code: "STREAM_DELETED",
      streamId: "partnership-2",
    });
  });

  it.each(["throwOnAppendFailure=false", "ThrowOnAppendFailure=false", "throw_on_append_failure= false"])(
    "refuses a connection string with %s",
    (setting) => {
      expect(() => openEventStoreDb({ connectionString: `esdb://localhost:2113?tls=false&${setting}` })).toThrow(
        /throwOnAppendFailure=false/,
      );
    },
  );

  it("accepts a connection string that keeps the client throwing on append failure", async () => {
    const store = openEventStoreDb({ connectionString: "esdb://localhost:2113?tls=false&throwOnAppendFailure=true" });
    expect(store.backend).toBe("eventstoredb");
    await store.close();
  });
});
