/** Live feeds: paced by their subscriber, closed at once, never holding up writers or other subscribers. */
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { EventStore } from "../../events/port";
import { inScope, liveFeed, type FeedOptions } from "../../services/audit/feed";
import { inPositionOrder } from "../../services/gateway/gateway";
import type { PasserelleEvent } from "../../events/catalogue";

let store: EventStore;
const append = (n: number) =>
  store.appendToStream(`partnership-p${n % 3}`, [
    {
      type: "MilestoneRecorded",
      data: {
        partnershipId: `p${n % 3}`,
        occurredOn: "2020",
        summary: `m${n}`,
        planned: false,
        contextual: false,
        details: {},
        source: null,
      },
      metadata: { actor: "t", commandId: `c${n}` },
    },
  ]);

beforeEach(() => {
  store = openSqliteEventStore({ path: ":memory:", pollIntervalMs: 10 });
});
afterEach(() => store.close());

const feed = (extra: Partial<FeedOptions> = {}) =>
  liveFeed<string>(
    { store, after: "0", scope: {}, lookup: () => undefined, lookupReady: async () => undefined, ...extra },
    (event) => event.position,
  );

describe("live feed", () => {
  it("waits while the subscriber's socket is full, and goes on when it drains", async () => {
    for (let n = 0; n < 3; n++) await append(n);
    let buffered = 0;
    const iterator = feed({ outbox: { bufferedAmount: () => buffered }, highWater: 100 });
    expect(await iterator.next()).toEqual({ done: false, value: "1" });
    buffered = 1000;
    const pending = iterator.next();
    const early = await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve("waiting"), 100))]);
    expect(early).toBe("waiting");
    buffered = 0;
    expect(await pending).toEqual({ done: false, value: "2" });
    await iterator.return!();
  });

  it("gives up on a subscriber that never drains, naming the last position delivered", async () => {
    for (let n = 0; n < 3; n++) await append(n);
    let buffered = 0;
    const iterator = feed({ outbox: { bufferedAmount: () => buffered }, highWater: 100, stallMs: 50 });
    await iterator.next();
    buffered = 1000;
    await expect(iterator.next()).rejects.toMatchObject({ extensions: { code: "SLOW_CONSUMER", lastPosition: "1" } });
  });

  it("a paused subscriber holds up neither writers nor another subscriber", async () => {
    await append(0);
    const stalled = feed({ outbox: { bufferedAmount: () => 1_000_000 }, highWater: 100, stallMs: 300 });
    const next = stalled.next();
    const other = feed();
    const started = Date.now();
    for (let n = 1; n <= 50; n++) await append(n);
    expect(Date.now() - started).toBeLessThan(5000);
    const seen: string[] = [];
    for (let n = 0; n < 51; n++) seen.push((await other.next()).value as string);
    expect(seen).toEqual(Array.from({ length: 51 }, (_, n) => String(n + 1)));
    await other.return!();
    await expect(next).rejects.toMatchObject({ extensions: { code: "SLOW_CONSUMER" } });
  });

  it("closes at once when the subscriber leaves, even while waiting for the next event", async () => {
    const iterator = feed();
    const pending = iterator.next();
    await iterator.return!();
    await expect(pending).resolves.toMatchObject({ done: true });
  });

  it("filters by institution and country through the partnership's parties and countries", () => {
    const lookup = (id: string) => (id === "p" ? { parties: ["chu-tours", "hogip"], countries: ["SN"] } : undefined);
    const milestone = { type: "MilestoneRecorded", data: { partnershipId: "p" } } as PasserelleEvent;
    const funding = {
      type: "FundingGranted",
      data: { partnershipId: "q", funders: ["afd"] },
    } as unknown as PasserelleEvent;
    expect(inScope(milestone, { institutionId: "hogip" }, lookup)).toBe(true);
    expect(inScope(milestone, { institutionId: "afd" }, lookup)).toBe(false);
    expect(inScope(milestone, { country: "SN" }, lookup)).toBe(true);
    expect(inScope(funding, { institutionId: "afd" }, lookup)).toBe(true);
    expect(inScope(funding, { partnershipId: "p" }, lookup)).toBe(false);
  });
});

describe("the gateway's position order", () => {
  it("drops payloads at or before the last position delivered (a reconnect's replay)", async () => {
    async function* replaying() {
      for (const position of ["5", "6", "7", "5", "6", "7", "8"]) yield { data: { eventFeed: { position } } };
      yield { data: { other: { id: "x" } } };
    }
    const seen: unknown[] = [];
    for await (const result of inPositionOrder(replaying())) seen.push(result.data);
    expect(seen).toEqual([
      { eventFeed: { position: "5" } },
      { eventFeed: { position: "6" } },
      { eventFeed: { position: "7" } },
      { eventFeed: { position: "8" } },
      { other: { id: "x" } },
    ]);
  });
});
