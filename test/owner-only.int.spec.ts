/**
 * The data folder made owner-only at start. Services sharing one folder start side by side, and SQLite creates
 * and deletes its journal files while another service lists the folder: a file gone between listing and stat is
 * not an error (the restore drill once died of it).
 */
import { chmodSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { ownerOnly } from "../services/common/paths";
import { tempDir } from "./support/temp";

const mode = (path: string) => statSync(path).mode & 0o777;

test("given a readable file left by an earlier run, when the folder is made owner-only, then the file is 0600", () => {
  const dir = tempDir("passerelle-owner-");
  try {
    const file = join(dir.path, "events.db");
    writeFileSync(file, "");
    chmodSync(file, 0o644);
    chmodSync(dir.path, 0o755);

    ownerOnly(dir.path, () => undefined);

    expect({ folder: mode(dir.path), file: mode(file) }).toEqual({ folder: 0o700, file: 0o600 });
  } finally {
    dir.remove();
  }
});

test("given another process creating and deleting journal files, when the folder is made owner-only, then it never fails", async () => {
  const dir = tempDir("passerelle-owner-");
  // A worker thread stands for the other service's SQLite: it creates and unlinks files as fast as it can.
  const churn = new Worker(
    `const { writeFileSync, unlinkSync } = require("node:fs");
     const { workerData } = require("node:worker_threads");
     for (let i = 0; ; i++) {
       const file = workerData.dir + "/journal-" + (i % 8) + ".db-journal";
       writeFileSync(file, "");
       unlinkSync(file);
     }`,
    { eval: true, workerData: { dir: dir.path } },
  );
  await new Promise((resolve) => churn.once("online", resolve));
  try {
    const failures: string[] = [];
    const deadline = Date.now() + 3_000;
    for (let round = 0; round < 20_000 && Date.now() < deadline; round++) {
      try {
        ownerOnly(dir.path, () => undefined);
      } catch (error) {
        failures.push((error as Error).message);
        if (failures.length >= 3) break;
      }
    }
    expect(failures).toEqual([]);
  } finally {
    await churn.terminate();
    dir.remove();
  }
});
