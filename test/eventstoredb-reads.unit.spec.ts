import { EventStoreDbBackend } from "../events/adapters/eventstoredb/eventstoredb-event-store";
import { ChainedEventStore } from "../events/chained-event-store";
import type { RecordedEvent } from "../events/envelope";
import type { EventStore } from "../events/port";
import { FakeEsdbClient, type FakeRead, foreignEvent } from "./eventstoredb-fake-client";

const retry = { initialDelayMs: 1, maxDelayMs: 4, appendAttempts: 3 };

function setup(pageSize?: number) {
  const client = new FakeEsdbClient();
  const store: EventStore = new ChainedEventStore(
    new EventStoreDbBackend(client, { retry, ...(pageSize === undefined ? {} : { pageSize }) }),
  );
  const append = async (streamId: string, n = 0) =>
    (
      await store.appendToStream(streamId, [
        { type: "Noted", data: { n }, metadata: { actor: "t", commandId: `c${n}` } },
      ])
    ).position;
  return { client, store, append };
}

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe("EventStoreDB reads", () => {
  it("ends the gRPC call of a stream read left early, and of every head read an append makes", async () => {
    const { client, store, append } = setup();
    for (let n = 0; n < 3; n++) await append("note-1", n);
    for await (const event of store.readStream("note-1", { maxCount: 2 })) {
      expect(event.revision).toBe(0);
      break;
    }
    expect(client.reads).toHaveLength(4);
    expect(client.reads.map((read) => read.ended)).not.toContain(0);
  });

  it("bounds $all reads on the server, pages past others' events, and ends every call", async () => {
    const { client, store, append } = setup();
    const ours = [await append("note-1")];
    foreignEvent(client);
    foreignEvent(client, "$stats-127.0.0.1:2113", "$statsCollected");
    ours.push(await append("note-2"));
    foreignEvent(client);
    ours.push(await append("note-3"));
    const reads = client.reads.length;
    expect((await collect(store.readAll({ maxCount: 2 }))).map((e) => e.position)).toEqual(ours.slice(0, 2));
    const readAlls = client.reads.slice(reads);
    expect(readAlls.length).toBeGreaterThan(1);
    expect(readAlls.map((read) => (read.options as { maxCount?: number }).maxCount)).not.toContain(undefined);
    expect(readAlls.map((read) => read.ended)).not.toContain(0);
  });

  it("reads all after a position, exclusively, at most maxCount, across pages", async () => {
    const { client, store, append } = setup(2);
    const positions: string[] = [];
    for (let n = 0; n < 5; n++) {
      positions.push(await append(`note-${n}`, n));
      foreignEvent(client);
    }
    const limited = await collect(
      store.readAll({ after: positions[1]!, maxCount: 2, filter: { streamPrefixes: ["note-"] } }),
    );
    expect(limited.map((e) => e.position)).toEqual(positions.slice(2, 4));
    expect((await collect(store.readAll({ after: positions[1]! }))).map((e) => e.position)).toEqual(positions.slice(2));
    expect(client.reads.map((read) => read.ended)).not.toContain(0);
  });

  it("finds the head past more than 10,000 events of others at the end of $all", async () => {
    const { client, store, append } = setup();
    const head = await append("note-1");
    for (let n = 0; n < 10_050; n++)
      foreignEvent(client, n % 2 ? "$stats-node" : "other-app-1", n % 2 ? "$stats" : "X");
    await expect(store.headPosition()).resolves.toBe(head);
    const readAlls = client.readAll.mock.results.map((result) => result.value as FakeRead);
    expect(readAlls.length).toBeGreaterThan(1);
    for (const read of readAlls) {
      expect((read.options as { maxCount?: number }).maxCount).toBeLessThanOrEqual(1_000);
      expect(read.ended).toBeGreaterThan(0);
    }
  });

  it("answers the start of the log when no event of $all is Passerelle's", async () => {
    const { client, store } = setup(3);
    await expect(store.headPosition()).resolves.toBe("0");
    for (let n = 0; n < 7; n++) foreignEvent(client);
    await expect(store.headPosition()).resolves.toBe("0");
    expect(client.readAll).toHaveBeenCalledTimes(1 + 3);
  });

  it("reports a tombstoned stream as deleted", async () => {
    const { client, store } = setup();
    client.tombstoned.add("note-1");
    await expect(collect(store.readStream("note-1"))).rejects.toMatchObject({
      code: "STREAM_DELETED",
      streamId: "note-1",
    });
  });

  it("refuses an event written in an explicit transaction instead of giving it a shared position", async () => {
    const { client, store, append } = setup();
    await append("note-1");
    const stored = client.log[0]!;
    client.log[0] = { ...stored, position: { commit: stored.position!.commit, prepare: stored.position!.commit - 5n } };
    await expect(collect(store.readAll())).rejects.toThrow(/explicit transaction/);
  });
});
