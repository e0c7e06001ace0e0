/**
 * The ledger tree over a real log: built incrementally as a projection and rebuilt from zero alike; signed heads
 * kept apart; and an attacker who can write to the store — who rewrites, deletes, reorders or inserts an event,
 * recomputes every per-stream hash chain, rebuilds the audit read models and the tree, and even signs new heads
 * with the ledger's own key — caught by the auditor's consistency check against a head the auditor kept.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import type { NewEvent, RecordedEvent } from "../../events/envelope";
import type { EventStore } from "../../events/port";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { leafHash, leafInput } from "../../events/transparency/merkle";
import type { SignedTreeHead } from "../../events/transparency/tree-head";
import { InvalidInput, NotFound } from "../../domain/decider";
import type { ProjectionDefinition } from "../../projections/projection";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { rebuildProjection } from "../../projections/rebuild";
import { eventIndex } from "../../projections/read-models/event-index";
import { ledgerTree, rootAt, treeSize, type TreeTables } from "../../projections/read-models/ledger-tree";
import { ProjectionRunner } from "../../projections/runner";
import { TreeHeadLog, TreeHeadSigner } from "../../projections/tree-heads";
import { treeWitnessOf, verifyIntegrity, witnessOf } from "../../services/audit/integrity";
import { proveConsistency, proveInclusion } from "../../services/audit/transparency";
import { audit, merkleRoot, type Ledger } from "../../scripts/auditor/verify-ledger";
import { jsonLine } from "../../services/audit/replay";

const tables = tablesOf(ledgerTree.name, ledgerTree.version, ledgerTree.tables) as TreeTables;
const indexTables = tablesOf(eventIndex.name, eventIndex.version, eventIndex.tables);

function event(i: number): NewEvent {
  return {
    type: "MissionNoted",
    data: { note: `fact ${i}`, amount: i * 1.5 },
    metadata: { actor: "dev-editor", commandId: `c-${i}`, businessDate: `20${10 + (i % 10)}` },
  };
}

async function appendMany(store: EventStore, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 1) await store.appendToStream(`mission-${i % 3}`, [event(i)]);
}

async function readAll(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  return events;
}

/** The server's own answers, from its (possibly rewritten) tree and heads: what the gateway would serve. */
function serverLedger(rm: ReadModelDatabase, heads: TreeHeadLog): Ledger {
  return {
    latestHead: async () => heads.latest() ?? null,
    consistency: async (from, to) => proveConsistency(rm, tables, from, to).path.map((h) => Buffer.from(h, "hex")),
    inclusions: async (positions, size) =>
      new Map(
        positions.map((position): [string, { leafIndex: number; path: Buffer[] } | "missing" | "notCovered"] => {
          try {
            const proof = proveInclusion(rm, tables, position, size);
            return [position, { leafIndex: proof.leafIndex, path: proof.path.map((h) => Buffer.from(h, "hex")) }];
          } catch (error) {
            if (error instanceof NotFound) return [position, "missing"];
            if (error instanceof InvalidInput) return [position, "notCovered"];
            throw error;
          }
        }),
      ),
  };
}

/** A ledger at its state now: tree rebuilt from zero, a head signed over it. */
async function sealed(store: EventStore, key: KeyObject, heads = new TreeHeadLog(":memory:")) {
  const rm = new ReadModelDatabase(":memory:");
  await rebuildProjection(store, rm, ledgerTree as ProjectionDefinition);
  await rebuildProjection(store, rm, eventIndex as ProjectionDefinition);
  const runner = { tables: () => tables, isLive: () => true } as unknown as ProjectionRunner;
  const signer = new TreeHeadSigner(heads, key, runner, rm, { intervalMs: 1, maxEvents: 1 }, () => Date.now() + 1000);
  const head = signer.signIfDue();
  return { rm, heads, head, signer };
}

/** What an attacker with write access does: edits the events, then re-appends them all — fresh chains. */
async function rewrite(
  events: RecordedEvent[],
  edit: (events: RecordedEvent[]) => RecordedEvent[],
): Promise<EventStore> {
  let recordedAt = "";
  const forged = openSqliteEventStore({ path: ":memory:", clock: () => new Date(recordedAt) });
  for (const e of edit(events.map((x) => ({ ...x })))) {
    recordedAt = e.recordedAt;
    const { actor, commandId, correlationId, causationId, businessDate } = e.metadata;
    await forged.appendToStream(e.streamId, [
      {
        id: e.id,
        type: e.type,
        data: e.data,
        metadata: { actor, commandId, correlationId, causationId, businessDate },
      },
    ]);
  }
  return forged;
}

describe("the ledger tree", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");

  it("built as the log grows equals the tree rebuilt from zero, and both have the log's RFC 9162 roots", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    const live = new ReadModelDatabase(":memory:");
    const runner = new ProjectionRunner(store, live, [ledgerTree as ProjectionDefinition], { batchSize: 7 });
    runner.start();
    await appendMany(store, 0, 25);
    await store.appendToStream("mission-batch", [event(100), event(101), event(102)]);
    await appendMany(store, 25, 12);
    await runner.waitForPosition(ledgerTree.name, await store.headPosition());
    await runner.stop();
    const rebuilt = new ReadModelDatabase(":memory:");
    await rebuildProjection(store, rebuilt, ledgerTree as ProjectionDefinition);

    const dump = (rm: ReadModelDatabase) => ({
      leaves: rm.all(`SELECT * FROM ${tables.leaves} ORDER BY idx`),
      nodes: rm.all(`SELECT * FROM ${tables.nodes} ORDER BY level, idx`),
    });
    expect(dump(live)).toEqual(dump(rebuilt));
    const events = await readAll(store);
    expect(treeSize(live, tables)).toBe(40);
    const leaves = events.map((e) => leafHash(leafInput(e)));
    for (let n = 0; n <= 40; n += 1) expect(rootAt(live, tables, n)).toEqual(merkleRoot(leaves.slice(0, n)));
    await store.close();
  });

  it("its leaves are the events as exported: an export line hashes to its leaf", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await appendMany(store, 0, 5);
    const { rm } = await sealed(store, privateKey);
    for (const e of await readAll(store)) {
      const line = jsonLine(e).trimEnd();
      const proof = proveInclusion(rm, tables, e.position, 5);
      expect(leafHash(leafInput(JSON.parse(line) as RecordedEvent)).toString("hex")).toBe(proof.leafHash);
    }
    await store.close();
  });

  it("refuses proofs it cannot give with the argument at fault", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await appendMany(store, 0, 5);
    const { rm } = await sealed(store, privateKey);
    expect(() => proveInclusion(rm, tables, "99", 5)).toThrow(NotFound);
    expect(() => proveInclusion(rm, tables, "5", 4)).toThrow(/leaf 4: not in a tree of 4/);
    expect(() => proveInclusion(rm, tables, "1", 6)).toThrow(/holds 5 events, not 6/);
    expect(() => proveConsistency(rm, tables, 4, 3)).toThrow(/cannot extend/);
    await store.close();
  });

  it("an auditor's June head, then December's: accepted when the log only grew", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await appendMany(store, 0, 30);
    const june = await sealed(store, privateKey);
    const first = await audit(serverLedger(june.rm, june.heads), { publicKey, previous: null });
    expect(first).toMatchObject({ ok: true, head: { treeSize: 30 } });
    await appendMany(store, 30, 11);
    const december = await sealed(store, privateKey, june.heads);
    const lines = (await readAll(store)).map((e) => jsonLine(e).trimEnd());
    const second = await audit(serverLedger(december.rm, december.heads), {
      publicKey,
      previous: (first as { head: SignedTreeHead }).head,
      exportLines: lines,
    });
    expect(second).toEqual({ ok: true, head: december.head, eventsProved: 41, notCovered: 0 });
    await store.close();
  });

  const attacks: [string, (events: RecordedEvent[]) => RecordedEvent[]][] = [
    [
      "rewritten",
      (es) => es.map((e, i) => (i === 7 ? { ...e, data: { note: "fact 7, as the attacker prefers" } } : e)),
    ],
    ["deleted", (es) => es.filter((_, i) => i !== 7)],
    ["reordered", (es) => [...es.slice(0, 6), es[7]!, es[6]!, ...es.slice(8)]],
    [
      "inserted",
      (es) => [
        ...es.slice(0, 7),
        { ...es[7]!, id: "0190a3c4-0000-7000-8000-000000000001", data: { note: "never happened" } },
        ...es.slice(7),
      ],
    ],
  ];

  it.each(attacks)(
    "an event %s before the auditor's head is caught, though chains, witness, tree and heads were all redone",
    async (_, edit) => {
      const store = openSqliteEventStore({ path: ":memory:" });
      await appendMany(store, 0, 30);
      const honest = await sealed(store, privateKey);
      const kept = honest.head!;
      const forged = await rewrite(await readAll(store), edit);
      await appendMany(forged, 30, 3);
      // Everything the attacker can recompute, recomputed: the old checks pass on the forged log.
      const attacker = await sealed(forged, privateKey);
      const rebuiltWitness = witnessOf(attacker.rm, indexTables);
      const fooled = await verifyIntegrity(forged, {
        witness: rebuiltWitness,
        tree: treeWitnessOf({ sql: attacker.rm, tables }, attacker.heads),
      });
      expect(fooled).toMatchObject({ ok: true, firstBreak: null });

      // The auditor held the head of 30 events: the forged log cannot prove it extends it.
      const result = await audit(serverLedger(attacker.rm, attacker.heads), { publicKey, previous: kept });
      expect(result.ok).toBe(false);
      expect((result as { problem: string }).problem).toMatch(/consistency proof from 30 to 3\d events fails/);

      // The heads the ledger kept apart catch it too, where the attacker left them.
      const server = await verifyIntegrity(forged, {
        witness: rebuiltWitness,
        tree: treeWitnessOf({ sql: attacker.rm, tables }, honest.heads),
      });
      expect(server.firstBreak).toMatchObject({ kind: "head" });
      await store.close();
      await forged.close();
    },
  );

  it("an altered event in an export fails its inclusion proof", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await appendMany(store, 0, 12);
    const { rm, heads } = await sealed(store, privateKey);
    const lines = (await readAll(store)).map((e) => jsonLine(e).trimEnd());
    lines[4] = lines[4]!.replace("fact 4", "fact four");
    const result = await audit(serverLedger(rm, heads), { publicKey, previous: null, exportLines: lines });
    expect(result).toEqual({
      ok: false,
      problem: expect.stringMatching(/inclusion proof fails for the event at position 5/),
    });
    await store.close();
  });

  it("a head signed with another key is refused", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await appendMany(store, 0, 3);
    const other = generateKeyPairSync("ed25519").privateKey;
    const { rm, heads } = await sealed(store, other);
    const result = await audit(serverLedger(rm, heads), { publicKey, previous: null });
    expect(result).toEqual({ ok: false, problem: expect.stringMatching(/names key/) });
    await store.close();
  });

  it("the signer signs no head over a tree that no longer extends its last one", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await appendMany(store, 0, 10);
    const honest = await sealed(store, privateKey);
    const forged = await rewrite(await readAll(store), attacks[0]![1]);
    await appendMany(forged, 10, 2);
    const attacker = await sealed(forged, privateKey, honest.heads);
    expect(attacker.head).toBeUndefined();
    expect(attacker.signer.broken).toMatch(/no longer extends the head signed for 10 events/);
    expect(honest.heads.latest()!.treeSize).toBe(10);
    await store.close();
  });
});
