/**
 * Two read models of one service catch up separately: the commission's reminders may already list a
 * partnership the summary has not reached. The query must answer, not fail.
 */
import "reflect-metadata";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { tablesOf, type ProjectionDefinition } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { rebuildProjection } from "../../projections/rebuild";
import { partnershipSummary } from "../../projections/read-models/partnership-summary";
import { reviewReminders } from "../../projections/read-models/review-reminders";
import type { GraphQLContext } from "../../services/common/graphql/context";
import { PartnershipResolver } from "../../services/partnerships/partnership.resolver";
import { writeHistory } from "../support/history";

describe("reviewReminders while its read model is ahead of partnership_summary", () => {
  it("leaves out the partnerships the summary has not reached yet, then shows them", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await writeHistory(store);
    const rm = new ReadModelDatabase(":memory:");
    // The reminders are rebuilt; the summary has applied nothing yet (built from an empty log).
    await rebuildProjection(store, rm, reviewReminders as ProjectionDefinition);
    const empty = openSqliteEventStore({ path: ":memory:" });
    await rebuildProjection(empty, rm, partnershipSummary as ProjectionDefinition);
    await empty.close();
    const context = {
      identity: null,
      identityError: null,
      correlationId: "test",
      consistentWith: null,
      runtime: {
        readModels: rm,
        projections: [],
        runner: {
          tables: (definition: ProjectionDefinition) =>
            tablesOf(definition.name, definition.version, definition.tables),
        },
      },
    } as unknown as GraphQLContext;
    const resolver = new PartnershipResolver();

    const ahead = await resolver.reviewReminders(context, "2023-01-10", 6);
    expect(ahead).toEqual({ reviewsOverdue: [], expiring: [] });

    await rebuildProjection(store, rm, partnershipSummary as ProjectionDefinition);
    const caughtUp = await resolver.reviewReminders(context, "2023-01-10", 6);
    expect(caughtUp.reviewsOverdue.map((reminder) => reminder.partnership.id)).toEqual(["tours-hogip"]);
    rm.close();
    await store.close();
  });
});
