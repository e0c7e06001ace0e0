/**
 * `npm run bench -- --curves`: how each cost grows with the work, a curve instead of one point.
 * - appends per second against concurrent writers;
 * - an audit replica's rebuild time, peak memory and one partnership's history latency against the log's size;
 * - gateway p50/p99 (and the subgraph's, straight) against concurrent clients;
 * - subscription delivery lag against subscribers while writers append.
 */
import { join } from "node:path";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import { graphql, startSystem } from "../test/support/system";
import { concurrently, event, rawStore } from "./appends";
import type { Curve, CurvePoint } from "./charts";
import { ledgerDir, type LedgerDir } from "./ledger";
import { PARTNERSHIPS } from "./gateway";
import { compareLatencies, percentile, type Operation } from "./load";
import { startReplica, type Replica } from "./replicas";
import { clock, perSecond, removeDatabase } from "./report";

export interface CurveSizes {
  readonly writers: readonly number[];
  /** Appends per point and round (our store), and raw inserts per round. */
  readonly appendsPerPoint: number;
  readonly appendRounds: number;
  /** Partnerships of each ledger (about a hundred events each, after 500 institutions). */
  readonly ledgers: readonly number[];
  readonly clients: readonly number[];
  readonly subscribers: readonly number[];
  /** Appends per second while subscribers listen, and for how long. */
  readonly subscriptionLoad: { readonly perSecond: number; readonly seconds: number };
  readonly timing: { rounds: number; secondsPerRound: number; warmupSeconds: number; readyTimeoutMs: number };
}

export const FULL_CURVES: CurveSizes = {
  writers: [1, 4, 16, 64, 256],
  appendsPerPoint: 3000,
  appendRounds: 3,
  ledgers: [95, 995, 9_995, 49_995],
  clients: [1, 8, 32, 128],
  subscribers: [1, 10, 100, 1000],
  subscriptionLoad: { perSecond: 20, seconds: 5 },
  timing: { rounds: 2, secondsPerRound: 3, warmupSeconds: 1, readyTimeoutMs: 60 * 60_000 },
};

export const SMOKE_CURVES: CurveSizes = {
  writers: [1, 4],
  appendsPerPoint: 40,
  appendRounds: 1,
  ledgers: [5, 15],
  clients: [1, 4],
  subscribers: [1, 5],
  subscriptionLoad: { perSecond: 10, seconds: 0.5 },
  timing: { rounds: 1, secondsPerRound: 0.3, warmupSeconds: 0.1, readyTimeoutMs: 60_000 },
};

type Say = (text: string) => void;

/** Our store's rate at each number of writers, rounds interleaved, beside the raw one-writer insert rate. */
async function appendCurve(directory: string, sizes: CurveSizes): Promise<Curve> {
  const raw = rawStore(join(directory, "curve-raw.db"));
  removeDatabase(join(directory, "curve-ours.db"));
  const ours = openSqliteEventStore({ path: join(directory, "curve-ours.db") });
  const time = new Map<number, bigint>(sizes.writers.map((w) => [w, 0n]));
  let rawTime = 0n;
  let n = 0;
  for (let round = 0; round < sizes.appendRounds; round++) {
    const elapsed = clock();
    for (let i = 0; i < sizes.appendsPerPoint; i++) raw.insert(n + i);
    rawTime += elapsed();
    n += sizes.appendsPerPoint;
    for (const writers of sizes.writers) {
      const taken = await concurrently(writers, sizes.appendsPerPoint, (writer, i) =>
        ours.appendToStream(`mission-w${writer}`, [event(n + i)]),
      );
      time.set(writers, time.get(writers)! + taken);
      n += sizes.appendsPerPoint;
    }
  }
  raw.close();
  await ours.close();
  const total = sizes.appendsPerPoint * sizes.appendRounds;
  const rawRate = perSecond(total, rawTime);
  return {
    id: "appends-by-writers",
    title: "Appends per second against concurrent writers",
    how: "SQLite store, WAL, synchronous FULL: each append acknowledged once durable; concurrent ones share a commit",
    x: { label: "concurrent writers", log: true },
    y: { label: "appends per second", log: false },
    points: sizes.writers.flatMap((writers) => [
      { series: "our store (group commit)", x: writers, y: perSecond(total, time.get(writers)!) },
      { series: "raw autocommit insert, one writer", x: writers, y: rawRate },
    ]),
  };
}

/** Audit replicas on ledgers of growing size: the time to rebuild, the memory it takes, the history latency. */
async function logSizeCurves(directory: string, sizes: CurveSizes, say: Say): Promise<Curve[]> {
  const ledgers: LedgerDir[] = [];
  for (const partnerships of sizes.ledgers) {
    say(`  growing a ledger of ${partnerships} partnerships…`);
    ledgers.push(await ledgerDir(join(directory, `curve-${partnerships}`), partnerships, say));
  }
  const replicas: Replica[] = [];
  try {
    // One at a time, so each replay has the machine to itself; each stays up for the latency rounds.
    for (const ledger of ledgers) {
      say(`  audit replica replaying ${ledger.events} events…`);
      replicas.push(await startReplica(ledger, sizes.timing.readyTimeoutMs));
    }
    // The same partnership (the same hundred events) in every ledger.
    const partnershipId = `bench-${Math.floor(sizes.ledgers[0]! / 2)}`;
    const targets = Object.fromEntries(
      replicas.map((replica, i) => [String(ledgers[i]!.events), replica.history(partnershipId)]),
    ) as Record<string, Operation>;
    say("  history latency on every replica, rounds interleaved…");
    const latency = await compareLatencies(targets, sizes.timing);
    const at = (i: number) => ledgers[i]!.events;
    return [
      {
        id: "rebuild-by-log-size",
        title: "An audit replica's rebuild against the log's size",
        how: "a fresh audit service (statistics, event index, ledger tree) from its start until it is ready",
        x: { label: "events in the log", log: true },
        y: { label: "seconds", log: true },
        points: replicas.map((replica, i) => ({ series: "start to ready", x: at(i), y: replica.readySeconds })),
      },
      {
        id: "replay-memory-by-log-size",
        title: "An audit replica's memory against the log's size",
        how: "resident memory (Linux VmHWM and VmRSS) of the same replicas, read once each is ready",
        x: { label: "events in the log", log: true },
        y: { label: "MiB", log: false },
        points: replicas.flatMap((replica, i): CurvePoint[] => [
          { series: "peak while replaying", x: at(i), y: replica.memory.peak },
          { series: "once ready", x: at(i), y: replica.memory.rss },
        ]),
      },
      {
        id: "history-by-log-size",
        title: "One partnership's history against the log's size",
        how: "first page of 50 of the same partnership's hundred events, straight to each replica, one client",
        x: { label: "events in the log", log: true },
        y: { label: "milliseconds", log: false },
        points: ledgers.flatMap((ledger): CurvePoint[] => [
          { series: "p50", x: ledger.events, y: latency[String(ledger.events)]!.p50Ms },
          { series: "p99", x: ledger.events, y: latency[String(ledger.events)]!.p99Ms },
        ]),
      },
    ];
  } finally {
    await Promise.all(replicas.map((replica) => replica.child.stop()));
  }
}

const FEED = `subscription ($after: Position) { eventFeed(after: $after) { position recordedAt } }`;

const REGISTER = `mutation ($c: ID!, $id: ID!, $name: String!) {
  registerInstitution(commandId: $c, input: { institutionId: $id, name: $name, kind: HOSPITAL, country: "SN" }) { position }
}`;

/** The whole system on the demo data: gateway latency against clients, then delivery lag against subscribers. */
async function systemCurves(sizes: CurveSizes, say: Say): Promise<Curve[]> {
  const system = await startSystem({
    env: { PASSERELLE_MAX_SUBSCRIPTIONS_PER_USER: String(Math.max(...sizes.subscribers) + 10) },
  });
  try {
    const token = system.tokens.analyst!;
    const points: CurvePoint[] = [];
    for (const clients of sizes.clients) {
      say(`  gateway and subgraph with ${clients} concurrent clients…`);
      const latency = await compareLatencies(
        {
          gateway: { url: system.url, query: PARTNERSHIPS, token },
          direct: { url: `http://127.0.0.1:${system.ports.partnerships}/graphql`, query: PARTNERSHIPS, token },
        },
        { ...sizes.timing, connections: clients },
      );
      points.push(
        { series: "through the gateway, p50", x: clients, y: latency.gateway.p50Ms },
        { series: "through the gateway, p99", x: clients, y: latency.gateway.p99Ms },
        { series: "straight to the subgraph, p50", x: clients, y: latency.direct.p50Ms },
        { series: "straight to the subgraph, p99", x: clients, y: latency.direct.p99Ms },
      );
    }
    const gateway: Curve = {
      id: "gateway-by-clients",
      title: "Gateway latency against concurrent clients",
      how: "a 20-partnership page, each client sending its next request when the last is answered (autocannon)",
      x: { label: "concurrent clients", log: true },
      y: { label: "milliseconds", log: true },
      points,
    };
    const lags: CurvePoint[] = [];
    let command = 0;
    const append = async () => {
      command += 1;
      const response = await graphql<{ registerInstitution: { position: string } }>(system.url, REGISTER, {
        token: system.tokens.editor!,
        variables: { c: `curve-${command}`, id: `curve-inst-${command}`, name: `Curve ${command}` },
      });
      if (response.errors || !response.data) throw new Error(`append refused: ${JSON.stringify(response.errors)}`);
      return response.data.registerInstitution.position;
    };
    for (const subscribers of sizes.subscribers) {
      say(`  ${subscribers} subscribers while ${sizes.subscriptionLoad.perSecond} events a second are appended…`);
      const lag = await deliveryLag(system.url, token, subscribers, sizes.subscriptionLoad, append);
      lags.push({ series: "p50", x: subscribers, y: lag.p50 }, { series: "p99", x: subscribers, y: lag.p99 });
    }
    const subscriptions: Curve = {
      id: "subscription-lag-by-subscribers",
      title: "Subscription delivery lag against subscribers",
      how:
        `eventFeed through the gateway, one WebSocket per subscriber; ${sizes.subscriptionLoad.perSecond} appends ` +
        "a second; lag from the event's recordedAt to its arrival at each subscriber",
      x: { label: "subscribers", log: true },
      y: { label: "milliseconds", log: true },
      points: lags,
    };
    return [gateway, subscriptions];
  } finally {
    await system.stop();
  }
}

/**
 * `subscribers` clients follow the feed after a marker event every one of them has received (so each is
 * subscribed); then events are appended at a steady rate and each arrival's lag is kept.
 */
async function deliveryLag(
  url: string,
  token: string,
  subscribers: number,
  load: CurveSizes["subscriptionLoad"],
  append: () => Promise<string>,
): Promise<{ p50: number; p99: number }> {
  const after = await append();
  const clients: Client[] = [];
  const lags: number[] = [];
  let measuring = false;
  let marked = 0;
  let failure: unknown = null;
  let marker = "";
  try {
    for (let i = 0; i < subscribers; i++) {
      const client = createClient({
        url: url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
      });
      clients.push(client);
      client.subscribe<{ eventFeed: { position: string; recordedAt: string } }>(
        { query: FEED, variables: { after } },
        {
          next: ({ data }) => {
            if (!data) return;
            if (data.eventFeed.position === marker) marked += 1;
            else if (measuring) lags.push(Date.now() - Date.parse(data.eventFeed.recordedAt));
          },
          error: (error) => (failure = error),
          complete: () => undefined,
        },
      );
    }
    // A marker each second until every subscriber has one: then all are listening.
    const deadline = Date.now() + 120_000;
    while (marked < subscribers) {
      if (failure) throw new Error(`a subscriber failed: ${JSON.stringify(failure)}`);
      if (Date.now() > deadline) throw new Error(`only ${marked} of ${subscribers} subscribers listening`);
      marked = 0;
      marker = await append();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    measuring = true;
    const count = Math.max(1, Math.round(load.perSecond * load.seconds));
    const started = Date.now();
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / load.perSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      await append();
    }
    // Every subscriber gets every event: wait for the last deliveries.
    const expected = count * subscribers;
    const drained = Date.now() + 60_000;
    while (lags.length < expected && Date.now() < drained) await new Promise((resolve) => setTimeout(resolve, 50));
    if (lags.length < expected) throw new Error(`${lags.length} of ${expected} deliveries arrived`);
    const sorted = lags.sort((a, b) => a - b);
    // recordedAt keeps milliseconds: a lag under one shows as one (a log axis has no zero).
    return { p50: Math.max(percentile(sorted, 50), 1), p99: Math.max(percentile(sorted, 99), 1) };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

export async function curveBenchmarks(directory: string, sizes: CurveSizes, say: Say): Promise<Curve[]> {
  say("curves: appends against writers…");
  const appends = await appendCurve(directory, sizes);
  say("curves: audit replicas against the log's size…");
  const logSize = await logSizeCurves(directory, sizes, say);
  say("curves: the whole system, against clients and subscribers…");
  const system = await systemCurves(sizes, say);
  return [appends, ...logSize, ...system];
}
