import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { EventStore } from "../../events/port";
import { defineProjection, tablesOf, type ProjectionDefinition } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { catchUp, rebuildProjection } from "../../projections/rebuild";
import { ProjectionTrack } from "../../projections/track";
import { activityCalendar } from "../../projections/read-models/activity-calendar";
import { getPartnership, partnershipSummary } from "../../projections/read-models/partnership-summary";
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { ProjectionRunner } from "../../projections/runner";
import { handleCommand } from "../../services/common/command-handler";
import { institutionDecider } from "../../domain/partnerships/institution.decider";
import { partnershipDecider } from "../../domain/partnerships/partnership.decider";
import { meta } from "../support/decider-spec";
import { dumpReadModels } from "../support/dump";
import { writeGeneratedLog } from "../support/generated-log";
import { HISTORY, writeHistory } from "../support/history";
import { tempDir } from "../support/temp";

const ALL: ProjectionDefinition[] = Object.values(SERVICE_PROJECTIONS).flat();

async function freshRebuild(store: EventStore, definitions: readonly ProjectionDefinition[]) {
  const rm = new ReadModelDatabase(":memory:");
  for (const definition of definitions) await rebuildProjection(store, rm, definition);
  const dump = dumpReadModels(rm, definitions);
  rm.close();
  return dump;
}

describe("projection runner", () => {
  let store: EventStore;
  let rm: ReadModelDatabase;
  let runner: ProjectionRunner | undefined;
  beforeEach(() => {
    store = openSqliteEventStore({ path: ":memory:", pollIntervalMs: 10 });
    rm = new ReadModelDatabase(":memory:");
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    rm.close();
    await store.close();
  });

  it("incremental (live, event by event) ends identical to a rebuild from zero", async () => {
    runner = new ProjectionRunner(store, rm, ALL, { batchSize: 3 });
    runner.start();
    let position = "0";
    for (const [index, item] of HISTORY.entries()) {
      position = await writeHistory(store, [item]).then((p) => p);
      if (index % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const definition of ALL) await runner.waitForPosition(definition.name, position);
    expect(dumpReadModels(rm, ALL)).toEqual(await freshRebuild(store, ALL));
  });

  it("catches up on a backlog in batches and reports its figures", async () => {
    const total = await writeGeneratedLog(store, 20, 48);
    runner = new ProjectionRunner(store, rm, [partnershipSummary], { batchSize: 100 });
    runner.start();
    await runner.waitForPosition("partnership_summary", String(total));
    const [status] = await runner.status();
    expect(status).toMatchObject({
      name: "partnership_summary",
      version: 1,
      serving: true,
      status: "live",
      checkpoint: String(total),
      headPosition: String(total),
      lagEvents: 0,
      lagSeconds: 0,
      error: null,
    });
    expect(status!.eventsPerSecond).toBeGreaterThan(0);
    expect(getPartnership(rm, tablesOf("partnership_summary", 1, partnershipSummary.tables), "gen-3")).toMatchObject({
      milestones: 48,
      status: "active",
    });
  });

  it("catches up reading only the event types it handles, and is live at the head though the last ones are not its own", async () => {
    // Given a backlog of milestones, then events of types the projection has no handler for
    const head = String((await writeGeneratedLog(store, 4, 30)) + (await writeGeneratedLog(store, 2, 0))); // the last: proposals and starts
    const counter = defineProjection<"seen">({
      name: "milestone_counter",
      version: 1,
      tables: ["seen"],
      setup: (sql, t) => sql.run(`CREATE TABLE ${t.seen} (position TEXT PRIMARY KEY)`),
      handlers: { MilestoneRecorded: (event, sql, t) => sql.run(`INSERT INTO ${t.seen} VALUES (?)`, event.position) },
    });
    const delivered: string[] = [];
    const watched: EventStore = Object.create(store, {
      readAll: {
        value: async function* (options?: Parameters<EventStore["readAll"]>[0]) {
          for await (const event of store.readAll(options)) {
            delivered.push(event.type);
            yield event;
          }
        },
      },
    }) as EventStore;
    // When it catches up
    runner = new ProjectionRunner(watched, rm, [counter as ProjectionDefinition], { batchSize: 25 });
    runner.start();
    await runner.waitForPosition("milestone_counter", head);
    // Then only milestones were read, every one applied, and its checkpoint is the head: it is live
    expect(new Set(delivered)).toEqual(new Set(["MilestoneRecorded"]));
    expect(rm.all(`SELECT position FROM milestone_counter_v1_seen`)).toHaveLength(4 * 30);
    const [status] = await runner.status();
    expect(status).toMatchObject({ status: "live", checkpoint: head, lagEvents: 0 });
  });

  it("a long catch-up lets the event loop run between batches (requests and health checks get answers)", async () => {
    const total = await writeGeneratedLog(store, 20, 48);
    runner = new ProjectionRunner(store, rm, [partnershipSummary], { batchSize: 50 });
    // Counts the event-loop turns taken while the backlog is applied: without them a service answers nothing
    // until it has caught up, and every event read meanwhile stays in memory.
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns += 1;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    runner.start();
    await runner.waitForPosition("partnership_summary", String(total));
    counting = false;
    expect(turns).toBeGreaterThanOrEqual(total / 50 - 1);
  });

  it("read-your-writes: a write then a read that waits for its position always sees it", async () => {
    runner = new ProjectionRunner(store, rm, [partnershipSummary]);
    runner.start();
    for (const id of ["chu-rennes", "hopital-redemption"]) {
      await handleCommand(store, institutionDecider, {
        type: "RegisterInstitution",
        data: { institutionId: id, name: id, kind: "hospital" },
        metadata: meta(`r-${id}`),
      });
    }
    await handleCommand(store, partnershipDecider, {
      type: "ProposePartnership",
      data: {
        partnershipId: "rl",
        title: "Rennes – Liberia",
        scope: "international",
        parties: ["chu-rennes", "hopital-redemption"],
      },
      metadata: meta("p"),
    });
    const tables = runner.tables(partnershipSummary);
    for (let n = 1; n <= 40; n++) {
      const result = await handleCommand(store, partnershipDecider, {
        type: "RecordMilestone",
        data: { partnershipId: "rl", occurredOn: "2021", summary: `Workshop ${n}` },
        metadata: meta(`m${n}`),
      });
      await runner.waitForPosition("partnership_summary", result.position, 2000);
      expect(getPartnership(rm, tables, "rl")?.milestones).toBe(n);
    }
  });

  it("a read waiting past its timeout gets a typed error", async () => {
    runner = new ProjectionRunner(store, rm, [partnershipSummary]);
    runner.start();
    await expect(runner.waitForPosition("partnership_summary", "99", 50)).rejects.toMatchObject({
      code: "READ_TIMEOUT",
      position: "99",
      checkpoint: "0",
      timeoutMs: 50,
    });
  });

  it("an event a handler cannot apply stops the projection, named by position and type, never skipped", async () => {
    const fragile = defineProjection<"seen">({
      name: "fragile",
      version: 1,
      tables: ["seen"],
      setup: (sql, t) => sql.run(`CREATE TABLE ${t.seen} (position TEXT)`),
      handlers: {
        MilestoneRecorded(event, sql, t) {
          if (event.data.summary === "Milestone 7") throw new Error("cannot apply this milestone");
          sql.run(`INSERT INTO ${t.seen} VALUES (?)`, event.position);
        },
      },
    });
    await writeGeneratedLog(store, 1, 20);
    runner = new ProjectionRunner(store, rm, [fragile], { batchSize: 5 });
    runner.start();
    // Positions: 1 proposed, 2 started, 3.. milestones 0..; "Milestone 7" is at position 10.
    await expect(runner.waitForPosition("fragile", "22", 5000)).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    const [status] = await runner.status();
    expect(status).toMatchObject({ status: "failed", checkpoint: "9", lagEvents: 13 });
    expect(status!.error).toContain("position 10 (MilestoneRecorded)");
    expect(status!.error).toContain("cannot apply this milestone");
    expect(rm.all(`SELECT position FROM fragile_v1_seen`)).toHaveLength(7);
    expect(rm.projection("fragile", 1)).toMatchObject({ status: "failed", checkpoint: "9" });
  });

  it("sums kept in memory for a batch are written once, and a failed batch's are never written", async () => {
    let pending = 0;
    let writes = 0;
    const summing = defineProjection<"sums">({
      name: "summing",
      version: 1,
      tables: ["sums"],
      setup: (sql, t) => sql.run(`CREATE TABLE ${t.sums} (what TEXT PRIMARY KEY, n INTEGER NOT NULL)`),
      batched: {
        begin: () => (pending = 0),
        end(sql, t) {
          writes += 1;
          sql.run(
            `INSERT INTO ${t.sums} VALUES ('milestones', ?) ON CONFLICT (what) DO UPDATE SET n = n + excluded.n`,
            pending,
          );
        },
      },
      handlers: {
        MilestoneRecorded(event) {
          if (event.data.summary === "Milestone 7") throw new Error("cannot apply this milestone");
          pending += 1;
        },
      },
    });
    await writeGeneratedLog(store, 1, 20);
    runner = new ProjectionRunner(store, rm, [summing], { batchSize: 5 });
    runner.start();
    await expect(runner.waitForPosition("summing", "22", 5000)).rejects.toMatchObject({ code: "PROJECTION_FAILED" });
    // Milestones 0..6 (positions 3..9) counted once each: the failed batch (positions 6..10) was rolled back and
    // its first four retried one by one, none of its sums carried into the retries.
    expect(rm.get(`SELECT n FROM summing_v1_sums`)).toEqual({ n: 7 });
    expect(rm.projection("summing", 1)).toMatchObject({ status: "failed", checkpoint: "9" });
    expect(writes).toBeGreaterThan(1);
  });

  it("the indexes only queries use are made once the projection has caught up, not while its tables fill", async () => {
    const indexesOf = (table: string) =>
      rm
        .all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`, table)
        .map((row) => row.name)
        .filter((name) => !name.startsWith("sqlite_autoindex"));
    await writeHistory(store, HISTORY);
    const track = new ProjectionTrack(activityCalendar, rm);
    await catchUp(store, track, { batchSize: 10 });
    expect(rm.get(`SELECT count(*) AS n FROM activity_calendar_v1_activities`)).not.toEqual({ n: 0 });
    expect(indexesOf("activity_calendar_v1_activities")).toEqual([]);

    track.markLive();
    const expected = ["activity_calendar_v1_activities_days", "activity_calendar_v1_activities_partnership"];
    expect(indexesOf("activity_calendar_v1_activities").sort()).toEqual(expected);
    // And a rebuild from zero, the CLI's path, ends with them too.
    await rebuildProjection(store, rm, activityCalendar);
    expect(indexesOf("activity_calendar_v1_activities").sort()).toEqual(expected);
  });

  it("checkpoints the WAL less often while any projection in the file catches up, as SQLite does once all are live", async () => {
    const dir = tempDir("wal-");
    const file = new ReadModelDatabase(join(dir.path, "read-models.db"));
    const threshold = () => file.db.pragma("wal_autocheckpoint", { simple: true });
    try {
      expect(threshold()).toBe(1000);
      await writeHistory(store, HISTORY);
      // Given two projections catching up in one file
      const calendar = new ProjectionTrack(activityCalendar, file);
      const summary = new ProjectionTrack(partnershipSummary, file);
      expect(threshold()).toBe(10_000);
      await catchUp(store, calendar, { batchSize: 10 });
      await catchUp(store, summary, { batchSize: 10 });
      // When the first is live, the other still loading; then both
      calendar.markLive();
      expect(threshold()).toBe(10_000);
      summary.markLive();
      expect(threshold()).toBe(1000);
      // And a version dropped while it loads does not leave the file in bulk mode
      const next = { ...activityCalendar, version: activityCalendar.version + 1 };
      new ProjectionTrack(next, file);
      expect(threshold()).toBe(10_000);
      ProjectionTrack.drop(file, next.name, next.version);
      expect(threshold()).toBe(1000);
    } finally {
      file.close();
      dir.remove();
    }
  });

  it("a new version rebuilds from zero while the previous one serves, then takes over", async () => {
    const counting = (version: number, previous?: ProjectionDefinition<"counts">) =>
      defineProjection<"counts">({
        name: "counting",
        version,
        tables: ["counts"],
        setup: (sql, t) => sql.run(`CREATE TABLE ${t.counts} (type TEXT PRIMARY KEY, n INTEGER NOT NULL)`),
        handlers: {
          MilestoneRecorded: (_event, sql, t) =>
            sql.run(
              `INSERT INTO ${t.counts} VALUES ('milestone', ${version}) ON CONFLICT (type) DO UPDATE SET n = n + ${version}`,
            ),
        },
        ...(previous ? { previous } : {}),
      });
    const v1 = counting(1);
    const position = String(await writeGeneratedLog(store, 2, 10));
    runner = new ProjectionRunner(store, rm, [v1]);
    runner.start();
    await runner.waitForPosition("counting", position);
    await runner.stop();

    const v2 = counting(2, v1);
    runner = new ProjectionRunner(store, rm, [v2]);
    runner.start();
    // Until v2 has caught up, queries read v1's tables, and v1 still has its rows.
    expect(runner.tables(v2)).toEqual({ counts: "counting_v1_counts" });
    expect(rm.get(`SELECT n FROM counting_v1_counts`)).toEqual({ n: 20 });
    await runner.waitForPosition("counting", position);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rm.servingVersion("counting")).toBe(2);
    expect(runner.tables(v2)).toEqual({ counts: "counting_v2_counts" });
    expect(rm.get(`SELECT n FROM counting_v2_counts`)).toEqual({ n: 40 });
    expect(rm.tablesOfVersion("counting", 1)).toEqual([]);
    expect(rm.projections("counting").map((p) => p.version)).toEqual([2]);
  });

  it("two runners on one read-model file: the second stops instead of applying twice", async () => {
    const position = String(await writeGeneratedLog(store, 2, 200));
    const dir = tempDir();
    const path = join(dir.path, "rm.db");
    const first = new ProjectionRunner(store, new ReadModelDatabase(path), [partnershipSummary], { batchSize: 10 });
    const second = new ProjectionRunner(store, new ReadModelDatabase(path), [partnershipSummary], { batchSize: 10 });
    first.start();
    second.start();
    const outcomes = await Promise.allSettled([
      first.waitForPosition("partnership_summary", position, 10_000),
      second.waitForPosition("partnership_summary", position, 10_000),
    ]);
    const statuses = [...(await first.status()), ...(await second.status())];
    await Promise.all([first.stop(), second.stop()]);
    dir.remove();
    expect(outcomes.some((o) => o.status === "fulfilled")).toBe(true);
    const failed = statuses.filter((s) => s.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toContain("checkpoint moved");
  });
});

describe("crash safety", () => {
  it("a runner killed with SIGKILL mid-batch resumes and ends identical to a fresh rebuild", async () => {
    const dir = tempDir();
    const storePath = join(dir.path, "events.db");
    const readModelPath = join(dir.path, "partnerships.db");
    const store = openSqliteEventStore({ path: storePath });
    const total = await writeGeneratedLog(store, 60, 300);
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        join(__dirname, "..", "support", "projection-runner.child.ts"),
        storePath,
        readModelPath,
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let killedAt = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      const checkpoint = Number(line.split(" ")[1]);
      if (checkpoint > total / 4) {
        child.kill("SIGKILL");
        killedAt = checkpoint;
        break;
      }
    }
    await exited;
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(total);

    const rm = new ReadModelDatabase(readModelPath);
    const definitions = SERVICE_PROJECTIONS.partnerships;
    const runner = new ProjectionRunner(store, rm, definitions, { batchSize: 500 });
    runner.start();
    for (const definition of definitions) await runner.waitForPosition(definition.name, String(total), 60_000);
    await runner.stop();
    expect(dumpReadModels(rm, definitions)).toEqual(await freshRebuild(store, definitions));
    rm.close();
    await store.close();
    dir.remove();
  }, 120_000);
});
