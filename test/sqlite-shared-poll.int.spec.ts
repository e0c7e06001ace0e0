/**
 * Idle live feeds share one poll of the file's head (issue 12, hole 7): a thousand idle subscriptions used to
 * cost a thousand head reads per interval. They still see, promptly, what another process appends.
 */
import { join } from "node:path";
import { openSqliteEventStore, SqliteBackend } from "../events/adapters/sqlite/sqlite-event-store";
import type { RecordedEvent } from "../events/envelope";
import type { EventSubscription } from "../events/port";
import { tempDir } from "./support/temp";

const FEEDS = 200;
const INTERVAL_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SQLite live feeds: one shared poll", () => {
  it("given 200 idle feeds, when 400 ms pass, then the head is read about once per interval; an append by another process reaches them all", async () => {
    const dir = tempDir();
    const path = join(dir.path, "events.db");
    const reader = openSqliteEventStore({ path, pollIntervalMs: INTERVAL_MS });
    const writer = openSqliteEventStore({ path, pollIntervalMs: INTERVAL_MS });
    const headReads = jest.spyOn(SqliteBackend.prototype as unknown as { currentHead(): number }, "currentHead");
    const feeds: EventSubscription[] = [];
    try {
      const first: Array<Promise<IteratorResult<RecordedEvent>>> = [];
      for (let i = 0; i < FEEDS; i++) {
        const feed = reader.subscribeToAll();
        feeds.push(feed);
        first.push(feed[Symbol.asyncIterator]().next());
      }
      await sleep(100);
      headReads.mockClear();
      await sleep(400);
      // Given: 400 / 20 = 20 polls. Each feed polling on its own gave 200 × 20 = 4,000 reads.
      expect(headReads.mock.calls.length).toBeLessThanOrEqual(40);

      await writer.appendToStream(
        "partnership-p1",
        [{ type: "Noted", data: {}, metadata: { actor: "t", commandId: "c" } }],
        {
          expectedRevision: "no_stream",
        },
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), 2000)));
      const received = await Promise.race([Promise.all(first), timeout]);
      clearTimeout(timer);
      expect(received).not.toBe("timeout");
      const results = received as Array<IteratorResult<RecordedEvent>>;
      expect(results.every((result) => !result.done && result.value.streamId === "partnership-p1")).toBe(true);
    } finally {
      headReads.mockRestore();
      await Promise.all(feeds.map((feed) => feed.close()));
      await reader.close();
      await writer.close();
      dir.remove();
    }
  });
});
