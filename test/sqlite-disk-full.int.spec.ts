/**
 * A full disk, made real with SQLite's max_page_count (the store's `maxBytes`): SQLite answers SQLITE_FULL as
 * it would on a full file system. Appends are refused with a typed error, nothing acknowledged is lost or half
 * written, reads go on, and writes work again once there is space.
 */
import { join } from "node:path";
import { SqliteBackend } from "../events/adapters/sqlite/sqlite-event-store";
import { ChainedEventStore } from "../events/chained-event-store";
import type { NewEvent, RecordedEvent } from "../events/envelope";
import { StoreFullError } from "../events/errors";
import { findChainBreak } from "../events/hash-chain";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import { handleCommand } from "../services/common/command-handler";
import { institutionDecider } from "../domain/partnerships/institution.decider";
import { collect } from "./support/async";
import { meta } from "./support/decider-spec";
import { tempDir } from "./support/temp";

const event = (n: number): NewEvent => ({
  type: "MilestoneRecorded",
  data: { n, summary: "x".repeat(1500) },
  metadata: { actor: "disk-full-test", commandId: `c${n}` },
});

/** Appends until the store refuses; every append is three events, so a half-written one would show. */
async function fill(store: ChainedEventStore): Promise<{ acknowledged: string[]; refusal: unknown }> {
  const acknowledged: string[] = [];
  for (let n = 0; n < 10_000; n++) {
    const stream = `partnership-p${n % 7}`;
    try {
      await store.appendToStream(stream, [event(3 * n), event(3 * n + 1), event(3 * n + 2)]);
      acknowledged.push(`c${3 * n}`, `c${3 * n + 1}`, `c${3 * n + 2}`);
    } catch (refusal) {
      return { acknowledged, refusal };
    }
  }
  throw new Error("the store never filled up");
}

async function checkLog(store: ChainedEventStore, acknowledged: readonly string[]): Promise<RecordedEvent[]> {
  const log = await collect(store.readAll());
  expect(log.map((e) => e.metadata.commandId)).toEqual(acknowledged);
  for (const stream of new Set(log.map((e) => e.streamId))) {
    expect(await findChainBreak(store.readStream(stream))).toBeNull();
  }
  return log;
}

describe("SQLite store on a full disk", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("passerelle-full-")));
  afterEach(() => dir.remove());

  it("refuses with STORE_FULL, keeps every acknowledged append whole, serves reads, and recovers", async () => {
    const path = join(dir.path, "events.db");
    const backend = new SqliteBackend({ path, maxBytes: 256 * 1024 });
    const store = new ChainedEventStore(backend);
    const { acknowledged, refusal } = await fill(store);
    expect(refusal).toBeInstanceOf(StoreFullError);
    expect(refusal).toMatchObject({ code: "STORE_FULL", message: expect.stringMatching(/full; nothing was written/) });
    expect(acknowledged.length).toBeGreaterThan(30);

    // Reads go on while writes are refused.
    const log = await checkLog(store, acknowledged);
    expect(await store.headPosition()).toBe(log[log.length - 1]!.position);
    expect(await collect(store.readStream("partnership-p0", { direction: "backwards", maxCount: 1 }))).toHaveLength(1);

    // Appends that arrive together (one group commit) each succeed whole or fail whole.
    const racing = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => store.appendToStream(`mission-m${i}`, [event(90_000 + i)])),
    );
    expect(racing.every((r) => r.status === "rejected" && r.reason instanceof StoreFullError)).toBe(true);
    await checkLog(store, acknowledged);

    // Space is back: the same running store writes again.
    backend.limitSize(null);
    await store.appendToStream("partnership-p0", [event(100_000)]);
    await checkLog(store, [...acknowledged, "c100000"]);
    await store.close();

    // And it was all durable.
    const reopened = openSqliteEventStore({ path });
    expect((await collect(reopened.readAll())).map((e) => e.metadata.commandId)).toEqual([...acknowledged, "c100000"]);
    await reopened.close();
  });

  it("a command on a full store gets STORE_FULL and appends nothing", async () => {
    const backend = new SqliteBackend({ path: join(dir.path, "events.db"), maxBytes: 128 * 1024 });
    const store = new ChainedEventStore(backend);
    await fill(store);
    const before = (await collect(store.readAll())).length;
    await expect(
      handleCommand(store, institutionDecider, {
        type: "RegisterInstitution",
        data: { institutionId: "chu-rennes", name: "CHU de Rennes", kind: "hospital", country: "FR" },
        metadata: meta("register-on-full"),
      }),
    ).rejects.toMatchObject({ code: "STORE_FULL", streamId: "institution-chu-rennes" });
    expect((await collect(store.readAll())).length).toBe(before);
    await store.close();
  });
});
