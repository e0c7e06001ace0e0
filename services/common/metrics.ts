/**
 * Prometheus metrics of one service (prom-client), served at /metrics: commands by type and outcome, append
 * latency, projection lag and throughput, live subscriptions, and the Node process's own figures.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AppendResult, ExpectedRevision, NewEvent } from "../../events/envelope";
import type { EventStore } from "../../events/port";
import type { ProjectionRunner } from "../../projections/runner";

export type CommandOutcome =
  | "accepted"
  | "replayed"
  | "rule_violation"
  | "bad_input"
  | "not_found"
  | "conflict"
  | "command_id_reused"
  | "forbidden"
  | "unknown_event"
  | "store_full"
  | "store_unavailable"
  | "error";

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly commands: Counter<"type" | "outcome">;
  readonly appendSeconds: Histogram;
  readonly subscriptions: Gauge;

  constructor(service: string, runner: ProjectionRunner) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.commands = new Counter({
      name: "passerelle_commands_total",
      help: "Commands handled, by type and outcome.",
      labelNames: ["type", "outcome"],
      registers: [this.registry],
    });
    this.appendSeconds = new Histogram({
      name: "passerelle_append_duration_seconds",
      help: "Time to append to the event store, until durable.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    this.subscriptions = new Gauge({
      name: "passerelle_subscriptions_active",
      help: "Live subscriptions open on this service.",
      registers: [this.registry],
    });
    // Projection figures are read from the runner when Prometheus scrapes, not kept twice.
    const lagEvents = new Gauge({
      name: "passerelle_projection_lag_events",
      help: "Events of the log a projection has not applied yet.",
      labelNames: ["projection", "version"],
      registers: [this.registry],
    });
    const lagSeconds = new Gauge({
      name: "passerelle_projection_lag_seconds",
      help: "Age of the oldest event a projection has not applied yet.",
      labelNames: ["projection", "version"],
      registers: [this.registry],
    });
    const rate = new Gauge({
      name: "passerelle_projection_events_applied_per_second",
      help: "Events applied per second over the last ten seconds.",
      labelNames: ["projection", "version"],
      registers: [this.registry],
    });
    const healthy = new Gauge({
      name: "passerelle_projection_up",
      help: "1 while a projection runs, 0 when it has stopped on an error.",
      labelNames: ["projection", "version"],
      registers: [this.registry],
    });
    const collect = async () => {
      for (const status of await runner.status()) {
        const labels = { projection: status.name, version: String(status.version) };
        lagEvents.set(labels, status.lagEvents);
        lagSeconds.set(labels, status.lagSeconds);
        rate.set(labels, status.eventsPerSecond);
        healthy.set(labels, status.status === "failed" ? 0 : 1);
      }
    };
    this.collect = collect;
  }

  private readonly collect: () => Promise<void>;

  async render(): Promise<string> {
    await this.collect();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The store, with every append timed into the histogram. */
export function timedAppends(store: EventStore, histogram: Histogram): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== "appendToStream") return Reflect.get(target, property, receiver);
      return async (
        streamId: string,
        events: readonly NewEvent[],
        options?: { readonly expectedRevision?: ExpectedRevision },
      ): Promise<AppendResult> => {
        const stop = histogram.startTimer();
        try {
          return await target.appendToStream(streamId, events, options);
        } finally {
          stop();
        }
      };
    },
  });
}
