/**
 * The event-store contract: one suite, run against every adapter (test/*-event-store.int.spec.ts).
 *
 * Every test works in its own namespace (a stream-id prefix) and from the head position it found, so the suite
 * also runs against a shared EventStoreDB server that holds other data.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { NewEvent, RecordedEvent } from "../events/envelope";
import { comparePositions } from "../events/envelope";
import { WrongExpectedRevisionError } from "../events/errors";
import { findChainBreak } from "../events/hash-chain";
import type { EventFilter, EventStore } from "../events/port";
import { collect, take } from "./support/async";

export interface ContractHarness {
  readonly store: EventStore;
  /** Stores an event around the chain layer, as a forger with write access to the backend would. */
  forge(event: Omit<RecordedEvent, "position">): Promise<void>;
  dispose(): Promise<void>;
}

export function eventStoreContract(open: () => Promise<ContractHarness>): void {
  let harness: ContractHarness;
  let store: EventStore;
  let ns: string;
  let start: string;
  const stream = (name: string) => `${ns}${name}-1`;

  beforeEach(async () => {
    harness = await open();
    store = harness.store;
    ns = `t${randomBytes(6).toString("hex")}`;
    start = await store.headPosition();
  });
  afterEach(async () => harness.dispose());

  const event = (type: string, data: unknown, extra: Partial<NewEvent["metadata"]> = {}): NewEvent => ({
    type,
    data,
    metadata: { actor: "contract-test", commandId: randomBytes(8).toString("hex"), ...extra },
  });
  const ours = (events: RecordedEvent[]) => events.filter((e) => e.streamId.startsWith(ns));

  describe("append and read", () => {
    it("round-trips French text, nested data, metadata and a large payload", async () => {
      const large = "é".repeat(600_000);
      const data = {
        titre: "Convention hospitalo-universitaire 2025-2029 — signée à l’Hôtel-Dieu",
        n: 3.5,
        tags: ["santé", "recherche"],
        nested: { ok: true, none: null },
      };
      const result = await store.appendToStream(stream("roundtrip"), [
        event("PartnershipProposed", data, {
          businessDate: "2025-10-24",
          correlationId: "corr-1",
          causationId: "cause-1",
        }),
        event("Large", { large }),
      ]);
      expect(result.nextExpectedRevision).toBe(1);
      const [first, second] = await collect(store.readStream(stream("roundtrip")));
      expect(first!.data).toEqual(data);
      expect(first!.type).toBe("PartnershipProposed");
      expect(first!.version).toBe(1);
      expect(first!.revision).toBe(0);
      expect(first!.streamId).toBe(stream("roundtrip"));
      expect(first!.metadata).toMatchObject({
        actor: "contract-test",
        businessDate: "2025-10-24",
        correlationId: "corr-1",
        causationId: "cause-1",
      });
      expect(first!.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(first!.recordedAt))).toBe(false);
      expect((second!.data as { large: string }).large).toBe(large);
      expect(second!.position).toBe(result.position);
      expect(comparePositions(first!.position, second!.position)).toBe(-1);
    });

    it("defaults the correlation id to the command id, causation to null, schema version to 1", async () => {
      await store.appendToStream(stream("defaults"), [event("Noted", {}, { commandId: "cmd-42" })]);
      const [recorded] = await collect(store.readStream(stream("defaults")));
      expect(recorded!.metadata).toMatchObject({
        commandId: "cmd-42",
        correlationId: "cmd-42",
        causationId: null,
        businessDate: null,
      });
      expect(recorded!.version).toBe(1);
    });

    it("keeps the schema version an event was written with", async () => {
      await store.appendToStream(stream("versions"), [
        { ...event("FundingGranted", { funderId: "dgos" }), version: 2 },
      ]);
      const [recorded] = await collect(store.readStream(stream("versions")));
      expect(recorded!.version).toBe(2);
    });

    it("reads a missing stream as empty", async () => {
      expect(await collect(store.readStream(stream("nothing")))).toEqual([]);
    });

    it("refuses an empty append", async () => {
      await expect(store.appendToStream(stream("empty"), [])).rejects.toMatchObject({ code: "INVALID_STORE_REQUEST" });
    });

    it("reads a stream backwards, from a revision, and at most maxCount events", async () => {
      await store.appendToStream(
        stream("ranges"),
        [0, 1, 2, 3, 4].map((n) => event("Counted", { n })),
      );
      const revisions = async (options: Parameters<EventStore["readStream"]>[1]) =>
        (await collect(store.readStream(stream("ranges"), options))).map((e) => e.revision);
      expect(await revisions({})).toEqual([0, 1, 2, 3, 4]);
      expect(await revisions({ direction: "backwards" })).toEqual([4, 3, 2, 1, 0]);
      expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
      expect(await revisions({ direction: "backwards", fromRevision: 2 })).toEqual([2, 1, 0]);
      expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
      expect(await revisions({ direction: "backwards", maxCount: 1 })).toEqual([4]);
    });
  });

  describe("expected revision", () => {
    it("no_stream: accepts a new stream, refuses an existing one with its actual revision", async () => {
      await store.appendToStream(stream("ns"), [event("A", {})], { expectedRevision: "no_stream" });
      await expect(
        store.appendToStream(stream("ns"), [event("B", {})], { expectedRevision: "no_stream" }),
      ).rejects.toMatchObject({ code: "WRONG_EXPECTED_REVISION", actualRevision: 0, streamId: stream("ns") });
    });

    it("exact: accepts the current revision, refuses another with the actual one", async () => {
      const first = await store.appendToStream(stream("exact"), [event("A", {}), event("B", {})]);
      expect(first.nextExpectedRevision).toBe(1);
      const second = await store.appendToStream(stream("exact"), [event("C", {})], { expectedRevision: 1 });
      expect(second.nextExpectedRevision).toBe(2);
      const stale = store.appendToStream(stream("exact"), [event("D", {})], { expectedRevision: 1 });
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(stale).rejects.toMatchObject({ expectedRevision: 1, actualRevision: 2 });
    });

    it("exact on a missing stream reports no_stream", async () => {
      await expect(
        store.appendToStream(stream("missing"), [event("A", {})], { expectedRevision: 0 }),
      ).rejects.toMatchObject({ code: "WRONG_EXPECTED_REVISION", actualRevision: "no_stream" });
    });

    it("any: appends whatever the stream holds", async () => {
      const a = await store.appendToStream(stream("any"), [event("A", {})], { expectedRevision: "any" });
      const b = await store.appendToStream(stream("any"), [event("B", {})], { expectedRevision: "any" });
      expect([a.nextExpectedRevision, b.nextExpectedRevision]).toEqual([0, 1]);
    });

    it("a refused append leaves nothing behind", async () => {
      await store.appendToStream(stream("atomic"), [event("A", {})]);
      await expect(
        store.appendToStream(stream("atomic"), [event("B", {}), event("C", {})], { expectedRevision: 5 }),
      ).rejects.toMatchObject({ code: "WRONG_EXPECTED_REVISION" });
      expect((await collect(store.readStream(stream("atomic")))).map((e) => e.type)).toEqual(["A"]);
    });

    it("two concurrent writers on one stream: exactly one wins, the other learns the actual revision", async () => {
      await store.appendToStream(stream("race"), [event("Proposed", {})]);
      const attempts = await Promise.allSettled([
        store.appendToStream(stream("race"), [event("SignedByA", {})], { expectedRevision: 0 }),
        store.appendToStream(stream("race"), [event("SignedByB", {})], { expectedRevision: 0 }),
      ]);
      const won = attempts.filter((a) => a.status === "fulfilled");
      const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: "WRONG_EXPECTED_REVISION", actualRevision: 1 });
      expect(await collect(store.readStream(stream("race")))).toHaveLength(2);
    });

    it("many concurrent `any` writers on one stream all land, each at its own revision", async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) => store.appendToStream(stream("anyrace"), [event("Noted", { n })])),
      );
      expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, n) => n),
      );
      expect(await findChainBreak(store.readStream(stream("anyrace")))).toBeNull();
    });
  });

  describe("the global log", () => {
    it("orders events across streams by position, in append order", async () => {
      const appended: string[] = [];
      for (let n = 0; n < 12; n++) {
        const name = `s${n % 3}`;
        const result = await store.appendToStream(stream(name), [event("Noted", { n })]);
        appended.push(result.position);
      }
      const all = ours(await collect(store.readAll({ after: start })));
      expect(all.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 12 }, (_, n) => n));
      expect(all.map((e) => e.position)).toEqual(appended);
      for (let i = 1; i < all.length; i++) {
        expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
      }
      expect(comparePositions(await store.headPosition(), appended[appended.length - 1]!)).toBe(0);
    });

    it("reads all after a position, exclusively, and at most maxCount", async () => {
      const positions: string[] = [];
      for (let n = 0; n < 5; n++)
        positions.push((await store.appendToStream(stream("after"), [event("Noted", { n })])).position);
      const after = ours(await collect(store.readAll({ after: positions[1]! })));
      expect(after.map((e) => e.position)).toEqual(positions.slice(2));
      const limited = await collect(
        store.readAll({ after: positions[1]!, maxCount: 2, filter: { streamPrefixes: [ns] } }),
      );
      expect(limited.map((e) => e.position)).toEqual(positions.slice(2, 4));
    });

    it("filters by event type prefix, exact event type, stream prefix, and both", async () => {
      await store.appendToStream(`${ns}partnership-1`, [event("PartnershipProposed", {}), event("MoUSigned", {})]);
      await store.appendToStream(`${ns}mission-1`, [event("MissionPlanned", {}), event("MissionCompleted", {})]);
      await store.appendToStream(`${ns}partnership-2`, [event("PartnershipProposed", {})]);
      const read = async (filter: EventFilter) =>
        ours(await collect(store.readAll({ after: start, filter }))).map(
          (e) => `${e.streamId.slice(ns.length)}:${e.type}`,
        );
      expect(await read({ eventTypePrefixes: ["Mission"] })).toEqual([
        "mission-1:MissionPlanned",
        "mission-1:MissionCompleted",
      ]);
      expect(await read({ eventTypePrefixes: ["MoU", "MissionC"] })).toEqual([
        "partnership-1:MoUSigned",
        "mission-1:MissionCompleted",
      ]);
      // Exact types match whole: "MoU" is no type, so MoUSigned stays out; a prefix beside them adds its own.
      expect(await read({ eventTypes: ["MissionPlanned", "MoU"] })).toEqual(["mission-1:MissionPlanned"]);
      expect(await read({ eventTypes: ["MoUSigned"], eventTypePrefixes: ["MissionC"] })).toEqual([
        "partnership-1:MoUSigned",
        "mission-1:MissionCompleted",
      ]);
      expect(await read({ streamPrefixes: [`${ns}partnership-`] })).toEqual([
        "partnership-1:PartnershipProposed",
        "partnership-1:MoUSigned",
        "partnership-2:PartnershipProposed",
      ]);
      expect(await read({ streamPrefixes: [`${ns}partnership-`], eventTypePrefixes: ["Partnership"] })).toEqual([
        "partnership-1:PartnershipProposed",
        "partnership-2:PartnershipProposed",
      ]);
      expect(await read({ streamPrefixes: [`${ns}mission-`], eventTypes: ["MissionCompleted"] })).toEqual([
        "mission-1:MissionCompleted",
      ]);
    });
  });

  describe("catch-up subscription", () => {
    it("delivers the backlog then live events, in order, with no gap or duplicate, while writers append", async () => {
      const writers = 4;
      const perWriter = 50;
      for (let w = 0; w < writers; w++) await store.appendToStream(stream(`w${w}`), [event("Backlog", { w })]);
      const subscription = store.subscribeToAll({ after: start, filter: { streamPrefixes: [ns] } });
      const iterator = subscription[Symbol.asyncIterator]();
      const writing = Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let n = 0; n < perWriter; n++) await store.appendToStream(stream(`w${w}`), [event("Live", { w, n })]);
        }),
      );
      const received = await take(iterator, writers * (perWriter + 1));
      await writing;
      await subscription.close();
      const positions = received.map((e) => e.position);
      expect(new Set(positions).size).toBe(positions.length);
      for (let i = 1; i < positions.length; i++) expect(comparePositions(positions[i - 1]!, positions[i]!)).toBe(-1);
      const all = ours(await collect(store.readAll({ after: start })));
      expect(received.map((e) => e.id)).toEqual(all.map((e) => e.id));
      for (let w = 0; w < writers; w++) {
        const mine = received.filter((e) => e.streamId === stream(`w${w}`));
        expect(mine.map((e) => e.revision)).toEqual(Array.from({ length: perWriter + 1 }, (_, n) => n));
      }
    });

    it("resumes after the last position seen, without repeating or skipping", async () => {
      for (let n = 0; n < 10; n++) await store.appendToStream(stream("resume"), [event("Noted", { n })]);
      const first = store.subscribeToAll({ after: start, filter: { streamPrefixes: [ns] } });
      const seen = await take(first[Symbol.asyncIterator](), 4);
      await first.close();
      for (let n = 10; n < 15; n++) await store.appendToStream(stream("resume"), [event("Noted", { n })]);
      const second = store.subscribeToAll({ after: seen[seen.length - 1]!.position, filter: { streamPrefixes: [ns] } });
      const rest = await take(second[Symbol.asyncIterator](), 11);
      await second.close();
      expect([...seen, ...rest].map((e) => (e.data as { n: number }).n)).toEqual(
        Array.from({ length: 15 }, (_, n) => n),
      );
    });

    it("applies the filter to live events", async () => {
      const subscription = store.subscribeToAll({ after: start, filter: { eventTypePrefixes: [`${ns}Keep`] } });
      const iterator = subscription[Symbol.asyncIterator]();
      const received = take(iterator, 3);
      for (let n = 0; n < 6; n++) {
        await store.appendToStream(stream("filtered"), [event(n % 2 === 0 ? `${ns}Keep` : `${ns}Drop`, { n })]);
      }
      expect((await received).map((e) => (e.data as { n: number }).n)).toEqual([0, 2, 4]);
      await subscription.close();
    });

    it("ends a pending read when closed", async () => {
      const subscription = store.subscribeToAll({
        after: await store.headPosition(),
        filter: { streamPrefixes: [ns] },
      });
      const pending = subscription[Symbol.asyncIterator]().next();
      await subscription.close();
      await expect(pending).resolves.toMatchObject({ done: true });
    });
  });

  describe("hash chain", () => {
    it("chains every event of a stream and verifies", async () => {
      await store.appendToStream(stream("chain"), [event("A", { n: 1 }), event("B", { n: 2 })]);
      await store.appendToStream(stream("chain"), [event("C", { texte: "réouverture" })]);
      const events = await collect(store.readStream(stream("chain")));
      expect(new Set(events.map((e) => e.metadata.hash)).size).toBe(3);
      expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.metadata.hash))).toBe(true);
      expect(await findChainBreak(events)).toBeNull();
    });

    it("detects an event stored around the chain layer", async () => {
      await store.appendToStream(stream("forged"), [event("MoUSigned", { signedOn: "2019" })]);
      const [genuine] = await collect(store.readStream(stream("forged")));
      await harness.forge({ ...genuine!, id: randomUUID(), revision: 1, data: { signedOn: "2018" } });
      const broken = await findChainBreak(store.readStream(stream("forged")));
      expect(broken).toMatchObject({ kind: "hash", event: { revision: 1 } });
    });
  });

  it("holds 10,000 events across 100 streams, in order, every chain intact", async () => {
    const streams = 100;
    const perAppend = 10;
    const appendsPerStream = 10;
    await Promise.all(
      Array.from({ length: streams }, async (_, s) => {
        for (let a = 0; a < appendsPerStream; a++) {
          await store.appendToStream(
            stream(`bulk${s}`),
            Array.from({ length: perAppend }, (_, i) => event("Bulk", { s, n: a * perAppend + i })),
            { expectedRevision: a === 0 ? "no_stream" : a * perAppend - 1 },
          );
        }
      }),
    );
    const all = await collect(store.readAll({ after: start, filter: { streamPrefixes: [ns] } }));
    expect(all).toHaveLength(10_000);
    for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of all) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    expect(byStream.size).toBe(streams);
    for (const events of byStream.values()) {
      expect(events.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
      expect(await findChainBreak(events)).toBeNull();
    }
  }, 120_000);
}
