/**
 * End to end, the limits a client meets beyond depth, aliases and tokens: the estimated cost of an operation
 * (lists counted at their real size, across subgraphs), the size of an answer, subscriptions per user, and
 * errors that never show where a subgraph runs. The system runs with a small answer bound (256 KiB) and 15
 * subscriptions per user, through their environment variables.
 */
import type { Client } from "graphql-ws";
import { cyclicQuery } from "../support/cyclic-query";
import { graphql, liveClient, startSystem, type GraphQLResponse, type RunningSystem } from "../support/system";
import { codes } from "./harness";

const MAX_RESPONSE_BYTES = 256 * 1024;
const MAX_PER_USER = 15;

let system: RunningSystem;
const clients: Client[] = [];

beforeAll(async () => {
  system = await startSystem({
    env: {
      PASSERELLE_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
      PASSERELLE_MAX_SUBSCRIPTIONS_PER_USER: String(MAX_PER_USER),
    },
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  expect(await system.stop()).toBe(0);
}, 60_000);

/** A POST bounded in time: a refusal comes at once; an answer still being built after 10 s is a failure. */
async function post(url: string, query: string, token: string): Promise<GraphQLResponse & { bytes: number }> {
  const started = Date.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  expect(Date.now() - started).toBeLessThan(5_000);
  return { status: response.status, bytes: text.length, ...(JSON.parse(text) as object) };
}

describe("the estimated cost", () => {
  it("refuses the issue's cyclic query at once, lists counted at their size (it answered 63 MB in 29 s)", async () => {
    const response = await post(system.url, cyclicQuery(), system.tokens.admin!);
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(["COST_ESTIMATED_TOO_EXPENSIVE"]);
    expect(response.errors![0]!.extensions!.cost).toMatchObject({ max: 50_000 });
    expect(response.bytes).toBeLessThan(1000);
  });

  it("counts a list whose items another subgraph serves once per item, not once", async () => {
    // Hive Gateway's own demand control prices each subgraph request apart: about 20,000 here.
    const query = `{ institutions(first: 100) { edges { node { partnerships { partnership { history(first: 50) { edges { node { type } } } } } } } } }`;
    const response = await post(system.url, query, system.tokens.auditor!);
    expect(codes(response)).toEqual(["COST_ESTIMATED_TOO_EXPENSIVE"]);
    expect((response.errors![0]!.extensions!.cost as { estimated: number }).estimated).toBeGreaterThan(1_000_000);
  });

  it("is kept by each subgraph for whatever reaches it directly", async () => {
    const subgraph = `http://127.0.0.1:${system.ports.partnerships}/graphql`;
    const response = await post(subgraph, cyclicQuery(), system.tokens.admin!);
    expect(codes(response)).toEqual(["COST_ESTIMATED_TOO_EXPENSIVE"]);
  });

  it("lets real pages through", async () => {
    const query = `{ partnerships(first: 100) { edges { node { id title parties { id name } grants { id } } } } }`;
    const response = await post(system.url, query, system.tokens.analyst!);
    expect(response.errors).toBeUndefined();
    expect((response.data as { partnerships: { edges: unknown[] } }).partnerships.edges.length).toBeGreaterThan(40);
  });
});

describe("the size of an answer", () => {
  /** `count` pages of 100 events, about 40 KB each. */
  const pages = (count: number) =>
    Array.from(
      { length: count },
      (_, i) =>
        `p${i}: events(first: 100) { edges { node { position id type streamId recordedAt data hash source { quote } } } }`,
    ).join(" ");

  it("is bounded (PASSERELLE_MAX_RESPONSE_BYTES): RESPONSE_TOO_LARGE instead of the bytes", async () => {
    const fits = await post(system.url, `{ ${pages(5)} }`, system.tokens.auditor!);
    expect(fits.errors).toBeUndefined();
    expect(fits.bytes).toBeGreaterThan(MAX_RESPONSE_BYTES / 2);
    const tooLarge = await post(system.url, `{ ${pages(10)} }`, system.tokens.auditor!);
    expect(tooLarge.status).toBe(200);
    expect(codes(tooLarge)).toEqual(["RESPONSE_TOO_LARGE"]);
    expect(tooLarge.errors![0]!.extensions).toMatchObject({ max: MAX_RESPONSE_BYTES });
    expect(tooLarge.data).toBeNull();
    expect(tooLarge.bytes).toBeLessThan(1000);
  });
});

function connect(token: string): Client {
  const client = liveClient(system.url, { authorization: `Bearer ${token}` });
  clients.push(client);
  return client;
}

const STATISTICS = `subscription { statisticsUpdated(dimension: COUNTRY) { position } }`;

/** Opens `count` subscriptions on a client; says which got their first payload and which were refused. */
async function subscribe(client: Client, count: number, query = STATISTICS) {
  const iterators = Array.from({ length: count }, () => client.iterate({ query }));
  const firsts = await Promise.allSettled(iterators.map((iterator) => iterator.next()));
  const served = firsts.filter((f) => f.status === "fulfilled" && (f.value.value as { data?: unknown })?.data);
  const refused = firsts.flatMap((f) => (f.status === "rejected" ? [JSON.stringify(f.reason)] : []));
  return { iterators, served: served.length, refused };
}

describe("subscriptions per user", () => {
  it("are at most PASSERELLE_MAX_SUBSCRIPTIONS_PER_USER across sockets; a closed socket frees its own", async () => {
    const first = connect(system.tokens.analyst!);
    const second = connect(system.tokens.analyst!);
    expect((await subscribe(first, 10)).served).toBe(10);
    const more = await subscribe(second, 10);
    expect(more.served).toBe(MAX_PER_USER - 10);
    expect(more.refused).toHaveLength(10 - (MAX_PER_USER - 10));
    for (const refusal of more.refused) {
      expect(refusal).toContain("TOO_MANY_SUBSCRIPTIONS");
      expect(refusal).toMatch(/per user/);
    }
    // Another user is not held back by this one.
    const other = await subscribe(connect(system.tokens.auditor!), 1, `subscription { eventFeed { position } }`);
    expect(other.served).toBe(1);
    await first.dispose();
    const deadline = Date.now() + 10_000;
    let again = await subscribe(second, 1);
    while (again.served === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      again = await subscribe(second, 1);
    }
    expect(again.served).toBe(1);
    await Promise.all([...more.iterators, ...again.iterators, ...other.iterators].map((i) => i.return?.()));
  }, 60_000);
});

describe("subscriptions per user over SSE", () => {
  /** A subscription over SSE, kept open: its first event's text, and a way to close it. */
  async function openStream(token: string): Promise<{ first: string; close: () => void }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    const response = await fetch(system.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `subscription { eventFeed(after: "0") { position } }` }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let first = "";
    while (!/^data:/m.test(first)) {
      const { value, done } = await reader.read();
      if (done) break;
      first += new TextDecoder().decode(value);
    }
    clearTimeout(timer);
    return { first, close: () => controller.abort() };
  }

  it("are counted as over websockets, and freed when a stream is closed", async () => {
    const token = system.tokens.admin!;
    const streams = [];
    for (let i = 0; i < MAX_PER_USER; i++) streams.push(await openStream(token));
    expect(streams.every((stream) => stream.first.includes('"position"'))).toBe(true);
    const refused = await openStream(token);
    expect(refused.first).toContain("TOO_MANY_SUBSCRIPTIONS");
    refused.close();
    streams.pop()!.close();
    const deadline = Date.now() + 10_000;
    let again = await openStream(token);
    while (!again.first.includes('"position"') && Date.now() < deadline) {
      again.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      again = await openStream(token);
    }
    expect(again.first).toContain('"position"');
    for (const stream of [...streams, again]) stream.close();
  }, 60_000);
});

describe("errors", () => {
  const internal = () => [
    "127.0.0.1",
    "localhost",
    `:${system.ports.audit}`,
    String(system.ports.audit),
    "ECONNREFUSED",
    "ws://",
    "http://",
  ];

  /** A subscription over SSE, read to its end (bounded): the events' payloads. */
  async function sse(query: string): Promise<string> {
    const response = await fetch(system.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${system.tokens.analyst}`,
      },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(5_000),
    });
    return response.text().catch(() => "");
  }

  it("never show a subgraph's address, even when it is down (over websockets, SSE and HTTP)", async () => {
    const auditUrl = `http://127.0.0.1:${system.ports.audit}`;
    let answers: string[] = [];
    // The audit service comes back within a second or two; try again if it was back before the requests.
    for (let attempt = 0; attempt < 3; attempt++) {
      const { pid } = (await (await fetch(`${auditUrl}/health`)).json()) as { pid: number };
      process.kill(pid, "SIGKILL");
      await new Promise((resolve) => setTimeout(resolve, 50));
      const feed = `subscription { eventFeed(after: "0") { position } }`;
      const ws = connect(system.tokens.analyst!)
        .iterate({ query: feed })
        .next()
        .then(
          (next) => JSON.stringify(next.value),
          (error: unknown) => JSON.stringify(error),
        );
      const http = graphql(
        system.url,
        `
          {
            events(first: 1) {
              totalCount
            }
          }
        `,
        { token: system.tokens.analyst! },
      );
      answers = [await ws, await sse(feed), JSON.stringify(await http)];
      const reached = answers.some((answer) => answer.includes('"position"') || answer.includes('"totalCount"'));
      for (let ready = false; !ready;) {
        ready = await fetch(`${auditUrl}/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      if (!reached) break;
    }
    for (const answer of answers) {
      expect(answer).toContain('"code"');
      for (const detail of internal()) expect(answer).not.toContain(detail);
    }
    expect(answers[0]).toContain("SERVICE_UNAVAILABLE");
    expect(answers[1]).toContain("SERVICE_UNAVAILABLE");
  }, 60_000);
});
