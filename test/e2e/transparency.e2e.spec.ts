/**
 * End to end, for auditors who trust nothing but the ledger's public key: the key published at its well-known
 * URL, signed tree heads and proofs through the gateway, and the auditor's verifier (`npm run audit -- verify`)
 * run as an auditor runs it — in June, in December, and after someone with write access rewrote the log and
 * rebuilt everything the server could rebuild.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { RecordedEvent } from "../../events/envelope";
import { hashLeaf, canonicalize, keyIdOf, verifyInclusion } from "../../scripts/auditor/verify-ledger";
import { graphql, ROOT, startSystem, type RunningSystem } from "../support/system";
import { tempDir } from "../support/temp";
import { codes } from "./harness";

const VERIFIER = join(ROOT, "dist/scripts/auditor/verify-ledger.js");
const CLI = join(ROOT, "dist/services/audit/cli.js");
const FAST_HEADS = { PASSERELLE_TREE_HEAD_INTERVAL_MS: "200" };

interface Head {
  treeSize: number;
  rootHash: string;
  keyId: string;
}

let system: RunningSystem;
const auditor = tempDir("passerelle-auditor-");
// Kept across the restart below (a system started on its own directory leaves it in place).
const data = tempDir("passerelle-e2e-transparency-");
const state = join(auditor.path, "state.json");
const keyFile = join(auditor.path, "ledger-key.pub.pem");

beforeAll(async () => {
  system = await startSystem({ dataDir: data.path, env: FAST_HEADS });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  data.remove();
  auditor.remove();
}, 60_000);

async function latestHead(): Promise<Head | null> {
  const answer = await graphql<{ treeHead: Head | null }>(system.url, "{ treeHead { treeSize rootHash keyId } }", {
    token: system.tokens.auditor!,
  });
  expect(answer.errors).toBeUndefined();
  return answer.data!.treeHead;
}

/** Waits for a head covering at least `size` events. */
async function headOf(size: number): Promise<Head> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const head = await latestHead();
    if (head && head.treeSize >= size) return head;
    if (Date.now() > deadline) throw new Error(`no head of ${size} events after 20 s (latest ${JSON.stringify(head)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const verify = (...extra: string[]) =>
  spawnSync(process.execPath, [VERIFIER, "verify", "--url", system.url, "--key", keyFile, "--state", state, ...extra], {
    encoding: "utf8",
    env: { ...process.env, PASSERELLE_TOKEN: system.tokens.auditor! },
    timeout: 60_000,
  });

const exportLog = (out: string) =>
  spawnSync(process.execPath, [CLI, "export", "--format", "jsonl", "--out", out], {
    encoding: "utf8",
    env: { ...process.env, PASSERELLE_DATA_DIR: system.dataDir },
    timeout: 60_000,
  });

async function logSize(): Promise<number> {
  const store = openSqliteEventStore({ path: join(system.dataDir, "events.db") });
  let n = 0;
  for await (const _ of store.readAll()) n += 1;
  await store.close();
  return n;
}

describe("the ledger's transparency log, as an auditor uses it", () => {
  it("publishes the public key of the tree heads at a well-known URL of the gateway", async () => {
    const response = await fetch(new URL("/.well-known/ledger-key", system.url));
    expect(response.status).toBe(200);
    const published = (await response.json()) as { algorithm: string; keyId: string; publicKey: string };
    const own = createPrivateKey(readFileSync(join(system.dataDir, "ledger-key.pem")));
    expect(published.algorithm).toBe("Ed25519");
    expect(published.keyId).toBe(keyIdOf(createPublicKey(own)));
    expect(system.output.join("")).toContain(`Ledger key (tree heads are signed with it): id ${published.keyId}`);
    writeFileSync(keyFile, published.publicKey);
  });

  it("in June: the verifier accepts the first head on its signature and keeps it", async () => {
    const head = await headOf(await logSize());
    const june = verify();
    expect(june.stderr).toBe("");
    expect(june.stdout).toContain("trust on first use");
    expect(june.stdout).toContain(`OK: head of ${head.treeSize} events accepted`);
    expect(june.status).toBe(0);
    expect(JSON.parse(readFileSync(state, "utf8"))).toMatchObject({ head: { treeSize: head.treeSize } });
  });

  it("in December: the log grew; the new head extends June's, and every exported event is proved in it", async () => {
    const june = (JSON.parse(readFileSync(state, "utf8")) as { head: Head }).head;
    for (const id of ["e2e-tl-one", "e2e-tl-two"]) {
      const answer = await graphql(
        system.url,
        `mutation { registerInstitution(commandId: "${id}", input: { institutionId: "${id}", name: "Partner ${id}", kind: OTHER }) { revision } }`,
        { token: system.tokens.editor! },
      );
      expect(answer.errors).toBeUndefined();
    }
    const size = await logSize();
    const december = await headOf(size);
    expect(december.treeSize).toBe(june.treeSize + 2);
    const exported = join(auditor.path, "ledger.jsonl");
    expect(exportLog(exported).status).toBe(0);
    const run = verify("--export", exported, "--all");
    expect(run.stdout).toContain(`consistent with the head accepted before (${june.treeSize} events`);
    expect(run.stdout).toContain(`${size} of ${size} exported events proved in the head`);
    expect(run.status).toBe(0);
  });

  it("a partnership's history carries each event's inclusion proof, which checks against the signed head", async () => {
    const head = (await latestHead())!;
    const answer = await graphql<{
      partnership: {
        history: { edges: { node: { position: string; inclusionProof: { leafIndex: number; path: string[] } } }[] };
      };
    }>(
      system.url,
      `
        query ($size: Int!) {
          partnership(id: "amiens-aswan-antibiotic-stewardship") {
            history(first: 20) {
              edges {
                node {
                  position
                  inclusionProof(treeSize: $size) {
                    leafIndex
                    path
                  }
                }
              }
            }
          }
        }
      `,
      { token: system.tokens.auditor!, variables: { size: head.treeSize } },
    );
    expect(answer.errors).toBeUndefined();
    const lines = new Map(
      readFileSync(join(auditor.path, "ledger.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((line) => [(JSON.parse(line) as RecordedEvent).position, line]),
    );
    const edges = answer.data!.partnership.history.edges;
    expect(edges.length).toBeGreaterThanOrEqual(5);
    for (const { node } of edges) {
      const leaf = hashLeaf(Buffer.from(canonicalize(JSON.parse(lines.get(node.position)!))));
      const path = node.inclusionProof.path.map((h) => Buffer.from(h, "hex"));
      expect(
        verifyInclusion(node.inclusionProof.leafIndex, head.treeSize, leaf, path, Buffer.from(head.rootHash, "hex")),
      ).toBe(true);
    }
  });

  it("refuses proofs it cannot give, typed, and answers no one unsigned", async () => {
    const { treeSize } = (await latestHead())!;
    const asked = (query: string, token?: string) => graphql(system.url, query, token === undefined ? {} : { token });
    expect(
      codes(
        await asked(
          `{ inclusionProof(position: "999999", treeSize: ${treeSize}) { leafIndex } }`,
          system.tokens.auditor!,
        ),
      ),
    ).toEqual(["NOT_FOUND"]);
    expect(
      codes(await asked(`{ consistencyProof(fromSize: ${treeSize}, toSize: 1) { path } }`, system.tokens.auditor!)),
    ).toEqual(["BAD_USER_INPUT"]);
    expect(
      codes(
        await asked(`{ consistencyProof(fromSize: 1, toSize: ${treeSize + 1000}) { path } }`, system.tokens.auditor!),
      ),
    ).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await asked(`{ treeHead { treeSize } }`))).toEqual(["UNAUTHENTICATED"]);
    const analyst = await asked(
      `{ consistencyProof(fromSize: 1, toSize: ${treeSize}) { path } }`,
      system.tokens.analyst!,
    );
    expect(analyst.errors).toBeUndefined();
  });

  it("after the log was rewritten and everything rebuilt and re-signed with the ledger's own key, the verifier says BROKEN", async () => {
    const held = (JSON.parse(readFileSync(state, "utf8")) as { head: Head }).head;
    expect(await system.stop()).toBe(0);
    // The intruder changes one early quote, re-appends the whole log (fresh hash chains), and removes the read
    // models and the kept heads, so the services rebuild the witness and the tree and sign anew.
    const path = join(system.dataDir, "events.db");
    const original = openSqliteEventStore({ path });
    const events: RecordedEvent[] = [];
    for await (const event of original.readAll()) events.push(event);
    await original.close();
    const victim = events.findIndex(
      (e) => typeof (e.data as { source?: { quote?: string } }).source?.quote === "string",
    );
    expect(victim).toBeGreaterThanOrEqual(0);
    let recordedAt = "";
    const forgedPath = join(system.dataDir, "forged.db");
    const forged = openSqliteEventStore({ path: forgedPath, clock: () => new Date(recordedAt) });
    for (const [i, e] of events.entries()) {
      recordedAt = e.recordedAt;
      const data =
        i === victim
          ? { ...(e.data as object), source: { ...(e.data as { source: object }).source, quote: "Rien de tel." } }
          : e.data;
      await forged.appendToStream(e.streamId, [
        { id: e.id, type: e.type, version: e.version, data, metadata: e.metadata },
      ]);
    }
    await forged.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    renameSync(forgedPath, path);
    for (const file of ["read-models", "tree-heads.db", "tree-heads.db-wal", "tree-heads.db-shm"]) {
      rmSync(join(system.dataDir, file), { recursive: true, force: true });
    }
    system = await startSystem({ dataDir: system.dataDir, env: FAST_HEADS });
    const forgedHead = await headOf(held.treeSize);
    expect(forgedHead.rootHash).not.toBe(held.rootHash);

    // The server's own integrity check, its witness rebuilt from the forged log, sees nothing.
    const integrity = await graphql<{ verifyIntegrity: { ok: boolean } }>(system.url, "{ verifyIntegrity { ok } }", {
      token: system.tokens.auditor!,
    });
    expect(integrity.data!.verifyIntegrity.ok).toBe(true);
    // The auditor's held head does.
    const run = verify();
    expect(run.stdout).toMatch(new RegExp(`BROKEN: consistency proof from ${held.treeSize} to \\d+ events fails`));
    expect(run.status).toBe(1);
    // And the head the auditor held is still the one kept: a failed run accepts nothing.
    expect((JSON.parse(readFileSync(state, "utf8")) as { head: Head }).head).toEqual(held);
  });
});
