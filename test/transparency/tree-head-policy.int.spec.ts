/**
 * When the ledger signs a new tree head: at most every N milliseconds while events come in, or as soon as M events
 * have come, never for a tree that has not grown, and only by the event count while the tree still catches up.
 */
import { generateKeyPairSync } from "node:crypto";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { ProjectionDefinition } from "../../projections/projection";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { rebuildProjection } from "../../projections/rebuild";
import { ledgerTree } from "../../projections/read-models/ledger-tree";
import type { ProjectionRunner } from "../../projections/runner";
import { TreeHeadLog, TreeHeadSigner } from "../../projections/tree-heads";
import { headProblem } from "../../scripts/auditor/verify-ledger";

const tables = tablesOf(ledgerTree.name, ledgerTree.version, ledgerTree.tables);

describe("the tree-head signing policy", () => {
  it("signs on the interval or the event count, whichever comes first, and only when the tree grew", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const store = openSqliteEventStore({ path: ":memory:" });
    const rm = new ReadModelDatabase(":memory:");
    let live = true;
    const runner = { tables: () => tables, isLive: () => live } as unknown as ProjectionRunner;
    let now = 1_000_000;
    const heads = new TreeHeadLog(":memory:");
    const signer = new TreeHeadSigner(heads, privateKey, runner, rm, { intervalMs: 10_000, maxEvents: 5 }, () => now);
    const grow = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        await store.appendToStream("mission-x", [
          { type: "MissionNoted", data: { n: i }, metadata: { actor: "a", commandId: `c-${now}-${i}` } },
        ]);
      }
      await rebuildProjection(store, rm, ledgerTree as ProjectionDefinition);
    };

    await grow(0);
    expect(signer.signIfDue()).toMatchObject({ treeSize: 0 }); // the first head, over an empty log
    await grow(2);
    now += 9_999;
    expect(signer.signIfDue()).toBeUndefined(); // 2 events, not 10 s yet
    now += 1;
    expect(signer.signIfDue()).toMatchObject({ treeSize: 2, timestamp: 1_010_000 });
    expect(signer.signIfDue()).toBeUndefined(); // nothing new
    now += 60_000;
    expect(signer.signIfDue()).toBeUndefined(); // a long quiet spell signs nothing either
    await grow(5);
    now += 1;
    expect(signer.signIfDue()).toMatchObject({ treeSize: 7 }); // 5 events: at once
    live = false;
    await grow(2);
    now += 20_000;
    expect(signer.signIfDue()).toBeUndefined(); // catching up: the interval alone makes no head
    await grow(3);
    expect(signer.signIfDue()).toMatchObject({ treeSize: 12 });
    expect(heads.page(-1, 10).map((h) => h.treeSize)).toEqual([0, 2, 7, 12]);
    for (const head of heads.page(-1, 10)) expect(headProblem(publicKey, head)).toBeNull();
    await store.close();
  });
});
