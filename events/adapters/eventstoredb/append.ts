import { WrongExpectedVersionError, type AppendResult as EsdbAppendResult } from "@eventstore/db-client";
import type { AppendResult, RecordedEvent } from "../../envelope";
import { StoreUnavailableError } from "../../errors";
import type { PreparedEvent } from "../../port";
import { type EsdbClient, isRetryableAppendError, toStoreError } from "./client";
import { type EsdbExpectedRevision, toEventData } from "./mapping";
import { readStreamEvents } from "./reads";
import { type RetryPolicy, backoffDelay, delay } from "./retry";

export interface AppendContext {
  readonly client: EsdbClient;
  readonly retry: RetryPolicy;
  /** Aborted when the store closes: a pending backoff ends and the append reports the store unavailable. */
  readonly signal: AbortSignal;
}

/**
 * Appends prepared events at an exact expectation. When no answer comes, the same events (same ids, same
 * expected revision) are sent again: the server recognises ids it already wrote, so a write that landed is
 * not written twice. A conflict is left to the caller as the client's WrongExpectedVersionError, unless an
 * earlier try turns out to have written these very events.
 */
export async function appendPrepared(
  context: AppendContext,
  streamId: string,
  events: readonly PreparedEvent[],
  expectedRevision: EsdbExpectedRevision,
): Promise<AppendResult> {
  const { client, retry, signal } = context;
  const data = events.map(toEventData);
  for (let attempt = 1; ; attempt++) {
    try {
      return toAppendResult(streamId, await client.appendToStream(streamId, data, { expectedRevision }));
    } catch (error) {
      if (attempt > 1 && error instanceof WrongExpectedVersionError) {
        const landed = await findLanded(client, streamId, events);
        if (landed) return landed;
        throw error;
      }
      if (!isRetryableAppendError(error)) throw toStoreError(error, streamId);
      if (attempt >= retry.appendAttempts || signal.aborted) {
        throw new StoreUnavailableError(
          `append to ${streamId}: no answer after ${attempt} tries (${(error as Error).message}); whether it ` +
            "landed is unknown: read the stream before writing again",
        );
      }
      await delay(backoffDelay(attempt - 1, retry), signal);
    }
  }
}

function toAppendResult(streamId: string, result: EsdbAppendResult): AppendResult {
  // Only a client built with throwOnAppendFailure=false answers so; such a result carries no position.
  if (!result.success) throw new Error(`append to ${streamId} was refused without an error`);
  if (!result.position) throw new Error(`append to ${streamId} returned no position`);
  return { nextExpectedRevision: Number(result.nextExpectedRevision), position: result.position.commit.toString() };
}

/** The append's result if the stream holds exactly these events at their revisions, else null. */
async function findLanded(
  client: EsdbClient,
  streamId: string,
  events: readonly PreparedEvent[],
): Promise<AppendResult | null> {
  const first = events[0];
  if (!first) return null;
  const found: RecordedEvent[] = [];
  for await (const event of readStreamEvents(client, streamId, {
    fromRevision: first.revision,
    maxCount: events.length,
  })) {
    found.push(event);
  }
  const ours =
    found.length === events.length &&
    found.every((event, i) => event.id === events[i]?.id && event.revision === events[i]?.revision);
  const last = found[found.length - 1];
  return ours && last ? { nextExpectedRevision: last.revision, position: last.position } : null;
}
