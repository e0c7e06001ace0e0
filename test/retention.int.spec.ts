/**
 * The retention policy: the people a partnership's facts name are forgotten once every partnership naming them
 * ended more than the policy's years ago — not a day before — and each erasure is recorded.
 */
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import { openSqlitePersonalDataVault } from "../events/adapters/sqlite/sqlite-personal-data-vault";
import { sealMentions } from "../events/personal-data/mentions";
import type { EventStore } from "../events/port";
import type { PasserelleCommand } from "../domain/deciders";
import { deciderFor } from "../domain/deciders";
import { handleCommand } from "../services/common/command-handler";
import { dueForRetention } from "../services/partnerships/retention";

const POLICY = { yearsAfterTermination: 10 };

describe("the retention policy", () => {
  it("forgets a partnership's people the policy's years after it ended, and keeps those another one still needs", async () => {
    const store: EventStore = openSqliteEventStore({ path: ":memory:" });
    const vault = openSqlitePersonalDataVault({ vault: ":memory:", erasureRegister: ":memory:" });
    let n = 0;
    const run = async (type: PasserelleCommand["type"], data: Record<string, unknown>) =>
      handleCommand(store, deciderFor({ type }), {
        type,
        data,
        metadata: { commandId: `c${++n}`, actor: "test", now: "2026-12-01T00:00:00.000Z" },
      } as PasserelleCommand);
    for (const id of ["chu-a", "partner-b", "partner-c"]) {
      await run("RegisterInstitution", { institutionId: id, name: id, kind: "hospital", country: "FR" });
    }
    const people = [
      { personId: "p-ended", writings: ["Anne Ended"] },
      { personId: "p-shared", writings: ["Bruno Shared"] },
    ];
    for (const { personId, writings } of people) {
      await run("RecordPerson", {
        personId,
        institutionId: "chu-a",
        identity: await vault.seal(personId, { name: writings[0], role: null }),
      });
    }
    for (const [partnershipId, party] of [
      ["ended-2010", "partner-b"],
      ["still-active", "partner-c"],
    ] as const) {
      await run("ProposePartnership", {
        partnershipId,
        title: partnershipId,
        scope: "international",
        parties: ["chu-a", party],
        themes: [],
        countries: ["SN"],
      });
      await run("StartCooperation", { partnershipId, startedOn: "2005" });
    }
    await run("RecordMilestone", {
      partnershipId: "ended-2010",
      occurredOn: "2008",
      summary: await sealMentions("Anne Ended and Bruno Shared visited", people, vault),
    });
    await run("RecordMilestone", {
      partnershipId: "still-active",
      occurredOn: "2009",
      summary: await sealMentions("Bruno Shared came back", people, vault),
    });
    await run("TerminatePartnership", {
      partnershipId: "ended-2010",
      noticeGivenOn: "2010-01",
      effectiveOn: "2010-06",
      reason: "the programme ended",
    });

    // Ended in June 2010: its people are kept until the last day of June 2020.
    expect(await dueForRetention(store, POLICY, "2020-06-30")).toEqual([]);
    expect(await dueForRetention(store, POLICY, "2020-07-01")).toEqual([
      { personId: "p-ended", partnershipId: "ended-2010", terminatedOn: "2010-06" },
    ]);
    expect(await dueForRetention(store, { yearsAfterTermination: 20 }, "2026-12-01")).toEqual([]);

    await vault.forget({ personId: "p-ended", at: "2026-12-01T00:00:00.000Z", basis: "retention" });
    await run("ForgetPerson", { personId: "p-ended", basis: "retention" });
    expect(await dueForRetention(store, POLICY, "2026-12-01")).toEqual([]);
    await store.close();
    await vault.close();
  });
});
