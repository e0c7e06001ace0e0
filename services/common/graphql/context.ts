/** What every resolver of every subgraph gets: who asks, and the service's store and read models. */
import type { EventStore } from "../../../events/port";
import type { ReadModelDatabase } from "../../../projections/read-model-db";
import type { ProjectionRunner } from "../../../projections/runner";
import type { ProjectionDefinition } from "../../../projections/projection";
import type { TreeHeadLog } from "../../../projections/tree-heads";
import type { PersonalDataVault } from "../../../events/personal-data/vault";
import type { RetentionPolicy } from "../config";
import type { CommandMetadata } from "../../../domain/decider";
import type { Logger } from "pino";
import type { Identity } from "../auth";
import type { ServiceMetrics } from "../metrics";
import { unauthenticated } from "./errors";

/** A running subgraph's own parts. */
export interface ServiceRuntime {
  readonly name: string;
  readonly store: EventStore;
  /** The service's own read-model file. */
  readonly readModels: ReadModelDatabase;
  /** The file a projection lives in: the service's own, or one of its own (ProjectionDefinition.file). */
  readonly readModelsOf: (projection: ProjectionDefinition) => ReadModelDatabase;
  readonly runner: ProjectionRunner;
  readonly projections: readonly ProjectionDefinition[];
  /** Keys and contacts of the people the ledger names. */
  readonly vault: PersonalDataVault;
  /** How long people are kept after their partnerships end. */
  readonly retention: RetentionPolicy;
  /** The signed tree heads, in the service that keeps the ledger tree. */
  readonly treeHeads?: TreeHeadLog;
  /** How long a read waits for `Passerelle-Consistent-With` before failing. */
  readonly consistencyTimeoutMs: number;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
}

export interface GraphQLContext {
  readonly identity: Identity | null;
  /** Why the caller's token was refused, if it was: reported on the first protected field. */
  readonly identityError: string | null;
  readonly correlationId: string;
  readonly runtime: ServiceRuntime;
  /** Read-your-writes: the log position the caller wants the read models to have reached (header `Passerelle-Consistent-With`). */
  readonly consistentWith: string | null;
  /** Memoized wait for that position, shared by all resolvers of the request. */
  consistency?: Promise<void>;
  /** Over a websocket: how many bytes wait unsent, so live feeds can pace themselves. */
  readonly outbox?: { bufferedAmount(): number };
}

/** The read models, once they reflect the position the caller asked for: the service's file, or a projection's. */
export async function readModels(
  context: GraphQLContext,
  projection?: ProjectionDefinition,
): Promise<ReadModelDatabase> {
  const { consistentWith, runtime } = context;
  if (consistentWith !== null) {
    context.consistency ??= Promise.all(
      runtime.projections.map((p) =>
        runtime.runner.waitForPosition(p.name, consistentWith, runtime.consistencyTimeoutMs),
      ),
    ).then(() => undefined);
    await context.consistency;
  }
  return projection ? runtime.readModelsOf(projection) : runtime.readModels;
}

/** Metadata of a command issued by this request's caller. */
export function commandMetadata(context: GraphQLContext, commandId: string): CommandMetadata {
  return {
    commandId,
    actor: context.identity!.actor,
    now: new Date().toISOString(),
    correlationId: context.correlationId,
  };
}

/** Throws UNAUTHENTICATED unless the caller presented a valid token. */
export function requireIdentity(context: GraphQLContext): void {
  if (context.identityError) throw unauthenticated(context.identityError);
  if (!context.identity) throw unauthenticated();
}

/** Reference resolvers for entities this subgraph only extends: any id resolves to its stub, for signed-in callers. */
export function stubReferences(...typeNames: string[]) {
  return Object.fromEntries(
    typeNames.map((typeName) => [
      typeName,
      {
        __resolveReference(reference: { id: string }, context: GraphQLContext) {
          requireIdentity(context);
          return { id: reference.id };
        },
      },
    ]),
  );
}
