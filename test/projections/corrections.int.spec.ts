/**
 * A correction reads as if the fact had been recorded right: every read model after a FactCorrected equals the
 * one built from a history where the fact was correct from the start (facts tables aside).
 */
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { EventStore } from "../../events/port";
import type { ProjectionDefinition } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { rebuildProjection } from "../../projections/rebuild";
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { ProjectionRunner } from "../../projections/runner";
import { handleCommand } from "../../services/common/command-handler";
import { deciderFor, type PasserelleCommand } from "../../domain/deciders";
import { meta } from "../support/decider-spec";
import { dumpReadModels } from "../support/dump";

const DEFINITIONS: ProjectionDefinition[] = [
  ...SERVICE_PROJECTIONS.partnerships,
  ...SERVICE_PROJECTIONS.audit.filter((p) => p.name === "statistics"),
];

function commands(signedOn: string, suspendedOn: string): PasserelleCommand[] {
  let n = 0;
  const m = () => meta(`c${++n}`);
  return [
    {
      type: "RegisterInstitution",
      data: { institutionId: "chu-amiens", name: "CHU Amiens-Picardie", kind: "hospital", country: "FR" },
      metadata: m(),
    },
    {
      type: "RegisterInstitution",
      data: { institutionId: "al-germaniyya", name: "Al Germaniyya", kind: "hospital", country: "EG" },
      metadata: m(),
    },
    {
      type: "ProposePartnership",
      data: {
        partnershipId: "amiens-aswan",
        title: "Amiens – Aswan",
        scope: "international",
        parties: ["chu-amiens", "al-germaniyya"],
        countries: ["EG"],
      },
      metadata: m(),
    },
    { type: "SignMoU", data: { partnershipId: "amiens-aswan", signedOn, expiresOn: null }, metadata: m() },
    {
      type: "RecordCommissionReview",
      data: { partnershipId: "amiens-aswan", reviewedOn: "2019-12-01", outcome: "continue" },
      metadata: m(),
    },
    {
      type: "SuspendPartnership",
      data: { partnershipId: "amiens-aswan", suspendedOn, reason: "Covid-19" },
      metadata: m(),
    },
    { type: "ResumePartnership", data: { partnershipId: "amiens-aswan", resumedOn: "2022" }, metadata: m() },
  ];
}

async function run(store: EventStore, list: PasserelleCommand[]) {
  for (const command of list) await handleCommand(store, deciderFor(command), command);
}

async function models(store: EventStore) {
  const rm = new ReadModelDatabase(":memory:");
  for (const definition of DEFINITIONS) await rebuildProjection(store, rm, definition);
  const dump = dumpReadModels(rm, DEFINITIONS);
  rm.close();
  return Object.fromEntries(Object.entries(dump).filter(([name]) => !name.endsWith(".facts")));
}

describe("corrections in the read models", () => {
  it("a corrected signing year and suspension date read as if recorded right in the first place", async () => {
    const corrected = openSqliteEventStore({ path: ":memory:" });
    await run(corrected, commands("2019-09", "2020-03"));
    // Revisions of partnership-amiens-aswan: 0 proposed, 1 signed, 2 reviewed, 3 suspended, 4 resumed.
    await handleCommand(corrected, deciderFor({ type: "CorrectFact" } as PasserelleCommand), {
      type: "CorrectFact",
      data: {
        partnershipId: "amiens-aswan",
        revision: 1,
        data: { signedOn: "2018-11", expiresOn: null },
        reason: "The signing was in November 2018",
      },
      metadata: meta("fix-1"),
    });
    await handleCommand(corrected, deciderFor({ type: "CorrectFact" } as PasserelleCommand), {
      type: "CorrectFact",
      data: {
        partnershipId: "amiens-aswan",
        revision: 3,
        data: { suspendedOn: "2020-04", reason: "Covid-19" },
        reason: "April, not March",
      },
      metadata: meta("fix-2"),
    });
    const right = openSqliteEventStore({ path: ":memory:" });
    await run(right, commands("2018-11", "2020-04"));
    expect(await models(corrected)).toEqual(await models(right));
    await Promise.all([corrected.close(), right.close()]);
  });

  it("a live runner follows a correction as it is appended", async () => {
    const store = openSqliteEventStore({ path: ":memory:", pollIntervalMs: 10 });
    const rm = new ReadModelDatabase(":memory:");
    const runner = new ProjectionRunner(store, rm, DEFINITIONS);
    runner.start();
    await run(store, commands("2019-09", "2020-03"));
    const fix = await handleCommand(store, deciderFor({ type: "CorrectFact" } as PasserelleCommand), {
      type: "CorrectFact",
      data: {
        partnershipId: "amiens-aswan",
        revision: 1,
        data: { signedOn: "2018-11", expiresOn: "2021" },
        reason: "Signed in 2018, for three years",
      },
      metadata: meta("fix"),
    });
    for (const d of DEFINITIONS) await runner.waitForPosition(d.name, fix.position);
    const row = rm.get<{ signed_on: string; expires_on: string; first_signed_on: string }>(
      `SELECT signed_on, expires_on, first_signed_on FROM partnership_summary_v1_partnerships WHERE id = 'amiens-aswan'`,
    );
    expect(row).toEqual({ signed_on: "2018-11", expires_on: "2021", first_signed_on: "2018-11" });
    expect(
      rm.all(
        `SELECT key, value FROM statistics_v1_counters WHERE metric = 'agreements_signed' AND dimension = 'year' AND value <> 0`,
      ),
    ).toEqual([{ key: "2018", value: 1 }]);
    await runner.stop();
    rm.close();
    await store.close();
  });
});
