import { eventTypeFilter, excludeSystemEvents, streamNameFilter } from "@eventstore/db-client";
import type { RecordedEvent } from "../../envelope";
import type { EventSubscription, SubscribeOptions } from "../../port";
import { matchesFilter } from "../../port";
import { type EsdbClient, type EsdbLiveSubscription, isTransient } from "./client";
import { type ServerFilter, fromResolvedEvent, isAfter, toReadPosition, toServerFilter } from "./mapping";
import { type RetryPolicy, backoffDelay, delay } from "./retry";

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A catch-up subscription that outlives the server's restarts, leader changes and network drops: on a
 * transient error, or an end nobody asked for, it resubscribes after the last event it yielded, waiting
 * longer after each failure in a row. Other errors end it. `close()` also stops a pending wait or read.
 */
export function resubscribingSubscription(
  client: EsdbClient,
  options: SubscribeOptions,
  retry: RetryPolicy,
  onClose: () => void = () => undefined,
): EventSubscription {
  const stopping = new AbortController();
  let current: EsdbLiveSubscription | undefined;
  let signalClosed: (result: typeof DONE) => void = () => undefined;
  const closed = new Promise<typeof DONE>((resolve) => (signalClosed = resolve));
  const filter = clientFilter(toServerFilter(options.filter));

  async function* run(): AsyncGenerator<RecordedEvent> {
    let after = options.after;
    let failures = 0;
    while (!stopping.signal.aborted) {
      const subscription = client.subscribeToAll({ fromPosition: toReadPosition(after), filter });
      current = subscription;
      try {
        for await (const resolved of subscription) {
          failures = 0;
          const event = fromResolvedEvent(resolved);
          if (!event || !isAfter(event, after) || !matchesFilter(event, options.filter)) continue;
          after = event.position;
          yield event;
        }
      } catch (error) {
        if (!stopping.signal.aborted && !isTransient(error)) throw error;
      } finally {
        await subscription.unsubscribe().catch(() => undefined);
      }
      if (!stopping.signal.aborted) await delay(backoffDelay(failures++, retry), stopping.signal);
    }
  }

  const events = run();
  const close = async (): Promise<void> => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    signalClosed(DONE);
    onClose();
    await current?.unsubscribe().catch(() => undefined);
    // Ends the generator if it is paused at a yield; if it is inside a read, it ends once the read does.
    events.return(undefined).catch(() => undefined);
  };
  const iterator: AsyncIterator<RecordedEvent> = {
    next: () => (stopping.signal.aborted ? Promise.resolve(DONE) : Promise.race([events.next(), closed])),
    return: async () => {
      await close();
      return DONE;
    },
  };
  return { [Symbol.asyncIterator]: () => iterator, close };
}

function clientFilter(filter: ServerFilter) {
  switch (filter.kind) {
    case "eventType":
      return eventTypeFilter({ prefixes: [...filter.prefixes] });
    case "streamName":
      return streamNameFilter({ prefixes: [...filter.prefixes] });
    case "excludeSystemEvents":
      return excludeSystemEvents();
  }
}
