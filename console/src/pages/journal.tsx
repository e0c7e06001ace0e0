/**
 * Journal: the live event feed (graphql-ws through the gateway), filtered. What it has shown is kept for the tab:
 * after a reload it resumes from the last position it showed, and a dropped connection resubscribes from where
 * the subscription began — every event is kept once by its position, so there is no gap and no duplicate.
 */
import { useEffect, useState } from "react";
import { useSubscription } from "urql";
import { formatBusinessDate, formatInstant } from "../dates";
import { graphql } from "../gql";
import type { JournalSubscription } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Failure } from "./parts";

const Feed = graphql(`
  subscription Journal($after: Position, $filter: EventSubscriptionFilter) {
    eventFeed(after: $after, filter: $filter) {
      position
      type
      streamId
      businessDate
      recordedAt
      actor
    }
  }
`);

type FeedEvent = JournalSubscription["eventFeed"];

interface Filter {
  readonly types: string;
  readonly partnershipId: string;
}

interface Saved {
  readonly filter: Filter;
  readonly after: string | null;
  readonly events: FeedEvent[];
}

const KEY = "passerelle.journal";
const KEPT = 200;
const NO_FILTER: Filter = { types: "", partnershipId: "" };

function load(): Saved {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Saved | null;
    if (saved && Array.isArray(saved.events)) return saved;
  } catch {
    // a damaged entry: start afresh
  }
  return { filter: NO_FILTER, after: null, events: [] };
}

export function Journal() {
  const { t, language } = useI18n();
  const [saved] = useState(load);
  const [filter, setFilter] = useState<Filter>(saved.filter);
  const [draft, setDraft] = useState<Filter>(saved.filter);
  // Where this subscription begins: the last position shown before a reload, or the start of the log.
  const [after, setAfter] = useState<string | null>(saved.events.at(-1)?.position ?? saved.after);
  const [earlier, setEarlier] = useState<FeedEvent[]>(saved.events);
  const variables = {
    after,
    filter: {
      ...(filter.types.trim()
        ? {
            types: filter.types
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
      ...(filter.partnershipId.trim() ? { partnershipId: filter.partnershipId.trim() } : {}),
    },
  };
  const [{ data: live, error }] = useSubscription<FeedEvent, FeedEvent[], typeof variables>(
    { query: Feed as never, variables },
    (received = [], event: unknown) => {
      const next = (event as { eventFeed: FeedEvent }).eventFeed;
      return received.some((e) => e.position === next.position) ? received : [...received, next];
    },
  );
  const seen = new Set(earlier.map((e) => e.position));
  const events = [...earlier, ...(live ?? []).filter((e) => !seen.has(e.position))].slice(-KEPT);
  useEffect(() => {
    sessionStorage.setItem(KEY, JSON.stringify({ filter, after, events } satisfies Saved));
  }, [filter, after, events]);
  const apply = () => {
    setFilter(draft);
    setEarlier([]);
    setAfter(null);
  };
  return (
    <>
      <h1>{t.journal.title}</h1>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          apply();
        }}
      >
        <div className="field">
          <label htmlFor="journal-types">{t.journal.types}</label>
          <input
            id="journal-types"
            value={draft.types}
            onChange={(e) => setDraft({ ...draft, types: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="journal-partnership">{t.journal.partnership}</label>
          <input
            id="journal-partnership"
            value={draft.partnershipId}
            onChange={(e) => setDraft({ ...draft, partnershipId: e.target.value })}
          />
        </div>
        <button type="submit">{t.journal.apply}</button>
      </form>
      {error && <Failure error={error} />}
      <p>{t.journal.shown(events.length, events.at(-1)?.position ?? null)}</p>
      <div role="log" aria-label={t.journal.title}>
        <ol className="journal" reversed>
          {[...events].reverse().map((event) => (
            <li key={event.position} data-position={event.position} data-type={event.type}>
              <span className="position">#{event.position}</span>{" "}
              <strong>{t.eventTypes[event.type] ?? event.type}</strong> <code>{event.streamId}</code>
              {event.businessDate && <> — {formatBusinessDate(event.businessDate, language)}</>} —{" "}
              {event.actor && <>{event.actor}, </>}
              {formatInstant(event.recordedAt, language)}
            </li>
          ))}
        </ol>
      </div>
    </>
  );
}
