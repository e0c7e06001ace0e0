/**
 * End to end, for the international-relations office (editors): proposing, signing, recording, retrying, and
 * the typed errors. The real processes run as `npm start` runs them; everything goes through the gateway.
 */
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { graphql, type GraphQLResponse } from "../support/system";
import { useSystem, codes, commandId, headPosition } from "./harness";

const e2e = useSystem();

describe("npm start", () => {
  it("prints the gateway URL, GraphiQL and one token per role", () => {
    const text = e2e.system.output.join("");
    expect(text).toMatch(/^Passerelle gateway: http:\/\/localhost:\d+\/graphql$/m);
    expect(text).toMatch(/^GraphiQL: http:\/\/localhost:\d+\/graphql/m);
    expect(Object.keys(e2e.tokens).sort()).toEqual(["admin", "analyst", "auditor", "dpo", "editor", "limogesEditor"]);
    // 313 commands from the dataset's institutions, partnerships and facts, and the 16 people its sources name.
    expect(text).toMatch(/Demo data: 329 commands .* 329 newly applied/);
  });
});

describe("the data folder", () => {
  it("is the owner's alone: the folder 0700, the store and the read models 0600", () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    const { dataDir } = e2e.system;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, "read-models"))).toBe(0o700);
    const files = [
      "events.db",
      "dev-jwt-secret",
      ...readdirSync(join(dataDir, "read-models")).map((f) => join("read-models", f)),
    ];
    for (const file of files) expect({ file, mode: mode(join(dataDir, file)) }).toEqual({ file, mode: 0o600 });
  });
});

describe("the imported demo data", () => {
  it("answers a query about a real partnership from the sources, across the three subgraphs", async () => {
    const response = await graphql<{ partnership: Record<string, unknown> }>(
      e2e.gateway,
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
      { token: e2e.tokens.admin! },
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
      e2e.gateway,
      `
        {
          statistics(dimension: STATUS, metric: "partnerships") {
            key
            value
          }
        }
      `,
      { token: e2e.tokens.analyst! },
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
        e2e.gateway,
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
          token: e2e.tokens.editor!,
          variables: { c: commandId("reg"), i: { institutionId: id, name, kind: "HOSPITAL", country } },
        },
      );
      expect(r.errors).toBeUndefined();
    }
  });

  it("proposes and signs an agreement, records a mission, then reads it all in one query spanning the subgraphs", async () => {
    const proposed = await graphql<{ proposePartnership: { partnership: { status: string }; revision: number } }>(
      e2e.gateway,
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
        token: e2e.tokens.editor!,
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
      e2e.gateway,
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
        token: e2e.tokens.editor!,
        variables: {
          c: "e2e-sign-once",
          i: {
            partnershipId: ids.partnership,
            signedOn: "2018-03-12",
            signatories: [{ institutionId: ids.a, role: "directrice générale" }],
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
      e2e.gateway,
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
        token: e2e.tokens.editor!,
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
      e2e.gateway,
      `{ partnership(id: "${ids.partnership}") {
           status parties { name } lastActivity { on kind }
           activities { edges { node { title endOn country place people { count } } } }
           history { edges { node { type actor businessDate } } }
       } }`,
      { token: e2e.tokens.admin!, headers: { "Passerelle-Consistent-With": mission.data!.completeMission.position } },
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
    const before = await headPosition(e2e);
    const retry = await graphql<{ signMoU: { revision: number; position: string; replayed: boolean } }>(
      e2e.gateway,
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
        token: e2e.tokens.editor!,
        variables: {
          // A retry repeats the first input exactly (other input under the same id is refused, below).
          i: {
            partnershipId: ids.partnership,
            signedOn: "2018-03-12",
            signatories: [{ institutionId: ids.a, role: "directrice générale" }],
          },
        },
      },
    );
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.signMoU).toEqual({ revision: 1, position: signed.position, replayed: true });
    expect(await headPosition(e2e)).toBe(before);
  });

  it("the same command id with other input is COMMAND_ID_REUSED, naming the first command's position", async () => {
    const before = await headPosition(e2e);
    const changed = await graphql(
      e2e.gateway,
      `
        mutation ($i: SignMoUInput!) {
          signMoU(commandId: "e2e-sign-once", input: $i) {
            revision
          }
        }
      `,
      { token: e2e.tokens.editor!, variables: { i: { partnershipId: ids.partnership, signedOn: "2018-03-13" } } },
    );
    expect(codes(changed)).toEqual(["COMMAND_ID_REUSED"]);
    expect(changed.errors![0]!.extensions).toMatchObject({ commandId: "e2e-sign-once", position: signed.position });
    expect(await headPosition(e2e)).toBe(before);
  });

  it("a stale expected revision is a CONFLICT carrying the actual revision", async () => {
    const response = await graphql(
      e2e.gateway,
      `mutation ($c: ID!) { recordMilestone(commandId: $c, expectedRevision: 0, input: { partnershipId: "${ids.partnership}", occurredOn: "2020", summary: "Team visit" }) { revision } }`,
      {
        token: e2e.tokens.editor!,
        variables: { c: commandId("stale") },
      },
    );
    expect(response.errors![0]!.extensions).toMatchObject({ code: "CONFLICT", expectedRevision: 0, actualRevision: 1 });
  });
});

describe("errors are typed, and a rejected command appends nothing", () => {
  const mutate = (query: string, token = e2e.tokens.editor!) => graphql(e2e.gateway, query, { token });
  let before: string;
  beforeAll(async () => {
    before = await headPosition(e2e);
  });
  afterAll(async () => {
    expect(await headPosition(e2e)).toBe(before);
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
      e2e.gateway,
      `mutation ($i: SignMoUInput!) { signMoU(commandId: "${commandId("bad")}", input: $i) { revision } }`,
      {
        token: e2e.tokens.editor!,
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
      e2e.gateway,
      `mutation ($i: RegisterInstitutionInput!) { registerInstitution(commandId: "${commandId("bad")}", input: $i) { revision } }`,
      { token: e2e.tokens.editor!, variables: { i: { institutionId: "x", name: "X", kind: 42, country: "FR" } } },
    );
    expect(wrongType.errors!.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const notJson = await fetch(e2e.gateway, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${e2e.tokens.editor!}` },
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

  it("UNAUTHENTICATED for a token that never expires, though signed with the right secret", async () => {
    const secret = readFileSync(join(e2e.system.dataDir, "dev-jwt-secret"), "utf8").trim();
    // Signed by hand (jose is ESM-only, which Jest's loader does not take): a valid HS256 JWT with no exp.
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: "someone", iss: "passerelle", iat: Math.floor(Date.now() / 1000), roles: ["editor"] })}`;
    const forever = `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
    const response = await graphql(e2e.gateway, "{ partnerships { totalCount } }", { token: forever });
    expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
  });

  it("BAD_USER_INPUT for a malformed activity cursor", async () => {
    const after = Buffer.from("activity:not-a-number").toString("base64url");
    const response = await graphql(e2e.gateway, `{ activities(first: 1, after: "${after}") { totalCount } }`, {
      token: e2e.tokens.analyst!,
    });
    expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
  });

  it("UNAUTHENTICATED without a token or with a bad one; FORBIDDEN for the wrong role", async () => {
    expect(
      codes(
        await graphql(
          e2e.gateway,
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
          e2e.gateway,
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
      e2e.tokens.analyst!,
    );
    expect(codes(forbidden)).toEqual(["FORBIDDEN"]);
  });
});

/**
 * Every root operation, the roles allowed to use it (admin may use everything), and a document that exercises
 * it. Allowed: the answer carries no UNAUTHENTICATED/FORBIDDEN error (it may still be NOT_FOUND or a rule).
 */
