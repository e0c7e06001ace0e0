/**
 * Rights scoped to institutions, end to end (issue 12): every mutation of the supergraph × an editor granted
 * only CHU de Limoges × a Limoges partnership and another one, through the gateway. 0 unexpected allows: each
 * command on the other institution's entities is FORBIDDEN (naming them) and appends nothing; none on
 * Limoges' own is. Grants are events an auditor can read as of any instant.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type ObjectTypeDefinitionNode } from "graphql";
import { graphql, ROOT } from "../support/system";
import { codes, commandId, headPosition, useSystem } from "./harness";

const e2e = useSystem();

interface Target {
  readonly partnershipId: string;
  readonly institutionId: string;
  readonly missionId: string;
  readonly delegationId: string;
  readonly trainingId: string;
}
const OWN: Target = {
  partnershipId: "limoges-cherkasy-hospital-3",
  institutionId: "chu-limoges",
  missionId: "access-own-mission",
  delegationId: "access-own-delegation",
  trainingId: "access-own-training",
};
const OTHER: Target = {
  partnershipId: "tours-hogip-dakar-twinning",
  institutionId: "chru-tours",
  missionId: "access-other-mission",
  delegationId: "access-other-delegation",
  trainingId: "access-other-training",
};
const HASH = "a".repeat(64);

/** One document per mutation, aimed at a target's entities: the scope is what is under test, not the rules. */
const MUTATIONS: Record<string, (t: Target, c: string) => string> = {
  registerInstitution: (t, c) =>
    `mutation { registerInstitution(commandId: "${c}", input: { institutionId: "${c}", name: "New partner", kind: OTHER }) { revision } }`,
  renameInstitution: (t, c) =>
    `mutation { renameInstitution(commandId: "${c}", input: { institutionId: "${t.institutionId}", name: "Renamed ${c}" }) { revision } }`,
  proposePartnership: (t, c) =>
    `mutation { proposePartnership(commandId: "${c}", input: { title: "T", scope: INTERNATIONAL, parties: ["${t.institutionId}", "dgos"] }) { revision } }`,
  startCooperation: (t, c) =>
    `mutation { startCooperation(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", startedOn: "2020" }) { revision } }`,
  signMoU: (t, c) =>
    `mutation { signMoU(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", signedOn: "2020" }) { revision } }`,
  approveAgreementVersion: (t, c) =>
    `mutation { approveAgreementVersion(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", institutionId: "${t.institutionId}", versionHash: "${HASH}" }) { revision } }`,
  amendMoU: (t, c) =>
    `mutation { amendMoU(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", amendedOn: "2020", versionHash: "${HASH}", summary: "s" }) { revision } }`,
  renewMoU: (t, c) =>
    `mutation { renewMoU(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", renewedOn: "2020", period: { from: "2020" } }) { revision } }`,
  suspendPartnership: (t, c) =>
    `mutation { suspendPartnership(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", suspendedOn: "2020", reason: "r" }) { revision } }`,
  resumePartnership: (t, c) =>
    `mutation { resumePartnership(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", resumedOn: "2020" }) { revision } }`,
  terminatePartnership: (t, c) =>
    `mutation { terminatePartnership(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", noticeGivenOn: "2000", effectiveOn: "1999", reason: "r" }) { revision } }`,
  recordCommissionReview: (t, c) =>
    `mutation { recordCommissionReview(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", reviewedOn: "2020-01-01", outcome: CONTINUE }) { revision } }`,
  recordMilestone: (t, c) =>
    `mutation { recordMilestone(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", occurredOn: "2020", summary: "s ${c}" }) { revision } }`,
  correctFact: (t, c) =>
    `mutation { correctFact(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", revision: 0, data: {}, reason: "r" }) { revision } }`,
  planMission: (t, c) =>
    `mutation { planMission(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", purpose: "p", plannedStart: "2027" }) { revision } }`,
  postponeMission: (t, c) =>
    `mutation { postponeMission(commandId: "${c}", input: { missionId: "${t.missionId}", reason: "r ${c}" }) { revision } }`,
  startMission: (t, c) =>
    `mutation { startMission(commandId: "${c}", input: { missionId: "${t.missionId}", startedOn: "2020" }) { revision } }`,
  completeMission: (t, c) =>
    `mutation { completeMission(commandId: "${c}", input: { missionId: "${t.missionId}", completedOn: "2020" }) { revision } }`,
  cancelMission: (t, c) =>
    `mutation { cancelMission(commandId: "${c}", input: { id: "${t.missionId}", reason: "r" }) { revision } }`,
  scheduleDelegation: (t, c) =>
    `mutation { scheduleDelegation(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", purpose: "p", from: "2027" }) { revision } }`,
  hostDelegation: (t, c) =>
    `mutation { hostDelegation(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", purpose: "p", from: "2020" }) { revision } }`,
  cancelDelegation: (t, c) =>
    `mutation { cancelDelegation(commandId: "${c}", input: { id: "${t.delegationId}", reason: "r" }) { revision } }`,
  scheduleTraining: (t, c) =>
    `mutation { scheduleTraining(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", topic: "t", from: "2027" }) { revision } }`,
  recordTraining: (t, c) =>
    `mutation { recordTraining(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", topic: "t", from: "2020" }) { revision } }`,
  cancelTraining: (t, c) =>
    `mutation { cancelTraining(commandId: "${c}", input: { id: "${t.trainingId}", reason: "r" }) { revision } }`,
  grantFunding: (t, c) =>
    `mutation { grantFunding(commandId: "${c}", input: { partnershipId: "${t.partnershipId}", funders: ["dgos"], grantedOn: "2020" }) { revision } }`,
  grantAccess: (t, c) =>
    `mutation { grantAccess(commandId: "${c}", input: { grantee: "dev-limoges-editor", institutionId: "${t.institutionId}" }) { revision } }`,
  revokeAccess: (t, c) =>
    `mutation { revokeAccess(commandId: "${c}", input: { grantee: "dev-limoges-editor", institutionId: "${t.institutionId}" }) { revision } }`,
  recordPerson: (t, c) =>
    `mutation { recordPerson(commandId: "${c}", input: { institutionId: "${t.institutionId}", name: "Person ${c}" }) { revision } }`,
  forgetPerson: (t, c) =>
    `mutation { forgetPerson(commandId: "${c}", input: { personId: "person-of-${t.institutionId}", basis: REQUEST }) { revision } }`,
  applyRetention: (_t, c) => `mutation { applyRetention(commandId: "${c}", input: { asOf: "2000-01-01" }) { asOf } }`,
};
/** Commands of other roles (administrators', the DPO's): refused to every editor, whatever the institution. */
const ADMIN_ONLY = new Set(["grantAccess", "revokeAccess", "forgetPerson", "applyRetention"]);
/** Entries of the shared directory: any granted editor may add one. */
const DIRECTORY = new Set(["registerInstitution"]);

async function send(token: string, document: string) {
  return graphql(e2e.gateway, document, { token });
}

beforeAll(async () => {
  // Activities to act on, on both partnerships, planned by the network-wide editor.
  for (const target of [OWN, OTHER]) {
    for (const document of [
      `mutation { planMission(commandId: "${target.missionId}", input: { missionId: "${target.missionId}", partnershipId: "${target.partnershipId}", purpose: "p", plannedStart: "2027" }) { revision } }`,
      `mutation { scheduleDelegation(commandId: "${target.delegationId}", input: { delegationId: "${target.delegationId}", partnershipId: "${target.partnershipId}", purpose: "p", from: "2027" }) { revision } }`,
      `mutation { scheduleTraining(commandId: "${target.trainingId}", input: { trainingId: "${target.trainingId}", partnershipId: "${target.partnershipId}", topic: "t", from: "2027" }) { revision } }`,
    ]) {
      const response = await send(e2e.tokens.editor!, document);
      expect(response.errors).toBeUndefined();
    }
  }
}, 60_000);

describe("the role × operation × institution matrix", () => {
  it("covers every mutation of the supergraph", () => {
    const supergraph = parse(readFileSync(join(ROOT, "schema", "supergraph.graphql"), "utf8"));
    const mutation = supergraph.definitions.find(
      (d): d is ObjectTypeDefinitionNode => d.kind === "ObjectTypeDefinition" && d.name.value === "Mutation",
    )!;
    expect(Object.keys(MUTATIONS).sort()).toEqual(mutation.fields!.map((f) => f.name.value).sort());
  });

  it.each(Object.keys(MUTATIONS))(
    "%s: the Limoges editor is refused on others' entities, not on Limoges'",
    async (name) => {
      const token = e2e.tokens.limogesEditor!;
      const other = MUTATIONS[name]!(OTHER, commandId(`other-${name}`));
      const before = await headPosition(e2e);
      const refusedOther = await send(token, other);
      const expectOther = DIRECTORY.has(name) ? [] : ["FORBIDDEN"];
      expect([name, "other", codes(refusedOther).filter((c) => c === "FORBIDDEN")]).toEqual([
        name,
        "other",
        expectOther,
      ]);
      if (!DIRECTORY.has(name)) expect(await headPosition(e2e)).toBe(before);
      if (!ADMIN_ONLY.has(name) && !DIRECTORY.has(name)) {
        const error = refusedOther.errors![0]!;
        expect(error.message).toContain("chru-tours");
      }
      const own = await send(token, MUTATIONS[name]!(OWN, commandId(`own-${name}`)));
      const expectOwn = ADMIN_ONLY.has(name) ? ["FORBIDDEN"] : [];
      expect([name, "own", codes(own).filter((c) => c === "FORBIDDEN")]).toEqual([name, "own", expectOwn]);
    },
  );
});

describe("grants are events", () => {
  it("an administrator grants and revokes; an auditor reads who could write what, now and as of any instant", async () => {
    const grantee = "carol@chu-limoges.fr";
    const grant = await send(
      e2e.tokens.admin!,
      `mutation { grantAccess(commandId: "${commandId("grant")}", input: { grantee: "${grantee}", institutionId: "chu-limoges" }) { position grants { institutionId grantedBy } } }`,
    );
    expect(grant.errors).toBeUndefined();
    expect(grant.data).toMatchObject({
      grantAccess: { grants: [{ institutionId: "chu-limoges", grantedBy: "dev-admin" }] },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const revoke = await send(
      e2e.tokens.admin!,
      `mutation { revokeAccess(commandId: "${commandId("revoke")}", input: { grantee: "${grantee}", institutionId: "chu-limoges" }) { grants { institutionId } } }`,
    );
    expect(revoke.data).toMatchObject({ revokeAccess: { grants: [] } });

    const read = (asOf?: string) =>
      send(
        e2e.tokens.auditor!,
        `{ accessGrants(grantee: "${grantee}"${asOf ? `, asOf: "${asOf}"` : ""}) { institutionId grantedBy revokedAt revokedBy } }`,
      );
    expect((await read()).data).toEqual({ accessGrants: [] });
    expect((await read(between)).data).toMatchObject({
      accessGrants: [{ institutionId: "chu-limoges", grantedBy: "dev-admin", revokedBy: "dev-admin" }],
    });
    expect((await read("2000-01-01T00:00:00Z")).data).toEqual({ accessGrants: [] });
    expect(codes(await read("yesterday"))).toEqual(["BAD_USER_INPUT"]);
    // The development editors' institutions ride in their tokens: npm start records no grant for them.
    const all = await send(e2e.tokens.auditor!, `{ accessGrants { grantee institutionId network } }`);
    const grantees = (all.data as { accessGrants: Array<{ grantee: string }> }).accessGrants.map((g) => g.grantee);
    expect(grantees.filter((grantee) => grantee.startsWith("dev-"))).toEqual([]);
  });

  it("a grant widens what a token's own institutions allow: granted Tours, the Limoges editor writes Tours' partnership", async () => {
    const milestone = `mutation { recordMilestone(commandId: "${commandId("tours")}", input: { partnershipId: "${OTHER.partnershipId}", occurredOn: "2026", summary: "Granted" }) { revision } }`;
    expect(codes(await send(e2e.tokens.limogesEditor!, milestone))).toEqual(["FORBIDDEN"]);
    const grant = await send(
      e2e.tokens.admin!,
      `mutation { grantAccess(commandId: "${commandId("grant-tours")}", input: { grantee: "dev-limoges-editor", institutionId: "chru-tours" }) { revision } }`,
    );
    expect(grant.errors).toBeUndefined();
    const again = await send(
      e2e.tokens.limogesEditor!,
      milestone.replace(/commandId: "[^"]+"/, `commandId: "${commandId("tours")}"`),
    );
    expect(again.errors).toBeUndefined();
    await send(
      e2e.tokens.admin!,
      `mutation { revokeAccess(commandId: "${commandId("revoke-tours")}", input: { grantee: "dev-limoges-editor", institutionId: "chru-tours" }) { revision } }`,
    );
  });
});
