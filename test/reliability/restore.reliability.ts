/**
 * The restore drill. Writers append under load; `npm run backup` runs mid-load, the real CLI; the writers go on;
 * a person is erased; everything is killed (-9). Damaged copies of the backup are refused by verify and restore.
 * The backup is restored into a fresh directory and the services started on it: the log is the original's up to
 * the backup's position, exactly, and nothing of what came after; the read models equal a rebuild; integrity and
 * the tree heads verify (an auditor's head from before the backup proves consistent, one from after does not);
 * the person erased after the backup is still erased.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { servedAndRebuilt } from "../support/dump";
import { DIST, issueTestToken, ready, start, type Child } from "../support/processes";
import { freePort } from "../support/system";
import { tempDir } from "../support/temp";

const SECRET = "reliability-secret-reliability-secret";
const WORKERS = 6;
const ERASED = { name: "Hortense Vasseur-Drill", email: "hortense.vasseur@drill.example" };
const KEPT = { name: "Basile Orcel-Drill", email: "basile.orcel@drill.example" };

interface Write {
  readonly commandId: string;
  outcome: "pending" | "acknowledged" | "refused" | "unknown";
  position?: number;
}

type Body = { data?: Record<string, { position?: string } | null> | null; errors?: { message: string }[] };

async function ask(url: string, token: string, query: string, timeoutMs = 20_000): Promise<Body> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return (await response.json()) as Body;
}

const cli = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [join(DIST, script), ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 300_000,
  });

const rows = (path: string, where: string) => {
  const db = new Database(path, { readonly: true });
  const all = db.prepare(`SELECT * FROM events WHERE ${where} ORDER BY position`).all() as Record<string, unknown>[];
  db.close();
  return all;
};

test("restore drill: backup under load, kill -9, restore; the log up to the backup exactly, erasures kept", async () => {
  const root = tempDir("passerelle-restore-");
  const original = join(root.path, "data");
  const backup = join(root.path, "backup");
  const restored = join(root.path, "restored");
  // The erasure register on other storage, as the README advises: the restore reads it.
  const register = join(root.path, "register", "erasures.db");
  const ports = { partnerships: await freePort(), audit: await freePort() };
  const partnerships = `http://127.0.0.1:${ports.partnerships}/graphql`;
  const audit = `http://127.0.0.1:${ports.audit}/graphql`;
  const editor = issueTestToken(SECRET, "drill", ["editor"]);
  const dpo = issueTestToken(SECRET, "drill-dpo", ["dpo"]);
  const auditor = issueTestToken(SECRET, "drill-auditor", ["auditor"]);
  const env = (data: string) => ({
    PASSERELLE_DATA_DIR: data,
    PASSERELLE_ERASURE_REGISTER_FILE: register,
    PASSERELLE_JWT_SECRET: SECRET,
    PASSERELLE_PARTNERSHIPS_PORT: String(ports.partnerships),
    PASSERELLE_AUDIT_PORT: String(ports.audit),
    PASSERELLE_LEDGER_KEY_FILE: join(data, "ledger-key.pem"),
    PASSERELLE_TREE_HEAD_INTERVAL_MS: "200",
  });
  let children: Child[] = [];
  // Kept in `children` as soon as they start, so that a launch that fails still stops both in `finally`: one
  // left running keeps Jest from exiting.
  const launch = async (data: string): Promise<void> => {
    children = [start("services/partnerships/main.js", [], env(data)), start("services/audit/main.js", [], env(data))];
    await ready(children[0]!, `http://127.0.0.1:${ports.partnerships}/ready`, 60_000);
    await ready(children[1]!, `http://127.0.0.1:${ports.audit}/ready`, 60_000);
  };
  try {
    mkdirSync(original);
    mkdirSync(join(root.path, "register"));
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(join(original, "ledger-key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }), {
      mode: 0o600,
    });
    const publicKey = join(root.path, "ledger-public.pem");
    writeFileSync(publicKey, createPublicKey(privateKey).export({ type: "spki", format: "pem" }));
    await launch(original);

    const admin = issueTestToken(SECRET, "drill-admin", ["admin"]);
    const setup = [
      [admin, `mutation { grantAccess(commandId: "drill-grant", input: { grantee: "drill" }) { revision } }`],
      [
        editor,
        `mutation { registerInstitution(commandId: "drill-inst", input: { institutionId: "drill-chu", name: "CHU Drill", kind: HOSPITAL, country: "FR" }) { revision } }`,
      ],
    ] as const;
    for (const [token, query] of setup) expect((await ask(partnerships, token, query)).errors).toBeUndefined();
    const person = async (commandId: string, who: typeof ERASED) => {
      const answer = await ask(
        partnerships,
        editor,
        `mutation { recordPerson(commandId: "${commandId}", input: { institutionId: "drill-chu", name: "${who.name}", role: "directrice", email: "${who.email}" }) { person { id } } }`,
      );
      expect(answer.errors).toBeUndefined();
      return (answer.data!.recordPerson as unknown as { person: { id: string } }).person.id;
    };
    const erasedId = await person("drill-person-erased", ERASED);
    const keptId = await person("drill-person-kept", KEPT);

    const writes: Write[] = [];
    let running = true;
    let n = 0;
    const workers = Array.from({ length: WORKERS }, async () => {
      while (running) {
        const write: Write = { commandId: `drill-w${n++}`, outcome: "pending" };
        writes.push(write);
        try {
          const answer = await ask(
            partnerships,
            editor,
            `mutation { registerInstitution(commandId: "${write.commandId}", input: { institutionId: "${write.commandId}", name: "Hôpital ${write.commandId}", kind: HOSPITAL, country: "SN" }) { position } }`,
          );
          const ack = answer.data?.registerInstitution;
          if (ack?.position) {
            write.outcome = "acknowledged";
            write.position = Number(ack.position);
          } else write.outcome = "refused";
        } catch {
          write.outcome = "unknown";
          return;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // An auditor keeps a head before the backup.
    const before = join(root.path, "auditor-before.json");
    const audited = cli(
      "scripts/auditor/verify-ledger.js",
      ["verify", "--url", audit, "--key", publicKey, "--state", before, "--token", auditor],
      {},
    );
    expect(audited.status).toBe(0);

    // The backup, mid-load, by the real CLI.
    const taken = cli("scripts/backup/backup-cli.js", ["--out", backup], env(original));
    expect({ status: taken.status, stderr: taken.stderr }).toMatchObject({ status: 0 });
    const manifest = JSON.parse(readFileSync(join(backup, "manifest.json"), "utf8")) as {
      log: { position: string; events: number };
    };
    const position = Number(manifest.log.position);
    const ackedAtBackup = writes.filter((w) => w.outcome === "acknowledged").length;

    // The writers go on; then the person is erased and another auditor head kept.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const forgotten = await ask(
      partnerships,
      dpo,
      `mutation { forgetPerson(commandId: "drill-forget", input: { personId: "${erasedId}", basis: REQUEST }) { revision } }`,
    );
    expect(forgotten.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 800));
    const after = join(root.path, "auditor-after.json");
    copyFileSync(before, after);
    expect(
      cli(
        "scripts/auditor/verify-ledger.js",
        ["verify", "--url", audit, "--key", publicKey, "--state", after, "--token", auditor],
        {},
      ).status,
    ).toBe(0);

    for (const child of children) child.process.kill("SIGKILL");
    await Promise.all(children.map((child) => child.stop()));
    children = [];
    running = false;
    await Promise.all(workers);

    const acknowledged = writes.filter((w) => w.outcome === "acknowledged");
    const afterBackup = acknowledged.filter((w) => w.position! > position);
    process.stderr.write(
      `restore drill: backup at position ${position}, ${ackedAtBackup} writes acknowledged by then, ${acknowledged.length} in all (${afterBackup.length} after the backup's position)\n`,
    );
    expect(acknowledged.filter((w) => w.position! <= position).length).toBeGreaterThan(50);
    expect(afterBackup.length).toBeGreaterThan(50);

    // Damaged backups: one byte flipped, a file truncated, a file missing. Verify and restore both refuse.
    const damaged = {
      flipped: (dir: string) => {
        const path = join(dir, "events.db");
        const bytes = readFileSync(path);
        bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
        writeFileSync(path, bytes);
      },
      truncated: (dir: string) => truncateSync(join(dir, "personal.db"), 4096),
      partial: (dir: string) => rmSync(join(dir, "tree-heads.db")),
    };
    for (const [kind, damage] of Object.entries(damaged)) {
      const copy = join(root.path, `backup-${kind}`);
      cpSync(backup, copy, { recursive: true });
      damage(copy);
      const verified = cli("scripts/backup/backup-cli.js", ["verify", copy], {});
      expect({ kind, status: verified.status }).toEqual({ kind, status: 1 });
      expect(verified.stdout).toMatch(/BROKEN/);
      const target = join(root.path, `restored-${kind}`);
      const refused = cli("scripts/backup/restore-cli.js", ["--from", copy, "--to", target], env(target));
      expect({ kind, status: refused.status }).toEqual({ kind, status: 1 });
      expect(refused.stderr).toMatch(/cannot be restored/);
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(root.path).filter((entry) => entry.includes(".restoring"))).toEqual([]);
    }

    // The backup verifies on its own, and against the auditor's head from before it; the later head is newer.
    const ok = cli("scripts/backup/backup-cli.js", ["verify", backup, "--head", before, "--key", publicKey], {});
    expect({ status: ok.status, out: ok.stdout }).toMatchObject({ status: 0 });
    expect(ok.stdout).toMatch(/holds the log the kept head was signed over/);
    expect(cli("scripts/backup/backup-cli.js", ["verify", backup, "--head", after], {}).status).toBe(3);

    // The restore, reading the live erasure register from its own storage.
    const restore = cli("scripts/backup/restore-cli.js", ["--from", backup, "--to", restored], env(restored));
    expect({ status: restore.status, err: restore.stderr }).toMatchObject({ status: 0 });
    expect(restore.stdout).toMatch(/1 erasures applied again, 1 of them recorded in the log now/);

    // The log: the original's, event for event, up to the backup's position; after it only the re-applied erasure.
    expect(rows(join(restored, "events.db"), `position <= ${position}`)).toEqual(
      rows(join(original, "events.db"), `position <= ${position}`),
    );
    const beyond = rows(join(restored, "events.db"), `position > ${position}`);
    expect(beyond.map((row) => [row.type, row.stream_id, JSON.parse(row.metadata as string).actor])).toEqual([
      ["PersonForgotten", `person-${erasedId}`, "restore"],
    ]);
    const commandIds = new Map<string, number>();
    for (const row of rows(join(restored, "events.db"), "1")) {
      const id = JSON.parse(row.metadata as string).commandId as string;
      commandIds.set(id, (commandIds.get(id) ?? 0) + 1);
    }
    expect(acknowledged.filter((w) => w.position! <= position && commandIds.get(w.commandId) !== 1)).toEqual([]);
    expect(afterBackup.filter((w) => commandIds.has(w.commandId))).toEqual([]);

    // The key of the person erased after the backup is gone from the restored vault; the other's is there.
    const vault = new Database(join(restored, "personal.db"), { readonly: true });
    const keys = vault.prepare("SELECT person_id FROM person_keys").all() as { person_id: string }[];
    vault.close();
    expect(keys.map((k) => k.person_id)).toContain(keptId);
    expect(keys.map((k) => k.person_id)).not.toContain(erasedId);

    await launch(restored);
    const people = await ask(
      partnerships,
      dpo,
      `{ erased: person(id: "${erasedId}") { name email erased } kept: person(id: "${keptId}") { name email erased } }`,
    );
    expect(people.data).toEqual({
      erased: { name: null, email: null, erased: true },
      kept: { name: KEPT.name, email: KEPT.email, erased: false },
    });

    // Heads: a new one is signed over the restored log, consistent with the auditor's head from before the
    // backup; the head kept after it describes events the restore does not have, and the verifier says so.
    const head = Number((rows(join(restored, "events.db"), "1").at(-1) as { position: number }).position);
    await ask(audit, auditor, "{ treeHead { treeSize } }");
    let signed = 0;
    for (let i = 0; i < 100 && signed < head; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const answer = (await ask(audit, auditor, "{ treeHead { treeSize } }")) as {
        data?: { treeHead: { treeSize: number } | null };
      };
      signed = answer.data?.treeHead?.treeSize ?? 0;
    }
    expect(signed).toBe(head);
    const verifier = (state: string) =>
      cli(
        "scripts/auditor/verify-ledger.js",
        ["verify", "--url", audit, "--key", publicKey, "--state", state, "--token", auditor],
        {},
      );
    expect(verifier(before).status).toBe(0);
    const later = verifier(after);
    expect({ status: later.status, out: later.stdout }).toMatchObject({ status: 1 });
    expect(later.stdout).toMatch(/BROKEN/);

    // Integrity of the restored ledger: chains, witness, tree leaves, every head recomputed.
    const integrity = (await ask(
      audit,
      auditor,
      `{ verifyIntegrity { ok eventsChecked leavesChecked headsChecked firstBreak { detail } } }`,
    )) as { data?: { verifyIntegrity: Record<string, unknown> } };
    expect(integrity.data?.verifyIntegrity).toMatchObject({ ok: true, eventsChecked: head, leavesChecked: head });

    // Read models, once caught up, equal a rebuild from the restored log.
    for (const url of [partnerships, audit]) {
      const caughtUp = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${auditor}`,
          "passerelle-consistent-with": String(head),
        },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(caughtUp.status).toBe(200);
    }
    for (const child of children) await child.stop();
    children = [];
    const store = openSqliteEventStore({ path: join(restored, "events.db") });
    for (const [service, definitions] of [
      ["partnerships", SERVICE_PROJECTIONS.partnerships],
      ["audit", SERVICE_PROJECTIONS.audit.filter((definition) => !definition.file)],
    ] as const) {
      const { served, rebuilt } = await servedAndRebuilt(
        store,
        join(restored, "read-models", `${service}.db`),
        definitions,
      );
      expect(served).toEqual(rebuilt);
    }
    await store.close();
    // The restored key is the original's.
    expect(
      createPublicKey(createPrivateKey(readFileSync(join(restored, "ledger-key.pem")))).export({
        type: "spki",
        format: "pem",
      }),
    ).toEqual(readFileSync(publicKey, "utf8"));
  } finally {
    for (const child of children) await child.stop();
    root.remove();
  }
}, 900_000);
