import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  UnavailableError,
} from "@eventstore/db-client";
import { EventStoreDbBackend } from "../events/adapters/eventstoredb/eventstoredb-event-store";
import { backoffDelay } from "../events/adapters/eventstoredb/retry";
import { ChainedEventStore } from "../events/chained-event-store";
import type { EventStore } from "../events/port";
import { FakeEsdbClient, type SubscriptionScript } from "./eventstoredb-fake-client";

const retry = { initialDelayMs: 1, maxDelayMs: 4, appendAttempts: 3 };

function notLeader(): NotLeaderError {
  const metadata = { "leader-endpoint-host": "eventstore-node2", "leader-endpoint-port": "2113" };
  const serviceError = { code: 14, details: "not leader", message: "not leader", metadata: { getMap: () => metadata } };
  return new NotLeaderError(serviceError as unknown as ConstructorParameters<typeof NotLeaderError>[0]);
}

async function storeWith(count: number, options = { retry }) {
  const client = new FakeEsdbClient();
  const store: EventStore = new ChainedEventStore(new EventStoreDbBackend(client, options));
  const positions: string[] = [];
  for (let n = 0; n < count; n++) {
    const event = { type: "Noted", data: { n }, metadata: { actor: "t", commandId: `c${n}` } };
    positions.push((await store.appendToStream(`note-${n}`, [event])).position);
  }
  return { client, store, positions };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("EventStoreDB subscription over a failing server", () => {
  it.each<[string, () => SubscriptionScript["then"]]>([
    ["unavailable", () => new UnavailableError()],
    ["not leader", notLeader],
    ["deadline exceeded", () => new DeadlineExceededError()],
    ["cancelled by the server", () => new CancelledError()],
    ["an end nobody asked for", () => "end"],
  ])("resubscribes after %s, from the last event it yielded, without repeating it", async (_, fault) => {
    const { client, store, positions } = await storeWith(3);
    client.subscriptionScripts.push({ take: 2, then: fault() });
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const received = [];
    for (let i = 0; i < 3; i++) received.push((await iterator.next()).value?.position);
    expect(received).toEqual(positions);
    expect(client.subscribeToAll).toHaveBeenCalledTimes(2);
    const second = BigInt(positions[1]!);
    expect(client.subscribeToAll.mock.calls[1]![0].fromPosition).toEqual({ commit: second, prepare: second });
    expect(client.subscriptions[0]!.ended).toBeGreaterThan(0);
    await subscription.close();
    expect(client.subscriptions[1]!.unsubscribe).toHaveBeenCalled();
  });

  it("resubscribes from where it was asked to start when nothing was yielded yet", async () => {
    const { client, store, positions } = await storeWith(2);
    client.subscriptionScripts.push({ take: 0, then: new UnavailableError() });
    const subscription = store.subscribeToAll({ after: positions[0]! });
    const first = await subscription[Symbol.asyncIterator]().next();
    expect(first.value?.position).toBe(positions[1]);
    const start = BigInt(positions[0]!);
    expect(client.subscribeToAll.mock.calls.map((call) => call[0].fromPosition)).toEqual([
      { commit: start, prepare: start },
      { commit: start, prepare: start },
    ]);
    await subscription.close();
  });

  it("lets an error that is not transient end the subscription", async () => {
    const { client, store, positions } = await storeWith(2);
    client.subscriptionScripts.push({ take: 1, then: new AccessDeniedError() });
    const iterator = store.subscribeToAll()[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.position).toBe(positions[0]);
    await expect(iterator.next()).rejects.toBeInstanceOf(AccessDeniedError);
    expect(client.subscribeToAll).toHaveBeenCalledTimes(1);
    expect(client.subscriptions[0]!.ended).toBeGreaterThan(0);
  });

  it("stops retrying once closed, and a pending next() ends", async () => {
    const { client, store } = await storeWith(0, { retry: { ...retry, initialDelayMs: 40, maxDelayMs: 40 } });
    client.subscriptionScripts.push({ take: 0, then: new UnavailableError() });
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();
    await wait(10);
    await subscription.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await wait(80);
    expect(client.subscribeToAll).toHaveBeenCalledTimes(1);
  });

  it("ends a pending next() of a live subscription on close, and ends its call", async () => {
    const { client, store, positions } = await storeWith(1);
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.position).toBe(positions[0]);
    const pending = iterator.next();
    await store.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    expect(client.subscriptions[0]!.unsubscribe).toHaveBeenCalled();
    expect(client.dispose).toHaveBeenCalled();
  });

  it("waits longer after each failure in a row, from 100 ms up to 5 s, and starts over after an event", async () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 12].map((attempt) => backoffDelay(attempt))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000,
    ]);
    const { client, store } = await storeWith(1, { retry: { initialDelayMs: 3, maxDelayMs: 7, appendAttempts: 1 } });
    client.subscriptionScripts.push(
      { take: 0, then: new UnavailableError() },
      { take: 0, then: new UnavailableError() },
      { take: 0, then: new UnavailableError() },
      { take: 1, then: new UnavailableError() },
    );
    const timers = jest.spyOn(global, "setTimeout");
    try {
      const subscription = store.subscribeToAll();
      const iterator = subscription[Symbol.asyncIterator]();
      await iterator.next();
      const live = iterator.next();
      // setImmediate, not setTimeout: the spy should see only the adapter's waits.
      for (let turn = 0; turn < 100 && timers.mock.calls.length < 4; turn++) await new Promise(setImmediate);
      await subscription.close();
      await live;
      expect(timers.mock.calls.map((call) => call[1])).toEqual([3, 6, 7, 3]);
    } finally {
      timers.mockRestore();
    }
  });
});
