/**
 * Analysts' subscriptions through the gateway's single endpoint, with a real graphql-ws client: resumable with
 * no gap and no duplicate while writers append, filtered, and surviving a restart of the audit service.
 */
import type { Client } from "graphql-ws";
import { graphql, liveClient, startSystem, stopCleanly, type RunningSystem } from "../support/system";

let system: RunningSystem;
const clients: Client[] = [];

beforeAll(async () => {
  system = await startSystem();
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stopCleanly(system);
}, 60_000);

function connect(token?: string): Client {
  const client = liveClient(system.url, token ? { authorization: `Bearer ${token}` } : {});
  clients.push(client);
  return client;
}

interface FeedEvent {
  position: string;
  type: string;
  streamId: string;
}

const FEED = `subscription ($after: Position, $filter: EventSubscriptionFilter) { eventFeed(after: $after, filter: $filter) { position type streamId } }`;

/** Takes `count` events from a subscription, or fewer if it ends; fails after `timeoutMs`. */
async function take(
  iterator: AsyncIterator<{ data?: { eventFeed: FeedEvent } | null; errors?: readonly unknown[] }>,
  count: number,
  timeoutMs = 20_000,
): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()))),
    ]);
    if (next === "timeout") throw new Error(`timed out with ${events.length} of ${count} events`);
    if (next.done) break;
    if (next.value.errors) throw Object.assign(new Error("subscription error"), { errors: next.value.errors });
    events.push(next.value.data!.eventFeed);
  }
  return events;
}

/** True when nothing more arrives within `ms`. */
async function quiet(iterator: AsyncIterator<unknown>, ms = 600): Promise<boolean> {
  const next = await Promise.race([
    iterator.next(),
    new Promise<"quiet">((resolve) => setTimeout(() => resolve("quiet"), ms)),
  ]);
  return next === "quiet";
}

let counter = 0;
async function mutate(query: string, variables: Record<string, unknown> = {}): Promise<{ position: string }> {
  const response = await graphql<Record<string, { position: string }>>(system.url, query, {
    token: system.tokens.editor!,
    variables: { c: `sub-${++counter}`, ...variables },
  });
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return Object.values(response.data!)[0]!;
}
const register = (id: string, country: string) =>
  mutate(
    `mutation ($c: ID!) { registerInstitution(commandId: $c, input: { institutionId: "${id}", name: "${id}", kind: HOSPITAL, country: "${country}" }) { position } }`,
  );
const propose = (id: string, parties: string[], country: string) =>
  mutate(
    `mutation ($c: ID!, $p: [ID!]!) { proposePartnership(commandId: $c, input: { partnershipId: "${id}", title: "${id}", scope: INTERNATIONAL, parties: $p, countries: ["${country}"] }) { position } }`,
    { p: parties },
  );
const milestone = (id: string, n: number) =>
  mutate(
    `mutation ($c: ID!) { recordMilestone(commandId: $c, input: { partnershipId: "${id}", occurredOn: "2024", summary: "Milestone ${n}" }) { position } }`,
  );

function expectContiguous(received: FeedEvent[], written: string[]): void {
  const positions = received.map((e) => e.position);
  expect(new Set(positions).size).toBe(positions.length);
  for (let i = 1; i < positions.length; i++) expect(BigInt(positions[i]!)).toBeGreaterThan(BigInt(positions[i - 1]!));
  expect(positions).toEqual(written);
}

describe("eventFeed through the gateway", () => {
  it("resumes from the last position seen with no gap and no duplicate while a writer keeps appending", async () => {
    await register("sub-i1", "FR");
    await register("sub-i2", "SN");
    const { position: start } = await propose("sub-resume", ["sub-i1", "sub-i2"], "SN");
    const written: string[] = [];
    const writing = (async () => {
      for (let n = 0; n < 60; n++) written.push((await milestone("sub-resume", n)).position);
    })();
    const client = connect(system.tokens.analyst);
    const received: FeedEvent[] = [];
    let after = start;
    while (received.length < 60) {
      // Take a few, drop the subscription, come back with the last position seen.
      const iterator = client.iterate<{ eventFeed: FeedEvent }>({
        query: FEED,
        variables: { after, filter: { partnershipId: "sub-resume" } },
      });
      const batch = await take(iterator, Math.min(17, 60 - received.length));
      await iterator.return?.();
      received.push(...batch);
      after = batch[batch.length - 1]!.position;
    }
    await writing;
    expect(received.every((e) => e.type === "MilestoneRecorded" && e.streamId === "partnership-sub-resume")).toBe(true);
    expectContiguous(received, written);
  }, 120_000);

  it("shows analysts what happened and when over the feed, not who, the data or the quotes; auditors all of it", async () => {
    const query = `subscription ($filter: EventSubscriptionFilter) { eventFeed(after: "0", filter: $filter) {
      position type streamId actor commandId data source { quote } } }`;
    const read = async (token: string) => {
      const iterator = connect(token).iterate<{ eventFeed: FeedEvent & Record<string, unknown> }>({
        query,
        variables: { filter: { partnershipId: "tours-hogip-dakar-twinning" } },
      });
      const events = (await take(iterator as never, 5)) as Array<FeedEvent & Record<string, unknown>>;
      await iterator.return?.();
      return events;
    };
    const seen = await read(system.tokens.analyst!);
    const full = await read(system.tokens.auditor!);
    expect(seen.map((e) => e.position)).toEqual(full.map((e) => e.position));
    for (const event of seen) expect(event).toMatchObject({ actor: null, commandId: null, data: null, source: null });
    expect(full.every((event) => typeof event.actor === "string" && event.data !== null)).toBe(true);
    // The demo's facts carry their verbatim quotes: there they are, for auditors only.
    expect(full.some((event) => typeof (event.source as { quote?: unknown } | null)?.quote === "string")).toBe(true);
  });

  it("filters by event type, institution and country", async () => {
    const head = (await register("flt-fr", "FR")).position;
    await register("flt-kh", "KH");
    await register("flt-mg", "MG");
    await propose("flt-cambodia", ["flt-fr", "flt-kh"], "KH");
    await propose("flt-madagascar", ["flt-fr", "flt-mg"], "MG");
    await milestone("flt-cambodia", 1);
    await milestone("flt-madagascar", 1);
    await mutate(
      `mutation ($c: ID!) { signMoU(commandId: $c, input: { partnershipId: "flt-cambodia", signedOn: "2024-02-01" }) { position } }`,
    );
    const client = connect(system.tokens.analyst);
    const feed = async (filter: Record<string, unknown>, count: number) => {
      const iterator = client.iterate<{ eventFeed: FeedEvent }>({ query: FEED, variables: { after: head, filter } });
      const events = await take(iterator, count);
      expect(await quiet(iterator)).toBe(true);
      await iterator.return?.();
      return events.map((e) => `${e.streamId}:${e.type}`);
    };
    expect(await feed({ country: "MG" }, 3)).toEqual([
      "institution-flt-mg:InstitutionRegistered",
      "partnership-flt-madagascar:PartnershipProposed",
      "partnership-flt-madagascar:MilestoneRecorded",
    ]);
    expect(await feed({ institutionId: "flt-kh" }, 4)).toEqual([
      "institution-flt-kh:InstitutionRegistered",
      "partnership-flt-cambodia:PartnershipProposed",
      "partnership-flt-cambodia:MilestoneRecorded",
      "partnership-flt-cambodia:MoUSigned",
    ]);
    expect(await feed({ types: ["MoU"] }, 1)).toEqual(["partnership-flt-cambodia:MoUSigned"]);
    expect(await feed({ types: ["Milestone"], country: "KH" }, 1)).toEqual([
      "partnership-flt-cambodia:MilestoneRecorded",
    ]);
  }, 60_000);

  it("survives a restart of the audit service: resubscribing from the last position loses nothing", async () => {
    await register("rst-i1", "FR");
    await register("rst-i2", "LR");
    const { position: start } = await propose("sub-restart", ["rst-i1", "rst-i2"], "LR");
    const written: string[] = [];
    const writing = (async () => {
      for (let n = 0; n < 40; n++) {
        written.push((await milestone("sub-restart", n)).position);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const client = connect(system.tokens.analyst);
    const received: FeedEvent[] = [];
    let killed = false;
    let after = start;
    const auditUrl = `http://127.0.0.1:${system.ports.audit}`;
    while (received.length < 40) {
      const iterator = client.iterate<{ eventFeed: FeedEvent }>({
        query: FEED,
        variables: { after, filter: { partnershipId: "sub-restart" } },
      });
      try {
        for (;;) {
          const [event] = await take(iterator, 1, 30_000);
          if (!event) break;
          received.push(event);
          after = event.position;
          if (received.length === 10 && !killed) {
            const { pid } = (await (await fetch(`${auditUrl}/health`)).json()) as { pid: number };
            process.kill(pid, "SIGKILL");
            killed = true;
          }
          if (received.length === 40) break;
        }
      } catch {
        // The subscription broke with the service: come back once it is ready again.
      }
      await iterator.return?.().catch(() => undefined);
      for (let ready = false; !ready;) {
        ready = await fetch(`${auditUrl}/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    await writing;
    expect(killed).toBe(true);
    expect(system.output.join("")).toMatch(/audit\/main\.js exited \(SIGKILL\); restarting it/);
    expectContiguous(received, written);
  }, 120_000);

  it("refuses anonymous callers at connection, and roles without access", async () => {
    // The socket itself is closed (4403 Forbidden) instead of being held open for a refusal.
    const anonymous = connect().iterate({ query: FEED, variables: {} });
    await expect(anonymous.next()).rejects.toMatchObject({ code: 4403 });
    // The token under any case of its name, as HTTP headers are.
    const capitalized = liveClient(system.url, { Authorization: `Bearer ${system.tokens.analyst}` });
    clients.push(capitalized);
    const first = await capitalized.iterate({ query: FEED, variables: {} }).next();
    expect((first.value as { data?: unknown }).data).toBeDefined();
    // Two tokens in one socket (the one counted per user need not be the one the subgraph verifies): closed.
    const twoTokens = liveClient(system.url, {
      Authorization: "Bearer e30.eyJzdWIiOiJ4In0.x",
      authorization: `Bearer ${system.tokens.analyst}`,
    });
    clients.push(twoTokens);
    await expect(twoTokens.iterate({ query: FEED, variables: {} }).next()).rejects.toMatchObject({ code: 4403 });
    const badToken = connect("not.a.token").iterate({ query: FEED, variables: {} });
    expect(JSON.stringify((await badToken.next()).value)).toContain("UNAUTHENTICATED");
    const editor = connect(system.tokens.editor).iterate({ query: FEED, variables: {} });
    expect(JSON.stringify((await editor.next()).value)).toContain("FORBIDDEN");
  });
});

describe("subscriptions per connection", () => {
  it("are at most 10 on one socket; the 11th is refused with TOO_MANY_SUBSCRIPTIONS, the others go on", async () => {
    const client = connect(system.tokens.analyst);
    const feeds = Array.from({ length: 11 }, () => client.iterate({ query: FEED, variables: {} }));
    const firsts = await Promise.allSettled(feeds.map((feed) => feed.next()));
    const refused = firsts.filter((first) => first.status === "rejected");
    expect(refused).toHaveLength(1);
    expect(JSON.stringify((refused[0] as PromiseRejectedResult).reason)).toContain("TOO_MANY_SUBSCRIPTIONS");
    const served = firsts.filter(
      (first) => first.status === "fulfilled" && (first.value.value as { data?: unknown }).data,
    );
    expect(served).toHaveLength(10);
    await Promise.all(feeds.map((feed) => feed.return?.()));
  });
});

describe("statisticsUpdated through the gateway", () => {
  it("sends the statistics now, then again when an event changes them", async () => {
    const client = connect(system.tokens.analyst);
    const iterator = client.iterate<{
      statisticsUpdated: { position: string; counters: Array<{ key: string; value: number }> };
    }>({
      query: `subscription { statisticsUpdated(dimension: COUNTRY) { position counters { key value } } }`,
    });
    type Update = { position: string; counters: Array<{ key: string; value: number }> };
    const first = await iterator.next();
    const now: Update = first.value!.data!.statisticsUpdated;
    expect(now.counters.find((c) => c.key === "NP")).toBeUndefined();
    expect(now.counters.find((c) => c.key === "SN")!.value).toBeGreaterThan(0);
    await register("np-1", "NP");
    await register("np-2", "FR");
    const { position } = await propose("stats-nepal", ["np-1", "np-2"], "NP");
    let update: Update = (await iterator.next()).value!.data!.statisticsUpdated;
    while (BigInt(update.position) < BigInt(position)) update = (await iterator.next()).value!.data!.statisticsUpdated;
    expect(update.counters.find((c) => c.key === "NP")).toEqual({ key: "NP", value: 1 });
    await iterator.return?.();
  }, 60_000);
});
