/**
 * Runs a service's projections: each follows the log through the store's catch-up subscription from its
 * checkpoint, applying events in batches. A version bump rebuilds from zero while the previous version (if the
 * definition keeps it) goes on serving; read-your-writes waits for a checkpoint to reach a position.
 */
import type { RecordedEvent } from "../events/envelope";
import { comparePositions } from "../events/envelope";
import type { EventStore } from "../events/port";
import { PasserelleError } from "../events/errors";
import type { ProjectionDefinition, Tables } from "./projection";
import type { ReadModelDatabase } from "./read-model-db";
import { catchUp } from "./rebuild";
import { ProjectionFailedError, ProjectionTrack } from "./track";

export interface RunnerOptions {
  /** Most events per transaction. Default 500. */
  readonly batchSize?: number;
  /** Wall clock for the figures (rates, lag in time); never used by projections themselves. */
  readonly now?: () => number;
}

/** A reader waited longer than it would for a projection to reach a position. */
export class ReadTimeoutError extends PasserelleError {
  readonly code = "READ_TIMEOUT";
  constructor(
    readonly projection: string,
    readonly position: string,
    readonly checkpoint: string,
    readonly timeoutMs: number,
  ) {
    super(
      `projection ${projection} had not reached position ${position} after ${timeoutMs} ms (it is at ${checkpoint})`,
    );
  }
}

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly serving: boolean;
  readonly status: "building" | "live" | "failed" | "stopped";
  readonly checkpoint: string;
  readonly headPosition: string;
  readonly lagEvents: number;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly lagSeconds: number;
  readonly eventsPerSecond: number;
  readonly error: string | null;
}

interface Running {
  readonly track: ProjectionTrack;
  state: "building" | "live" | "failed" | "stopped";
  error: string | null;
  close?: () => Promise<void>;
  done?: Promise<void>;
  readonly rate: RateMeter;
}

interface Waiter {
  readonly name: string;
  readonly position: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const IDLE = Symbol("idle");

export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly now: () => number;
  /** Running versions by projection name: the current one and, while it rebuilds, the previous. */
  private readonly running = new Map<string, Running[]>();
  private readonly waiters = new Set<Waiter>();
  private stopped = false;
  /** The read-model file of each projection, by name. */
  private readonly files = new Map<string, ReadModelDatabase>();

  /** `files` is one read-model file for all, or the file of each definition (ProjectionDefinition.file). */
  constructor(
    private readonly store: EventStore,
    files: ReadModelDatabase | ((definition: ProjectionDefinition) => ReadModelDatabase),
    private readonly definitions: readonly ProjectionDefinition[],
    options: RunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.now = options.now ?? Date.now;
    for (const definition of definitions)
      this.files.set(definition.name, typeof files === "function" ? files(definition) : files);
  }

  private fileOf(name: string): ReadModelDatabase {
    const file = this.files.get(name);
    if (!file) throw new Error(`projection ${name} is not running here`);
    return file;
  }

  /** Prepares every projection's tables and starts following the log; returns at once. */
  start(): void {
    for (const definition of this.definitions) this.startProjection(definition);
  }

  private startProjection(definition: ProjectionDefinition): void {
    const { name } = definition;
    const rm = this.fileOf(name);
    const serving = rm.servingVersion(name);
    const previous = definition.previous;
    const keepPrevious =
      previous !== undefined &&
      serving === previous.version &&
      serving !== definition.version &&
      rm.projection(name, previous.version)?.status === "live";
    for (const record of rm.projections(name)) {
      if (record.version !== definition.version && !(keepPrevious && record.version === previous!.version)) {
        ProjectionTrack.drop(rm, name, record.version);
      }
    }
    const runs: Running[] = [];
    if (keepPrevious) runs.push(this.launch(new ProjectionTrack(previous!, rm)));
    else rm.serve(name, definition.version);
    runs.push(this.launch(new ProjectionTrack(definition, rm)));
    this.running.set(name, runs);
  }

  private launch(track: ProjectionTrack): Running {
    const run: Running = { track, state: "building", error: null, rate: new RateMeter(this.now) };
    const failed = track.record.status === "failed";
    if (failed) {
      run.state = "failed";
      run.error = track.record.error;
      return run;
    }
    run.done = this.follow(run).catch((error: unknown) => {
      run.state = "failed";
      run.error = error instanceof Error ? error.message : String(error);
      this.settleWaiters();
    });
    return run;
  }

  /**
   * Catches up with the log as it was at the start, reading only the event types the projection handles, then
   * follows it: batches what is available at once, checks for catch-up whenever the log runs dry.
   */
  private async follow(run: Running): Promise<void> {
    const { track } = run;
    // A function, not a narrowed field: stop() changes the state while this loop awaits.
    const stopping = () => run.state === "stopped";
    await this.checkCaughtUp(run);
    if (run.state === "building") {
      await catchUp(this.store, track, {
        batchSize: this.batchSize,
        stopped: stopping,
        onBatch: async (events) => {
          run.rate.add(events);
          // Live (and serving, for a new version) before any reader waiting on this batch is let go.
          await this.checkCaughtUp(run);
          this.settleWaiters();
          // Requests and health checks are answered during a long catch-up.
          await new Promise((resolve) => setImmediate(resolve));
        },
      });
      if (stopping()) return;
      await this.checkCaughtUp(run);
      this.settleWaiters();
    }
    const subscription = this.store.subscribeToAll({ after: track.checkpoint });
    run.close = () => subscription.close();
    const iterator = subscription[Symbol.asyncIterator]();
    let pending = iterator.next();
    try {
      while (!stopping()) {
        const first = await pending;
        if (first.done || stopping()) return;
        const batch: RecordedEvent[] = [first.value];
        pending = iterator.next();
        // Take whatever else is ready now; an immediate turn of the event loop bounds the wait.
        const idle = new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));
        let ranDry = false;
        while (batch.length < this.batchSize) {
          const next = await Promise.race([pending, idle]);
          if (next === IDLE) {
            ranDry = true;
            break;
          }
          if (next.done) break;
          batch.push(next.value);
          pending = iterator.next();
        }
        track.apply(batch);
        run.rate.add(batch.length);
        // While building, every batch may be the last of the backlog; once live there is nothing to check.
        if (ranDry || run.state === "building") await this.checkCaughtUp(run);
        this.settleWaiters();
        // A full batch means a backlog, read without ever leaving the microtask queue. Give the event loop a
        // turn: requests and health checks get answered during a long catch-up, and this batch's idle timer
        // fires, releasing the events the races above attached to it (else a catch-up held them all).
        if (!ranDry) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await subscription.close();
    }
  }

  private async checkCaughtUp(run: Running): Promise<void> {
    if (run.state !== "building") return;
    const head = await this.store.headPosition();
    if (comparePositions(run.track.checkpoint, head) < 0) return;
    run.state = "live";
    run.track.markLive();
    const { name, version } = run.track.definition;
    const runs = this.running.get(name) ?? [];
    const newest = Math.max(...this.definitions.filter((d) => d.name === name).map((d) => d.version));
    const rm = this.fileOf(name);
    if (version === newest && rm.servingVersion(name) !== version) {
      // The new version has caught up: it serves from now on, and the previous one goes.
      rm.serve(name, version);
      for (const old of runs.filter((r) => r.track.definition.version !== version)) {
        old.state = "stopped";
        await old.close?.();
        ProjectionTrack.drop(rm, name, old.track.definition.version);
      }
      this.running.set(
        name,
        runs.filter((r) => r.track.definition.version === version),
      );
      this.settleWaiters();
    }
  }

  /** Whether the serving version of a projection has caught up with the log (and not failed since). */
  isLive(name: string): boolean {
    return this.servingRun(name).state === "live";
  }

  /** How far the serving version of a projection has applied the log. */
  checkpoint(name: string): string {
    return this.servingRun(name).track.checkpoint;
  }

  /** The serving version's tables of a projection, for queries. */
  tables<TableName extends string>(definition: ProjectionDefinition<TableName>): Tables<TableName> {
    const run = this.servingRun(definition.name);
    return run.track.tables as Tables<TableName>;
  }

  private servingRun(name: string): Running {
    const version = this.fileOf(name).servingVersion(name);
    const run = this.running.get(name)?.find((r) => r.track.definition.version === version);
    if (!run) throw new Error(`projection ${name} is not running here`);
    return run;
  }

  /**
   * Resolves once the serving version of `name` has applied the event at `position` (read-your-writes);
   * rejects with ReadTimeoutError after `timeoutMs`, or at once if the projection has failed.
   */
  waitForPosition(name: string, position: string, timeoutMs = 5000): Promise<void> {
    if (this.reached(name, position)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ReadTimeoutError(name, position, this.servingRun(name).track.checkpoint, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter = {
        name,
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
      this.settleWaiters();
    });
  }

  private reached(name: string, position: string): boolean {
    const run = this.servingRun(name);
    if (run.state === "failed") {
      throw new ProjectionFailedError(run.track.label, run.track.checkpoint, "", run.error ?? "failed");
    }
    return comparePositions(run.track.checkpoint, position) >= 0;
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) {
      try {
        if (!this.reached(waiter.name, waiter.position)) continue;
        this.waiters.delete(waiter);
        waiter.resolve();
      } catch (error) {
        this.waiters.delete(waiter);
        waiter.reject(error as Error);
      }
    }
  }

  /** Figures per running version: checkpoint, head, lag in events and time, events applied per second. */
  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const statuses: ProjectionStatus[] = [];
    for (const [name, runs] of this.running) {
      const serving = this.fileOf(name).servingVersion(name);
      for (const run of runs) {
        const checkpoint = run.track.checkpoint;
        const lagEvents = await this.lagEvents(checkpoint, head);
        statuses.push({
          name,
          version: run.track.definition.version,
          serving: run.track.definition.version === serving,
          status: run.state,
          checkpoint,
          headPosition: head,
          lagEvents,
          lagSeconds: lagEvents === 0 ? 0 : await this.lagSeconds(checkpoint),
          eventsPerSecond: run.rate.perSecond(),
          error: run.error,
        });
      }
    }
    return statuses;
  }

  /** SQLite positions are contiguous (one per event), so the difference is the count; elsewhere count, capped. */
  private async lagEvents(checkpoint: string, head: string): Promise<number> {
    if (comparePositions(checkpoint, head) >= 0) return 0;
    if (this.store.backend === "sqlite") return Number(BigInt(head) - BigInt(checkpoint));
    let count = 0;
    for await (const _ of this.store.readAll({ after: checkpoint, maxCount: 100_000 })) count += 1;
    return count;
  }

  private async lagSeconds(checkpoint: string): Promise<number> {
    for await (const oldest of this.store.readAll({ after: checkpoint, maxCount: 1 })) {
      return Math.max(0, (this.now() - Date.parse(oldest.recordedAt)) / 1000);
    }
    return 0;
  }

  /** Stops following the log; read models stay as they are. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const runs = [...this.running.values()].flat();
    for (const run of runs) if (run.state !== "failed") run.state = "stopped";
    await Promise.all(runs.map((run) => run.close?.()));
    await Promise.all(runs.map((run) => run.done));
    for (const waiter of this.waiters) waiter.reject(new Error("projection runner stopped"));
    this.waiters.clear();
  }
}

/** Events applied per second over the last ten seconds. */
class RateMeter {
  private readonly buckets = new Map<number, number>();
  constructor(private readonly now: () => number) {}

  add(count: number): void {
    const second = Math.floor(this.now() / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + count);
    for (const key of this.buckets.keys()) if (key < second - 10) this.buckets.delete(key);
  }

  perSecond(): number {
    const second = Math.floor(this.now() / 1000);
    let total = 0;
    for (const [key, count] of this.buckets) if (key >= second - 9) total += count;
    return total / 10;
  }
}
