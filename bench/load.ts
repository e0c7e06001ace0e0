/**
 * Latency of one GraphQL operation under autocannon: one connection by default (each request waits for the
 * previous one, so latency is the service's, not a queue's); more for a curve of latency against load. autocannon's own histogram keeps whole milliseconds;
 * its per-response durations are kept here instead, to the microsecond.
 */
import autocannon from "autocannon";

export interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
}

export interface Operation {
  readonly url: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly token: string;
}

/** The p-th percentile of ascending values (nearest rank); NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const headersOf = (operation: Operation) => ({
  "content-type": "application/json",
  authorization: `Bearer ${operation.token}`,
});
const bodyOf = (operation: Operation) =>
  JSON.stringify({ query: operation.query, variables: operation.variables ?? {} });

/** Fails loudly when the operation does not answer data: a benchmark of error responses measures nothing. */
export async function checkOperation(operation: Operation): Promise<void> {
  const response = await fetch(operation.url, {
    method: "POST",
    headers: headersOf(operation),
    body: bodyOf(operation),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data) {
    throw new Error(`${operation.url} answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

export async function measureLatency(
  operation: Operation,
  seconds: number,
  connections = 1,
): Promise<Latency & { durations: number[] }> {
  const durations: number[] = [];
  let failures = 0;
  const done = new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: operation.url,
        method: "POST",
        headers: headersOf(operation),
        body: bodyOf(operation),
        connections,
        duration: seconds,
      },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 200) durations.push(ms);
      else failures += 1;
    });
  });
  await done;
  if (failures > 0) throw new Error(`${operation.url}: ${failures} responses were not 200`);
  const sorted = [...durations].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), requests: sorted.length, durations };
}

/**
 * Several targets measured in interleaved rounds (A B C, A B C, …) so that a noisy moment of the machine
 * falls on all of them alike; percentiles over all rounds together.
 */
export async function compareLatencies<K extends string>(
  targets: Record<K, Operation>,
  options: { rounds: number; secondsPerRound: number; warmupSeconds: number; connections?: number },
): Promise<Record<K, Latency>> {
  const names = Object.keys(targets) as K[];
  for (const name of names) {
    await checkOperation(targets[name]);
    await measureLatency(targets[name], options.warmupSeconds, options.connections);
  }
  const all = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names)
      all[name].push(...(await measureLatency(targets[name], options.secondsPerRound, options.connections)).durations);
  }
  return Object.fromEntries(
    names.map((name) => {
      const sorted = all[name].sort((a, b) => a - b);
      return [name, { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), requests: sorted.length }];
    }),
  ) as Record<K, Latency>;
}
