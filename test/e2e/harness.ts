/**
 * What every end-to-end file shares: the whole system as `npm start` runs it (real processes on free ports,
 * a fresh data directory with the demo data), talked to through the gateway only, and a few helpers.
 */
import { graphql, startSystem, stopCleanly, type GraphQLResponse, type RunningSystem } from "../support/system";

export interface E2E {
  readonly system: RunningSystem;
  readonly gateway: string;
  readonly tokens: Record<string, string>;
}

/** Starts the system before the file's tests and stops it (Ctrl-C, exit code 0) after them. */
export function useSystem(): E2E {
  let running: RunningSystem | undefined;
  beforeAll(async () => {
    running = await startSystem();
  }, 180_000);
  afterAll(async () => {
    await stopCleanly(running!);
  }, 60_000);
  const started = () => {
    if (!running) throw new Error("the system is not started yet (use it inside a test or a hook)");
    return running;
  };
  return {
    get system() {
      return started();
    },
    get gateway() {
      return started().url;
    },
    get tokens() {
      return started().tokens;
    },
  };
}

let commandCounter = 0;
export const commandId = (label: string) => `e2e-${label}-${++commandCounter}`;

export const codes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);

/** The log's last position, read page by page through the auditors' feed. */
export async function headPosition(e2e: E2E): Promise<string> {
  let after: string | null = null;
  let last = "0";
  for (;;) {
    const page: GraphQLResponse<{
      events: {
        edges: Array<{ node: { position: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    }> = await graphql(
      e2e.gateway,
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
      { token: e2e.tokens.admin!, variables: { after } },
    );
    const edges = page.data!.events.edges;
    if (edges.length > 0) last = edges[edges.length - 1]!.node.position;
    if (!page.data!.events.pageInfo.hasNextPage) return last;
    after = page.data!.events.pageInfo.endCursor;
  }
}

/**
 * The Brest–Vientiane partnership the editors' tests build, built the same way for the other audiences:
 * two institutions, the proposal (revision 0), the signing on 2018-03-12 (1), a mission completed in 2019-11.
 */
export async function seedBrestVientiane(e2e: E2E): Promise<string> {
  const send = async (mutation: string, variables: Record<string, unknown>) => {
    const response = await graphql<Record<string, { position: string }>>(e2e.gateway, mutation, {
      token: e2e.tokens.editor!,
      variables,
    });
    expect(response.errors).toBeUndefined();
    return Object.values(response.data!)[0]!.position;
  };
  for (const [institutionId, name, country] of [
    ["chu-e2e-brest", "CHU de Brest (e2e)", "FR"],
    ["hopital-e2e-vientiane", "Hôpital de Vientiane (e2e)", "LA"],
  ] as const) {
    await send(
      `mutation ($c: ID!, $i: RegisterInstitutionInput!) { registerInstitution(commandId: $c, input: $i) { position } }`,
      {
        c: commandId("seed-reg"),
        i: { institutionId, name, kind: "HOSPITAL", country },
      },
    );
  }
  await send(
    `mutation ($c: ID!, $i: ProposePartnershipInput!) { proposePartnership(commandId: $c, input: $i) { position } }`,
    {
      c: commandId("seed-propose"),
      i: {
        partnershipId: "e2e-brest-vientiane",
        title: "Brest – Vientiane orthopaedics",
        scope: "INTERNATIONAL",
        parties: ["chu-e2e-brest", "hopital-e2e-vientiane"],
        countries: ["LA"],
        themes: ["orthopaedics"],
      },
    },
  );
  await send(`mutation ($c: ID!, $i: SignMoUInput!) { signMoU(commandId: $c, input: $i) { position } }`, {
    c: commandId("seed-sign"),
    i: { partnershipId: "e2e-brest-vientiane", signedOn: "2018-03-12" },
  });
  return send(
    `mutation ($c: ID!, $i: CompleteMissionInput!) { completeMission(commandId: $c, input: $i) { position } }`,
    {
      c: commandId("seed-mission"),
      i: {
        missionId: "e2e-vientiane-2019",
        partnershipId: "e2e-brest-vientiane",
        purpose: "Prosthesis surgery",
        completedOn: "2019-11",
        trips: 1,
        participants: { count: 4 },
        destination: { country: "LA", place: "Vientiane" },
      },
    },
  );
}
