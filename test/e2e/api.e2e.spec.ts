/**
 * End to end: the real processes (`npm start`'s supervisor, three subgraphs, the gateway) on free ports, talked
 * to over HTTP through the gateway only, as front-end teams, auditors and analysts do.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type ObjectTypeDefinitionNode } from "graphql";
import { graphql, ROOT, startSystem, type GraphQLResponse, type RunningSystem } from "../support/system";

let system: RunningSystem;
let gateway: string;
let tokens: Record<string, string>;
let commandCounter = 0;
const commandId = (label: string) => `e2e-${label}-${++commandCounter}`;

beforeAll(async () => {
  system = await startSystem();
  gateway = system.url;
  tokens = system.tokens;
}, 180_000);

afterAll(async () => {
  // Ctrl-C stops everything cleanly.
  expect(await system.stop()).toBe(0);
}, 60_000);

const codes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);

async function headPosition(): Promise<string> {
  let after: string | null = null;
  let last = "0";
  for (;;) {
    const page: GraphQLResponse<{
      events: {
        edges: Array<{ node: { position: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    }> = await graphql(
      gateway,
      `
        query ($after: String) {
          events(first: 100, after: $after) {
            edges {
              node {
                position
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      `,
      { token: tokens.admin!, variables: { after } },
    );
    const edges = page.data!.events.edges;
    if (edges.length > 0) last = edges[edges.length - 1]!.node.position;
    if (!page.data!.events.pageInfo.hasNextPage) return last;
    after = page.data!.events.pageInfo.endCursor;
  }
}

describe("npm start", () => {
  it("prints the gateway URL, GraphiQL and one token per role", () => {
    const text = system.output.join("");
    expect(text).toMatch(/^Passerelle gateway: http:\/\/localhost:\d+\/graphql$/m);
    expect(text).toMatch(/^GraphiQL: http:\/\/localhost:\d+\/graphql/m);
    expect(Object.keys(tokens).sort()).toEqual(["admin", "analyst", "auditor", "editor"]);
    expect(text).toMatch(/Demo data: 313 commands .* 313 newly applied/);
  });
});

describe("the imported demo data", () => {
  it("answers a query about a real partnership from the sources, across the three subgraphs", async () => {
    const response = await graphql<{ partnership: Record<string, unknown> }>(
      gateway,
      `
        {
          partnership(id: "nimes-taiyuan-maternal-child-health") {
            title
            status
            agreement {
              signedOn
              expiresOn
              signed
            }
            parties {
              id
              name
              country
            }
            activities(first: 20) {
              totalCount
              edges {
                node {
                  __typename
                  title
                  startOn
                  status
                }
              }
            }
            grants {
              funders {
                name
              }
              grantedOn
            }
            history(first: 100) {
              edges {
                node {
                  type
                  businessDate
                  source {
                    quote
                  }
                }
              }
            }
          }
        }
      `,
      { token: tokens.admin! },
    );
    expect(response.errors).toBeUndefined();
    const p = response.data!.partnership as {
      status: string;
      agreement: { signedOn: string; expiresOn: string | null; signed: number };
      parties: Array<{ id: string; name: string }>;
      activities: { totalCount: number; edges: Array<{ node: { __typename: string; startOn: string } }> };
      grants: Array<{ funders: Array<{ name: string }>; grantedOn: string }>;
      history: { edges: Array<{ node: { type: string; businessDate: string; source: { quote: string } | null } }> };
    };
    expect(p.status).toBe("ACTIVE");
    expect(p.agreement).toEqual({ signedOn: "2022-12-15", expiresOn: null, signed: 1 });
    expect(p.parties.map((x) => x.id)).toEqual([
      "chu-nimes",
      "hopital-mere-enfant-shanxi",
      "ambassade-france-chine",
      "dgos",
    ]);
    expect(p.parties[0]!.name).toBe("CHU de Nîmes");
    expect(p.activities.edges.map((e) => `${e.node.__typename}@${e.node.startOn}`)).toContain("Delegation@2019-02");
    expect(p.grants.map((g) => [g.grantedOn, g.funders.map((f) => f.name)])).toContainEqual([
      "2018",
      ["Direction générale de l'offre de soins (DGOS)"],
    ]);
    const signing = p.history.edges.find((e) => e.node.type === "MoUSigned")!.node;
    expect(signing.businessDate).toBe("2022-12-15");
    expect(signing.source!.quote).toContain(
      "Le 15 décembre 2022, les deux établissements ont offi- cialisé leur partenariat",
    );
  });

  it("answers with the statistics the sources quote", async () => {
    const response = await graphql<{ statistics: Array<{ key: string; value: number }> }>(
      gateway,
      `
        {
          statistics(dimension: STATUS, metric: "partnerships") {
            key
            value
          }
        }
      `,
      { token: tokens.analyst! },
    );
    const total = response.data!.statistics.reduce((sum, c) => sum + c.value, 0);
    expect(total).toBe(43);
  });
});

describe("a partnership's life through the gateway", () => {
  const ids = {
    a: "chu-e2e-brest",
    b: "hopital-e2e-vientiane",
    partnership: "e2e-brest-vientiane",
    mission: "e2e-vientiane-2019",
  };
  let signed: { revision: number; position: string };

  beforeAll(async () => {
    for (const [id, name, country] of [
      [ids.a, "CHU de Brest (e2e)", "FR"],
      [ids.b, "Hôpital de Vientiane (e2e)", "LA"],
    ] as const) {
      const r = await graphql(
        gateway,
        `
          mutation ($c: ID!, $i: RegisterInstitutionInput!) {
            registerInstitution(commandId: $c, input: $i) {
              institution {
                id
              }
            }
          }
        `,
        {
          token: tokens.editor!,
          variables: { c: commandId("reg"), i: { institutionId: id, name, kind: "HOSPITAL", country } },
        },
      );
      expect(r.errors).toBeUndefined();
    }
  });

  it("proposes and signs an agreement, records a mission, then reads it all in one query spanning the subgraphs", async () => {
    const proposed = await graphql<{ proposePartnership: { partnership: { status: string }; revision: number } }>(
      gateway,
      `
        mutation ($c: ID!, $i: ProposePartnershipInput!) {
          proposePartnership(commandId: $c, input: $i) {
            revision
            partnership {
              status
            }
          }
        }
      `,
      {
        token: tokens.editor!,
        variables: {
          c: commandId("propose"),
          i: {
            partnershipId: ids.partnership,
            title: "Brest – Vientiane orthopaedics",
            scope: "INTERNATIONAL",
            parties: [ids.a, ids.b],
            countries: ["LA"],
            themes: ["orthopaedics"],
          },
        },
      },
    );
    expect(proposed.data!.proposePartnership).toEqual({ revision: 0, partnership: { status: "PROPOSED" } });

    const sign = await graphql<{
      signMoU: {
        revision: number;
        position: string;
        replayed: boolean;
        partnership: { status: string; agreement: { signedOn: string } };
      };
    }>(
      gateway,
      `
        mutation ($c: ID!, $i: SignMoUInput!) {
          signMoU(commandId: $c, expectedRevision: 0, input: $i) {
            revision
            position
            replayed
            partnership {
              status
              agreement {
                signedOn
              }
            }
          }
        }
      `,
      {
        token: tokens.editor!,
        variables: {
          c: "e2e-sign-once",
          i: {
            partnershipId: ids.partnership,
            signedOn: "2018-03-12",
            signatories: [{ institutionId: ids.a, person: "Directrice générale", role: "directrice générale" }],
          },
        },
      },
    );
    expect(sign.errors).toBeUndefined();
    expect(sign.data!.signMoU).toMatchObject({
      revision: 1,
      replayed: false,
      partnership: { status: "ACTIVE", agreement: { signedOn: "2018-03-12" } },
    });
    signed = sign.data!.signMoU;

    const mission = await graphql<{
      completeMission: { position: string; activity: { __typename: string; status: string } };
    }>(
      gateway,
      `
        mutation ($c: ID!, $i: CompleteMissionInput!) {
          completeMission(commandId: $c, input: $i) {
            position
            activity {
              __typename
              status
            }
          }
        }
      `,
      {
        token: tokens.editor!,
        variables: {
          c: commandId("mission"),
          i: {
            missionId: ids.mission,
            partnershipId: ids.partnership,
            purpose: "Prosthesis surgery",
            completedOn: "2019-11",
            trips: 1,
            participants: { count: 4 },
            destination: { country: "LA", place: "Vientiane" },
          },
        },
      },
    );
    expect(mission.data!.completeMission.activity).toEqual({ __typename: "Mission", status: "COMPLETED" });

    // Read your writes across subgraphs: every subgraph waits for the mission's position first.
    const read = await graphql<{ partnership: Record<string, unknown> }>(
      gateway,
      `{ partnership(id: "${ids.partnership}") {
           status parties { name } lastActivity { on kind }
           activities { edges { node { title endOn country place people { count } } } }
           history { edges { node { type actor businessDate } } }
       } }`,
      { token: tokens.admin!, headers: { "Passerelle-Consistent-With": mission.data!.completeMission.position } },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.partnership).toEqual({
      status: "ACTIVE",
      parties: [{ name: "CHU de Brest (e2e)" }, { name: "Hôpital de Vientiane (e2e)" }],
      lastActivity: { on: "2019-11", kind: "mission" },
      activities: {
        edges: [
          {
            node: {
              title: "Prosthesis surgery",
              endOn: "2019-11",
              country: "LA",
              place: "Vientiane",
              people: { count: 4 },
            },
          },
        ],
      },
      history: {
        edges: [
          { node: { type: "PartnershipProposed", actor: "dev-editor", businessDate: null } },
          { node: { type: "MoUSigned", actor: "dev-editor", businessDate: "2018-03-12" } },
          { node: { type: "MissionCompleted", actor: "dev-editor", businessDate: "2019-11" } },
        ],
      },
    });
  });

  it("a retried command with the same command id returns the first result and appends nothing", async () => {
    const before = await headPosition();
    const retry = await graphql<{ signMoU: { revision: number; position: string; replayed: boolean } }>(
      gateway,
      `
        mutation ($i: SignMoUInput!) {
          signMoU(commandId: "e2e-sign-once", expectedRevision: 0, input: $i) {
            revision
            position
            replayed
          }
        }
      `,
      {
        token: tokens.editor!,
        variables: {
          // A retry repeats the first input exactly (other input under the same id is refused, below).
          i: {
            partnershipId: ids.partnership,
            signedOn: "2018-03-12",
            signatories: [{ institutionId: ids.a, person: "Directrice générale", role: "directrice générale" }],
          },
        },
      },
    );
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.signMoU).toEqual({ revision: 1, position: signed.position, replayed: true });
    expect(await headPosition()).toBe(before);
  });

  it("the same command id with other input is COMMAND_ID_REUSED, naming the first command's position", async () => {
    const before = await headPosition();
    const changed = await graphql(
      gateway,
      `
        mutation ($i: SignMoUInput!) {
          signMoU(commandId: "e2e-sign-once", input: $i) {
            revision
          }
        }
      `,
      { token: tokens.editor!, variables: { i: { partnershipId: ids.partnership, signedOn: "2018-03-13" } } },
    );
    expect(codes(changed)).toEqual(["COMMAND_ID_REUSED"]);
    expect(changed.errors![0]!.extensions).toMatchObject({ commandId: "e2e-sign-once", position: signed.position });
    expect(await headPosition()).toBe(before);
  });

  it("a stale expected revision is a CONFLICT carrying the actual revision", async () => {
    const response = await graphql(
      gateway,
      `mutation ($c: ID!) { recordMilestone(commandId: $c, expectedRevision: 0, input: { partnershipId: "${ids.partnership}", occurredOn: "2020", summary: "Team visit" }) { revision } }`,
      {
        token: tokens.editor!,
        variables: { c: commandId("stale") },
      },
    );
    expect(response.errors![0]!.extensions).toMatchObject({ code: "CONFLICT", expectedRevision: 0, actualRevision: 1 });
  });
});

describe("errors are typed, and a rejected command appends nothing", () => {
  const mutate = (query: string, token = tokens.editor!) => graphql(gateway, query, { token });
  let before: string;
  beforeAll(async () => {
    before = await headPosition();
  });
  afterAll(async () => {
    expect(await headPosition()).toBe(before);
  });

  it("BAD_USER_INPUT names the field (input validation)", async () => {
    const r = await mutate(
      `mutation { registerInstitution(commandId: "${commandId("bad")}", input: { name: "X", kind: HOSPITAL, country: "XX" }) { revision } }`,
    );
    expect(r.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "country" });
  });

  it("BAD_USER_INPUT names the field (a business date that is not one)", async () => {
    const r = await mutate(
      `mutation { signMoU(commandId: "${commandId("bad")}", input: { partnershipId: "tours-hogip-dakar-twinning", signedOn: "2019-13" }) { revision } }`,
    );
    expect(r.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "signedOn" });
    const viaVariables = await graphql(
      gateway,
      `mutation ($i: SignMoUInput!) { signMoU(commandId: "${commandId("bad")}", input: $i) { revision } }`,
      {
        token: tokens.editor!,
        variables: { i: { partnershipId: "tours-hogip-dakar-twinning", signedOn: "2019-02-30" } },
      },
    );
    expect(viaVariables.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "signedOn" });
  });

  it("BAD_USER_INPUT names the field (the decider's own checks)", async () => {
    const r = await mutate(
      `mutation { grantFunding(commandId: "${commandId("bad")}", input: { partnershipId: "tours-hogip-dakar-twinning", funders: ["dgos"], grantedOn: "2022", amount: { value: "10.5", currency: "XOF" } }) { revision } }`,
    );
    expect(r.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "amount.value" });
  });

  it("BAD_USER_INPUT for a variable of the wrong type; BAD_REQUEST (415) for a body that is not JSON", async () => {
    const wrongType = await graphql(
      gateway,
      `mutation ($i: RegisterInstitutionInput!) { registerInstitution(commandId: "${commandId("bad")}", input: $i) { revision } }`,
      { token: tokens.editor!, variables: { i: { institutionId: "x", name: "X", kind: 42, country: "FR" } } },
    );
    expect(wrongType.errors!.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const notJson = await fetch(gateway, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${tokens.editor!}` },
      body: "mutation { registerInstitution }",
    });
    expect(notJson.status).toBe(415);
    expect(((await notJson.json()) as GraphQLResponse).errors![0]!.extensions).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("NOT_FOUND for an unknown partnership", async () => {
    const r = await mutate(
      `mutation { signMoU(commandId: "${commandId("nf")}", input: { partnershipId: "no-such-partnership", signedOn: "2020" }) { revision } }`,
    );
    expect(r.errors![0]!.extensions).toMatchObject({
      code: "NOT_FOUND",
      entity: "Partnership",
      id: "no-such-partnership",
    });
  });

  it("RULE_VIOLATION with the rule id and message", async () => {
    const r = await mutate(
      `mutation { resumePartnership(commandId: "${commandId("rule")}", input: { partnershipId: "nimes-taiyuan-maternal-child-health", resumedOn: "2023" }) { revision } }`,
    );
    expect(r.errors![0]).toMatchObject({
      message: expect.stringContaining("Only a suspended partnership can be resumed"),
      extensions: { code: "RULE_VIOLATION", rule: "RESUME_NOT_SUSPENDED" },
    });
  });

  it("UNAUTHENTICATED without a token or with a bad one; FORBIDDEN for the wrong role", async () => {
    expect(
      codes(
        await graphql(
          gateway,
          `
            {
              partnerships {
                totalCount
              }
            }
          `,
        ),
      ),
    ).toEqual(["UNAUTHENTICATED"]);
    expect(
      codes(
        await graphql(
          gateway,
          `
            {
              partnerships {
                totalCount
              }
            }
          `,
          { token: "not.a.token" },
        ),
      ),
    ).toEqual(["UNAUTHENTICATED"]);
    const forbidden = await mutate(
      `mutation { recordMilestone(commandId: "${commandId("forbidden")}", input: { partnershipId: "tours-hogip-dakar-twinning", occurredOn: "2020", summary: "x" }) { revision } }`,
      tokens.analyst!,
    );
    expect(codes(forbidden)).toEqual(["FORBIDDEN"]);
  });
});

/**
 * Every root operation, the roles allowed to use it (admin may use everything), and a document that exercises
 * it. Allowed: the answer carries no UNAUTHENTICATED/FORBIDDEN error (it may still be NOT_FOUND or a rule).
 */
const ALL_SIGNED_IN = ["editor", "auditor", "analyst"];
const MATRIX: Record<string, { roles: string[]; document: (n: number) => string }> = {
  partnership: { roles: ALL_SIGNED_IN, document: () => `{ partnership(id: "tours-hogip-dakar-twinning") { id } }` },
  partnerships: { roles: ALL_SIGNED_IN, document: () => `{ partnerships(first: 1) { totalCount } }` },
  reviewReminders: {
    roles: ALL_SIGNED_IN,
    document: () => `{ reviewReminders(asOf: "2024-01-01") { reviewsOverdue { signedOn } } }`,
  },
  institution: { roles: ALL_SIGNED_IN, document: () => `{ institution(id: "dgos") { name } }` },
  institutions: { roles: ALL_SIGNED_IN, document: () => `{ institutions(first: 1) { totalCount } }` },
  institutionsByCountry: { roles: ALL_SIGNED_IN, document: () => `{ institutionsByCountry { country } }` },
  activities: { roles: ALL_SIGNED_IN, document: () => `{ activities(first: 1) { totalCount } }` },
  mission: { roles: ALL_SIGNED_IN, document: () => `{ mission(id: "x") { id } }` },
  delegation: { roles: ALL_SIGNED_IN, document: () => `{ delegation(id: "x") { id } }` },
  training: { roles: ALL_SIGNED_IN, document: () => `{ training(id: "x") { id } }` },
  grant: { roles: ALL_SIGNED_IN, document: () => `{ grant(id: "x") { id } }` },
  fundingTotals: { roles: ALL_SIGNED_IN, document: () => `{ fundingTotals(by: FUNDER) { key } }` },
  events: { roles: ["analyst", "auditor"], document: () => `{ events(first: 1) { edges { node { type } } } }` },
  statistics: { roles: ["analyst"], document: () => `{ statistics(dimension: YEAR) { key } }` },
  verifyIntegrity: {
    roles: ["auditor"],
    document: () => `{ verifyIntegrity(partnershipId: "tours-hogip-dakar-twinning") { ok } }`,
  },
  "Partnership.asOf": {
    roles: ["auditor"],
    document: () => `{ partnership(id: "tours-hogip-dakar-twinning") { asOf(businessDate: "2019") { status } } }`,
  },
  correctFact: {
    roles: ["editor"],
    document: (n) =>
      `mutation { correctFact(commandId: "m${n}", input: { partnershipId: "no-such", revision: 1, data: {}, reason: "r" }) { revision } }`,
  },
  "Partnership.history": {
    roles: ["auditor"],
    document: () => `{ partnership(id: "tours-hogip-dakar-twinning") { history(first: 1) { totalCount } } }`,
  },
  registerInstitution: {
    roles: ["editor"],
    document: (n) =>
      `mutation { registerInstitution(commandId: "m${n}", input: { institutionId: "matrix-${n}", name: "Matrix ${n}", kind: OTHER }) { revision } }`,
  },
  renameInstitution: {
    roles: ["editor"],
    document: (n) =>
      `mutation { renameInstitution(commandId: "m${n}", input: { institutionId: "no-such", name: "X" }) { revision } }`,
  },
  proposePartnership: {
    roles: ["editor"],
    document: (n) =>
      `mutation { proposePartnership(commandId: "m${n}", input: { title: "T", scope: DOMESTIC, parties: ["no-a", "no-b"] }) { revision } }`,
  },
  startCooperation: {
    roles: ["editor"],
    document: (n) =>
      `mutation { startCooperation(commandId: "m${n}", input: { partnershipId: "no-such", startedOn: "2020" }) { revision } }`,
  },
  signMoU: {
    roles: ["editor"],
    document: (n) =>
      `mutation { signMoU(commandId: "m${n}", input: { partnershipId: "no-such", signedOn: "2020" }) { revision } }`,
  },
  approveAgreementVersion: {
    roles: ["editor"],
    document: (n) =>
      `mutation { approveAgreementVersion(commandId: "m${n}", input: { partnershipId: "no-such", institutionId: "x", versionHash: "${"a".repeat(64)}" }) { revision } }`,
  },
  amendMoU: {
    roles: ["editor"],
    document: (n) =>
      `mutation { amendMoU(commandId: "m${n}", input: { partnershipId: "no-such", amendedOn: "2020", versionHash: "${"a".repeat(64)}", summary: "s" }) { revision } }`,
  },
  renewMoU: {
    roles: ["editor"],
    document: (n) =>
      `mutation { renewMoU(commandId: "m${n}", input: { partnershipId: "no-such", renewedOn: "2020", period: { from: "2020" } }) { revision } }`,
  },
  suspendPartnership: {
    roles: ["editor"],
    document: (n) =>
      `mutation { suspendPartnership(commandId: "m${n}", input: { partnershipId: "no-such", suspendedOn: "2020", reason: "r" }) { revision } }`,
  },
  resumePartnership: {
    roles: ["editor"],
    document: (n) =>
      `mutation { resumePartnership(commandId: "m${n}", input: { partnershipId: "no-such", resumedOn: "2020" }) { revision } }`,
  },
  terminatePartnership: {
    roles: ["editor"],
    document: (n) =>
      `mutation { terminatePartnership(commandId: "m${n}", input: { partnershipId: "no-such", noticeGivenOn: "2020", effectiveOn: "2020", reason: "r" }) { revision } }`,
  },
  recordCommissionReview: {
    roles: ["editor"],
    document: (n) =>
      `mutation { recordCommissionReview(commandId: "m${n}", input: { partnershipId: "no-such", reviewedOn: "2020-01-01", outcome: CONTINUE }) { revision } }`,
  },
  recordMilestone: {
    roles: ["editor"],
    document: (n) =>
      `mutation { recordMilestone(commandId: "m${n}", input: { partnershipId: "no-such", occurredOn: "2020", summary: "s" }) { revision } }`,
  },
  planMission: {
    roles: ["editor"],
    document: (n) =>
      `mutation { planMission(commandId: "m${n}", input: { partnershipId: "no-such", purpose: "p", plannedStart: "2027" }) { revision } }`,
  },
  postponeMission: {
    roles: ["editor"],
    document: (n) =>
      `mutation { postponeMission(commandId: "m${n}", input: { missionId: "no-such", reason: "r" }) { revision } }`,
  },
  startMission: {
    roles: ["editor"],
    document: (n) =>
      `mutation { startMission(commandId: "m${n}", input: { missionId: "no-such", startedOn: "2020" }) { revision } }`,
  },
  completeMission: {
    roles: ["editor"],
    document: (n) =>
      `mutation { completeMission(commandId: "m${n}", input: { missionId: "no-such-${n}", partnershipId: "no-such", purpose: "p", completedOn: "2020" }) { revision } }`,
  },
  cancelMission: {
    roles: ["editor"],
    document: (n) =>
      `mutation { cancelMission(commandId: "m${n}", input: { id: "no-such", reason: "r" }) { revision } }`,
  },
  scheduleDelegation: {
    roles: ["editor"],
    document: (n) =>
      `mutation { scheduleDelegation(commandId: "m${n}", input: { partnershipId: "no-such", purpose: "p", from: "2027" }) { revision } }`,
  },
  hostDelegation: {
    roles: ["editor"],
    document: (n) =>
      `mutation { hostDelegation(commandId: "m${n}", input: { partnershipId: "no-such", purpose: "p", from: "2020" }) { revision } }`,
  },
  cancelDelegation: {
    roles: ["editor"],
    document: (n) =>
      `mutation { cancelDelegation(commandId: "m${n}", input: { id: "no-such", reason: "r" }) { revision } }`,
  },
  scheduleTraining: {
    roles: ["editor"],
    document: (n) =>
      `mutation { scheduleTraining(commandId: "m${n}", input: { partnershipId: "no-such", topic: "t", from: "2027" }) { revision } }`,
  },
  recordTraining: {
    roles: ["editor"],
    document: (n) =>
      `mutation { recordTraining(commandId: "m${n}", input: { partnershipId: "no-such", topic: "t", from: "2020" }) { revision } }`,
  },
  cancelTraining: {
    roles: ["editor"],
    document: (n) =>
      `mutation { cancelTraining(commandId: "m${n}", input: { id: "no-such", reason: "r" }) { revision } }`,
  },
  grantFunding: {
    roles: ["editor"],
    document: (n) =>
      `mutation { grantFunding(commandId: "m${n}", input: { partnershipId: "no-such", funders: ["dgos"], grantedOn: "2020" }) { revision } }`,
  },
};

describe("the role matrix: every role × every operation", () => {
  it("covers every root operation of the supergraph", () => {
    const supergraph = parse(readFileSync(join(ROOT, "schema", "supergraph.graphql"), "utf8"));
    const roots = supergraph.definitions
      .filter(
        (d): d is ObjectTypeDefinitionNode =>
          d.kind === "ObjectTypeDefinition" && ["Query", "Mutation"].includes(d.name.value),
      )
      .flatMap((d) => d.fields!.map((f) => f.name.value));
    expect(
      Object.keys(MATRIX)
        .filter((k) => !k.includes("."))
        .sort(),
    ).toEqual([...roots].sort());
  });

  const callers = ["anonymous", "editor", "auditor", "analyst", "admin"];
  let n = 0;
  it.each(Object.keys(MATRIX))("%s", async (operation) => {
    const { roles, document } = MATRIX[operation]!;
    for (const caller of callers) {
      const response = await graphql(gateway, document(++n), caller === "anonymous" ? {} : { token: tokens[caller]! });
      const refused = codes(response).filter((code) => code === "UNAUTHENTICATED" || code === "FORBIDDEN");
      const expected =
        caller === "anonymous"
          ? ["UNAUTHENTICATED"]
          : caller === "admin" || roles.includes(caller)
            ? []
            : ["FORBIDDEN"];
      expect([operation, caller, refused]).toEqual([operation, caller, expected]);
    }
  });
});

describe("the gateway", () => {
  it("lets anyone read the schema, and nothing else", async () => {
    const introspection = await graphql<{ __schema: { queryType: { name: string } } }>(
      gateway,
      `
        {
          __schema {
            queryType {
              name
            }
          }
        }
      `,
    );
    expect(introspection.data!.__schema.queryType.name).toBe("Query");
  });

  it("serves GraphiQL from its own URL with nothing loaded from elsewhere", async () => {
    const response = await fetch(gateway, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<title>Passerelle</title>");
    expect(html.match(/(?:src|href)\s*=\s*["']https?:\/\//g)).toBeNull();
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh/);
  });

  it("rejects abusive operations before execution: depth, aliases, tokens, batches", async () => {
    const nest = (levels: number): string =>
      levels === 0 ? "name" : `parties { partnerships { partnership { ${nest(levels - 1)} } } }`;
    const deep = `{ partnership(id: "x") { ${nest(5)} } }`;
    const deepResponse = await graphql(gateway, deep, { token: tokens.admin! });
    expect(deepResponse.status).toBe(400);
    expect(deepResponse.errors![0]!.message).toMatch(/depth/i);
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: institution(id: "dgos") { name }`).join(" ")} }`;
    const aliasResponse = await graphql(gateway, aliases, { token: tokens.admin! });
    expect(aliasResponse.errors![0]!.message).toMatch(/aliases/i);
    const tokensResponse = await graphql(gateway, `{ ${"institutionsByCountry { country } ".repeat(800)} }`, {
      token: tokens.admin!,
    });
    expect(tokensResponse.errors![0]!.message).toMatch(/token limit/i);
    const batch = await fetch(gateway, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    });
    expect(batch.status).toBe(400);
  });
});

describe("auditors through the gateway and on the command line", () => {
  const P = "e2e-brest-vientiane";

  it("corrects a fact; history shows both; time travel reads it on both axes", async () => {
    const beforeCorrection = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const corrected = await graphql<{
      correctFact: { position: string; partnership: { agreement: { signedOn: string } } };
    }>(
      gateway,
      `mutation ($c: ID!) { correctFact(commandId: $c, input: { partnershipId: "${P}", revision: 1, data: { signedOn: "2018-02-20", signatories: [{ institutionId: "chu-e2e-brest" }] }, reason: "The convention is dated 20 February 2018" }) { position partnership { agreement { signedOn } } } }`,
      { token: tokens.editor!, variables: { c: commandId("correct") } },
    );
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data!.correctFact.partnership.agreement.signedOn).toBe("2018-02-20");
    const consistent = { "Passerelle-Consistent-With": corrected.data!.correctFact.position };
    const read = await graphql<{
      partnership: Record<
        string,
        { edges?: Array<{ node: { type: string; businessDate: string } }> } & Record<string, unknown>
      >;
    }>(
      gateway,
      `{ partnership(id: "${P}") {
           history { edges { node { type businessDate } } }
           now: asOf(businessDate: "2018-03-01") { status signedOn }
           before: asOf(businessDate: "2018-03-01", recordedAt: "${beforeCorrection}") { status signedOn facts { reading event { type } } }
       } }`,
      { token: tokens.auditor!, headers: consistent },
    );
    expect(read.errors).toBeUndefined();
    const p = read.data!.partnership;
    expect(p.history!.edges!.map((e) => `${e.node.type}@${e.node.businessDate}`)).toEqual([
      "PartnershipProposed@null",
      "MoUSigned@2018-03-12",
      "MissionCompleted@2019-11",
      "FactCorrected@2018-02-20",
    ]);
    expect(p.now).toEqual({ status: "ACTIVE", signedOn: "2018-02-20" });
    expect(p.before).toMatchObject({
      status: "PROPOSED",
      signedOn: null,
      facts: [{ reading: "UNDATED" }, { reading: "LATER", event: { type: "MoUSigned" } }],
    });
  });

  it("verifies the integrity of the whole log and of one partnership", async () => {
    const whole = await graphql<{
      verifyIntegrity: { ok: boolean; eventsChecked: number; eventsWitnessed: number; firstBreak: unknown };
    }>(
      gateway,
      `
        {
          verifyIntegrity {
            ok
            eventsChecked
            eventsWitnessed
            firstBreak {
              position
            }
          }
        }
      `,
      { token: tokens.auditor! },
    );
    expect(whole.data!.verifyIntegrity).toMatchObject({ ok: true, firstBreak: null });
    expect(whole.data!.verifyIntegrity.eventsChecked).toBeGreaterThan(313);
    expect(whole.data!.verifyIntegrity.eventsWitnessed).toBeGreaterThan(313);
    const one = await graphql<{ verifyIntegrity: { ok: boolean; streamsChecked: number } }>(
      gateway,
      `{ verifyIntegrity(partnershipId: "${P}") { ok streamsChecked } }`,
      { token: tokens.auditor! },
    );
    expect(one.data!.verifyIntegrity).toEqual({ ok: true, streamsChecked: 2 });
  });

  it("the README's command-line session works on the demo data", () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "dist", "services", "audit", "cli.js"), ...args], {
        env: { ...process.env, PASSERELLE_DATA_DIR: system.dataDir },
        encoding: "utf8",
      });
    const timeline = cli("timeline", "amiens-aswan-antibiotic-stewardship", "--as-of", "2021");
    expect(timeline.status).toBe(0);
    expect(timeline.stdout).toContain("facts that had happened by 2021");
    expect(timeline.stdout).toMatch(
      /^2020 {8}Partnership suspended: The planned actions were suspended because of the Covid-19 pandemic\.$/m,
    );
    expect(timeline.stdout).not.toContain("Partnership resumed");
    const verify = cli("verify");
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/^OK: the whole log: \d+ events in \d+ streams verified, \d+ against the witness$/m);
    const csv = cli("export", "--format", "csv", "--partnership", "tours-hogip-dakar-twinning");
    expect(csv.status).toBe(0);
    // The header, the proposal and the nine facts the sources give of the twinning.
    expect(csv.stdout.trim().split("\r\n")).toHaveLength(1 + 10);
  });

  it("the README's correction keeps what it does not name: the imported quote stays", async () => {
    const A = "amiens-aswan-antibiotic-stewardship";
    const corrected = await graphql<{ correctFact: { position: string } }>(
      gateway,
      `mutation ($c: ID!) { correctFact(commandId: $c, input: { partnershipId: "${A}", revision: 3,
         data: { resumedOn: "2021-11" }, reason: "The embassy dates the resumption November 2021" }) { position } }`,
      { token: tokens.editor!, variables: { c: commandId("readme-correction") } },
    );
    expect(corrected.errors).toBeUndefined();
    const read = await graphql<{
      events: { edges: Array<{ node: { streamId: string; data: Record<string, unknown> } }> };
    }>(
      gateway,
      `{ events(first: 100, filter: { types: ["FactCorrected"], streams: ["partnership-${A}"] }) { edges { node { streamId data } } } }`,
      { token: tokens.auditor!, headers: { "Passerelle-Consistent-With": corrected.data!.correctFact.position } },
    );
    expect(read.errors).toBeUndefined();
    const { before, after } = read.data!.events.edges.at(-1)!.node.data as Record<
      "before" | "after",
      { source?: { quote: string } }
    >;
    expect(before.source?.quote).toEqual(expect.any(String));
    expect(after).toEqual({ ...before, resumedOn: "2021-11" });
  });
});

describe("observability", () => {
  it("a correlation id follows a command from the gateway to its events and logs", async () => {
    const response = await fetch(gateway, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${tokens.editor}`,
        "x-correlation-id": "corr-e2e-7",
      },
      body: JSON.stringify({
        query: `mutation { recordMilestone(commandId: "obs-1", input: { partnershipId: "e2e-brest-vientiane", occurredOn: "2024", summary: "Traced" }) { position } }`,
      }),
    });
    expect(response.headers.get("x-correlation-id")).toBe("corr-e2e-7");
    const { position } = ((await response.json()) as { data: { recordMilestone: { position: string } } }).data
      .recordMilestone;
    const events = await graphql<{ events: { edges: Array<{ node: { correlationId: string; type: string } }> } }>(
      gateway,
      `{ events(first: 1, after: "${Buffer.from(`event:${BigInt(position) - 1n}`).toString("base64url")}") { edges { node { type correlationId } } } }`,
      { token: tokens.auditor! },
    );
    expect(events.data!.events.edges[0]!.node).toEqual({ type: "MilestoneRecorded", correlationId: "corr-e2e-7" });
    const logged = system.output
      .join("")
      .split("\n")
      .filter((line) => line.includes('"correlationId":"corr-e2e-7"'));
    expect(logged.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        name: "partnerships",
        msg: "command",
        type: "RecordMilestone",
        outcome: "accepted",
        position,
      }),
    );
  });

  it("a request without one gets one, returned to the client and recorded with its events", async () => {
    const response = await fetch(gateway, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.editor}` },
      body: JSON.stringify({
        query: `mutation { recordMilestone(commandId: "obs-2", input: { partnershipId: "e2e-brest-vientiane", occurredOn: "2024", summary: "Traced again" }) { position } }`,
      }),
    });
    const correlationId = response.headers.get("x-correlation-id");
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const { position } = ((await response.json()) as { data: { recordMilestone: { position: string } } }).data
      .recordMilestone;
    const events = await graphql<{ events: { edges: Array<{ node: { correlationId: string } }> } }>(
      gateway,
      `{ events(first: 1, after: "${Buffer.from(`event:${BigInt(position) - 1n}`).toString("base64url")}") { edges { node { correlationId } } } }`,
      { token: tokens.auditor! },
    );
    expect(events.data!.events.edges[0]!.node.correlationId).toBe(correlationId);
  });

  it("every service answers /health, /ready and /metrics", async () => {
    for (const port of [system.ports.partnerships, system.ports.activities, system.ports.audit, system.ports.gateway]) {
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    }
    const partnerships = await (await fetch(`http://127.0.0.1:${system.ports.partnerships}/metrics`)).text();
    expect(partnerships).toMatch(
      /^passerelle_commands_total\{type="RecordMilestone",outcome="accepted",service="partnerships"\} \d+$/m,
    );
    expect(partnerships).toMatch(
      /^passerelle_commands_total\{type="SignMoU",outcome="not_found",service="partnerships"\} \d+$/m,
    );
    expect(partnerships).toMatch(/^passerelle_append_duration_seconds_count\{service="partnerships"\} [1-9]\d*$/m);
    expect(partnerships).toMatch(
      /^passerelle_projection_lag_events\{projection="partnership_summary",version="1",service="partnerships"\} 0$/m,
    );
    expect(partnerships).toMatch(
      /^passerelle_projection_events_applied_per_second\{projection="partnership_summary",version="1",service="partnerships"\} /m,
    );
    const audit = await (await fetch(`http://127.0.0.1:${system.ports.audit}/metrics`)).text();
    expect(audit).toMatch(/^passerelle_subscriptions_active\{service="audit"\} \d+$/m);
    expect(audit).toMatch(/^process_resident_memory_bytes\{service="audit"\} \d+/m);
  });
});
