/**
 * Rights scoped to institutions, in the command handler (issue 12): an editor writes only partnerships and
 * activities an institution they were granted is party to; refusals are FORBIDDEN naming the institutions,
 * and append nothing. Grants are events, so revoking one takes effect on the next command.
 */
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { EventStore } from "../events/port";
import { accessDecider, type AccessCommand } from "../domain/access/access.decider";
import { deciderFor, type PasserelleCommand } from "../domain/deciders";
import { handleCommand } from "../services/common/command-handler";
import type { Caller } from "../services/common/access";
import { collect } from "./support/async";
import { meta } from "./support/decider-spec";

const limogesEditor: Caller = { actor: "alice@chu-limoges.fr", roles: ["editor"] };
const brestEditor: Caller = { actor: "bob@chu-brest.fr", roles: ["editor"] };
const admin: Caller = { actor: "root", roles: ["admin"] };

describe("access scoped to institutions (SQLite in memory)", () => {
  let store: EventStore;
  let counter = 0;
  const run = (command: Omit<PasserelleCommand, "metadata">, caller?: Caller) => {
    const full = {
      ...command,
      metadata: { ...meta(`c-${++counter}`), actor: caller?.actor ?? "system" },
    } as PasserelleCommand;
    return handleCommand(store, deciderFor(full), full, caller ? { caller } : {});
  };
  const grant = (grantee: string, institutionId: string | null, type: AccessCommand["type"] = "GrantAccess") =>
    run({ type, data: { grantee, institutionId } }, admin);
  const head = () => store.headPosition();

  beforeEach(async () => {
    store = openSqliteEventStore({ path: ":memory:" });
    for (const [id, name] of [
      ["chu-limoges", "CHU de Limoges"],
      ["chu-brest", "CHU de Brest"],
      ["mahosot", "Hôpital Mahosot"],
      ["cnhu-cotonou", "CNHU de Cotonou"],
    ])
      await run({
        type: "RegisterInstitution",
        data: { institutionId: id!, name: name!, kind: "hospital", country: "FR" },
      });
    await run({
      type: "ProposePartnership",
      data: {
        partnershipId: "brest-vientiane",
        title: "Brest – Vientiane",
        scope: "international",
        parties: ["chu-brest", "mahosot"],
        countries: ["LA"],
      },
    });
    await run({
      type: "ProposePartnership",
      data: {
        partnershipId: "limoges-cotonou",
        title: "Limoges – Cotonou",
        scope: "international",
        parties: ["chu-limoges", "cnhu-cotonou"],
        countries: ["BJ"],
      },
    });
    await grant(limogesEditor.actor, "chu-limoges");
  });
  afterEach(() => store.close());

  it("given a Limoges grant, when the Limoges editor writes Limoges' partnership and its activities, then it is accepted", async () => {
    await expect(
      run({ type: "StartCooperation", data: { partnershipId: "limoges-cotonou", startedOn: "2015" } }, limogesEditor),
    ).resolves.toMatchObject({ replayed: false });
    await expect(
      run(
        {
          type: "PlanMission",
          data: {
            missionId: "m1",
            partnershipId: "limoges-cotonou",
            purpose: "Mission",
            plannedStart: "2026-03-01",
            plannedEnd: "2026-03-10",
          },
        } as never,
        limogesEditor,
      ),
    ).resolves.toMatchObject({ replayed: false });
    await expect(
      run({ type: "CancelMission", data: { missionId: "m1", reason: "Budget" } } as never, limogesEditor),
    ).resolves.toMatchObject({ replayed: false });
  });

  it("given a Limoges grant, when the Limoges editor writes Brest's partnership, then FORBIDDEN names Brest's parties and nothing is appended", async () => {
    const before = await head();
    const refusal = run(
      { type: "StartCooperation", data: { partnershipId: "brest-vientiane", startedOn: "2015" } },
      limogesEditor,
    );
    await expect(refusal).rejects.toMatchObject({ code: "OUT_OF_SCOPE", institutions: ["chu-brest", "mahosot"] });
    await expect(refusal).rejects.toThrow(/CHU de Brest \(chu-brest\), Hôpital Mahosot \(mahosot\)/);
    expect(await head()).toBe(before);
  });

  it("refuses, for another institution's partnership, activities new and old, and proposing one between others", async () => {
    await run({
      type: "PlanMission",
      data: {
        missionId: "m2",
        partnershipId: "brest-vientiane",
        purpose: "Mission",
        plannedStart: "2026-03-01",
        plannedEnd: "2026-03-10",
      },
    } as never);
    await expect(
      run(
        {
          type: "PlanMission",
          data: {
            missionId: "m3",
            partnershipId: "brest-vientiane",
            purpose: "Mission",
            plannedStart: "2026-03-01",
            plannedEnd: "2026-03-10",
          },
        } as never,
        limogesEditor,
      ),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE" });
    await expect(
      run({ type: "CancelMission", data: { missionId: "m2", reason: "Budget" } } as never, limogesEditor),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE" });
    await expect(
      run(
        {
          type: "GrantFunding",
          data: {
            fundingId: "f1",
            partnershipId: "brest-vientiane",
            funders: ["chu-brest"],
            grantedOn: "2020",
            amount: { amount: "1000", currency: "EUR" },
          },
        } as never,
        limogesEditor,
      ),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE" });
    await expect(
      run(
        {
          type: "ProposePartnership",
          data: {
            partnershipId: "brest-cotonou",
            title: "B–C",
            scope: "international",
            parties: ["chu-brest", "cnhu-cotonou"],
            countries: ["BJ"],
          },
        },
        limogesEditor,
      ),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE", institutions: ["chu-brest", "cnhu-cotonou"] });
    await expect(
      run({ type: "RenameInstitution", data: { institutionId: "chu-brest", name: "CHU Brest" } }, limogesEditor),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE", institutions: ["chu-brest"] });
  });

  it("lets any granted editor register a new partner in the shared directory; an editor with no grant may write nothing", async () => {
    await expect(
      run(
        {
          type: "RegisterInstitution",
          data: { institutionId: "chu-hue", name: "Hôpital central de Huế", kind: "hospital", country: "VN" },
        },
        limogesEditor,
      ),
    ).resolves.toMatchObject({ replayed: false });
    await expect(
      run(
        {
          type: "RegisterInstitution",
          data: { institutionId: "chu-hanoi", name: "Bach Mai", kind: "hospital", country: "VN" },
        },
        brestEditor,
      ),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE", institutions: [] });
  });

  it("given a network grant, the editor writes every institution's partnerships; given it revoked, no more", async () => {
    await grant(brestEditor.actor, null);
    await expect(
      run({ type: "StartCooperation", data: { partnershipId: "limoges-cotonou", startedOn: "2015" } }, brestEditor),
    ).resolves.toMatchObject({ replayed: false });
    await grant(brestEditor.actor, null, "RevokeAccess");
    await expect(
      run(
        { type: "RecordMilestone", data: { partnershipId: "limoges-cotonou", occurredOn: "2016", summary: "Visit" } },
        brestEditor,
      ),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE" });
  });

  it("only administrators grant; the grant events record who granted whom, the stream keyed by a digest", async () => {
    await expect(
      run({ type: "GrantAccess", data: { grantee: limogesEditor.actor, institutionId: "chu-brest" } }, limogesEditor),
    ).rejects.toMatchObject({ code: "OUT_OF_SCOPE" });
    const grants = (await collect(store.readAll())).filter((event) => event.type === "AccessGranted");
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      streamId: `access-${accessDecider.entityId({ type: "GrantAccess", data: { grantee: limogesEditor.actor }, metadata: meta() })}`,
      data: { grantee: limogesEditor.actor, institutionId: "chu-limoges" },
      metadata: { actor: "root" },
    });
  });

  it("an approval is the approving party's: a Limoges editor may not record Brest's, on a partnership both are party to", async () => {
    await run({
      type: "ProposePartnership",
      data: {
        partnershipId: "limoges-brest",
        title: "L–B",
        scope: "domestic",
        parties: ["chu-limoges", "chu-brest"],
        countries: [],
      },
    });
    const approve = (institutionId: string) =>
      run(
        {
          type: "ApproveAgreementVersion",
          data: { partnershipId: "limoges-brest", institutionId, versionHash: "a".repeat(64) },
        } as never,
        limogesEditor,
      );
    await expect(approve("chu-brest")).rejects.toMatchObject({ code: "OUT_OF_SCOPE", institutions: ["chu-brest"] });
    await expect(approve("chu-limoges")).rejects.not.toMatchObject({ code: "OUT_OF_SCOPE" });
  });

  it("an activity naming a partnership that does not exist is NOT_FOUND at the scope check, before any decision", async () => {
    await expect(
      run(
        {
          type: "PlanMission",
          data: { missionId: "m9", partnershipId: "nowhere", purpose: "p", plannedStart: "2027" },
        } as never,
        limogesEditor,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND", entity: "Partnership", id: "nowhere" });
  });

  it("a command about an entity that does not exist is refused by its decider, not as out of scope", async () => {
    await expect(
      run({ type: "StartCooperation", data: { partnershipId: "nowhere", startedOn: "2015" } }, brestEditor),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
