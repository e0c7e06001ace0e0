/** The rebuild CLI on the demo dataset: from zero, with a progress bar, to read models with the real data. */
import { openSqlitePersonalDataVault } from "../../events/adapters/sqlite/sqlite-personal-data-vault";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { listPartnerships, partnershipSummary } from "../../projections/read-models/partnership-summary";
import { demoDataPath, readDataset } from "../../scripts/demo-data/commands";
import { importDemoData } from "../../scripts/demo-data/import";
import { NOW } from "../support/decider-spec";
import { tempDir } from "../support/temp";

const CLI = join(__dirname, "..", "..", "scripts", "projections.ts");

describe("projections CLI", () => {
  const dir = tempDir();
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", CLI, ...args], {
      env: { ...process.env, PASSERELLE_DATA_DIR: dir.path },
      encoding: "utf8",
      timeout: 60_000,
    });
  let events = 0;

  beforeAll(async () => {
    const store = openSqliteEventStore({ path: join(dir.path, "events.db") });
    events = Number(
      (
        await importDemoData(
          store,
          readDataset(demoDataPath()),
          NOW,
          openSqlitePersonalDataVault({ vault: ":memory:", erasureRegister: ":memory:" }),
        )
      ).position,
    );
    await store.close();
  }, 60_000);
  afterAll(() => dir.remove());

  it("rebuilds every projection of the demo data from zero, showing progress", () => {
    const result = run("rebuild", "--all");
    expect(result.status).toBe(0);
    for (const name of [
      "partnership_summary",
      "institution_directory",
      "review_reminders",
      "activity_calendar",
      "funding",
      "statistics",
    ]) {
      expect(result.stdout).toContain(`${name} v1: rebuilt from ${events} events, checkpoint ${events}`);
      expect(result.stderr).toMatch(new RegExp(`${name} v1 \\[=+\\] ${events}/${events} events \\| \\d+ ev/s`));
    }
    const rm = new ReadModelDatabase(join(dir.path, "read-models", "partnerships.db"));
    const all = listPartnerships(rm, tablesOf("partnership_summary", 1, partnershipSummary.tables), {}, 100);
    expect(all.totalCount).toBe(43);
    expect(all.items.find((p) => p.id === "tours-hogip-dakar-twinning")).toMatchObject({
      status: "suspended",
      signed_on: "2018",
      suspended_since: "2020",
    });
    rm.close();
  }, 60_000);

  it("rebuilds one projection by name, and reports status", () => {
    expect(run("rebuild", "funding").stdout).toContain(`funding v1: rebuilt from ${events} events`);
    const status = run("status");
    expect(status.stdout).toContain(`event store: sqlite, head ${events} (${events} events)`);
    expect(status.stdout).toContain(`activities/funding v1 (serving): live, checkpoint ${events}, 0 events behind`);
  }, 60_000);

  it("refuses an unknown projection, naming the known ones", () => {
    const result = run("rebuild", "nonsense");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no projection named "nonsense"; known: partnership_summary');
  });

  it("answers --help with its usage; an unknown option is refused with the usage, not a stack trace", () => {
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: projections rebuild/);
    const bad = run("rebuild", "--everything");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--everything'");
    expect(bad.stderr).toContain("usage: projections rebuild");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
