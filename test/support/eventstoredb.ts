/**
 * EventStoreDB tests run only against a real server. Without EVENTSTORE_CONNECTION_STRING they are reported
 * as skipped, with the reason in the suite's name and on the console: never replaced by a mock.
 */
export const eventStoreDbConnectionString = process.env.EVENTSTORE_CONNECTION_STRING;

export const SKIP_REASON =
  "SKIPPED: EVENTSTORE_CONNECTION_STRING is not set, so no EventStoreDB server to test against";

export function describeWithEventStoreDb(name: string, body: (connectionString: string) => void): void {
  if (eventStoreDbConnectionString) {
    describe(name, () => body(eventStoreDbConnectionString));
    return;
  }
  process.stderr.write(`\n*** ${name}: ${SKIP_REASON} ***\n\n`);
  describe.skip(`${name} [${SKIP_REASON}]`, () => {
    it("runs against a real EventStoreDB server", () => undefined);
  });
}
