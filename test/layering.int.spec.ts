/**
 * The layering rule (`.dependency-cruiser.cjs`, run by `npm run lint`) holds on the tree, and fails on an upward
 * import: checked on a copy of the rule over a small tree made here, so the real tree is never touched.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/system";
import { tempDir } from "./support/temp";

const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const LAYERS = ["events", "domain", "projections", "services", "scripts"];

function cruise(cwd: string) {
  return spawnSync(process.execPath, [DEPCRUISE, ...LAYERS, "--config", ".dependency-cruiser.cjs"], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("layering: events ← domain ← projections ← services ← scripts", () => {
  it("holds on the repository", () => {
    const run = cruise(ROOT);
    expect({ status: run.status, out: run.stdout }).toEqual({
      status: 0,
      out: expect.stringContaining("no dependency violations"),
    });
  });

  it("fails on an upward import, naming the rule", () => {
    const dir = tempDir("passerelle-layers-");
    try {
      copyFileSync(join(ROOT, ".dependency-cruiser.cjs"), join(dir.path, ".dependency-cruiser.cjs"));
      writeFileSync(join(dir.path, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs" } }));
      for (const layer of LAYERS) mkdirSync(join(dir.path, layer));
      writeFileSync(
        join(dir.path, "services", "resolver.ts"),
        'import { decide } from "../domain/decider";\nexport const r = decide;\n',
      );
      // A decider reaching up into a subgraph: what the rule exists to stop.
      writeFileSync(
        join(dir.path, "domain", "decider.ts"),
        'import { ids } from "../services/ids";\nexport const decide = ids;\n',
      );
      writeFileSync(join(dir.path, "services", "ids.ts"), "export const ids = 1;\n");
      for (const layer of ["events", "projections", "scripts"])
        writeFileSync(join(dir.path, layer, "x.ts"), "export {};\n");
      const run = cruise(dir.path);
      expect(run.status).not.toBe(0);
      expect(run.stdout).toMatch(/domain-not-on-services: domain\/decider\.ts → services\/ids\.ts/);
    } finally {
      dir.remove();
    }
  });
});
