/**
 * End to end, the gateway itself: every role against every operation, limits, GraphiQL, observability. The
 * real processes run as `npm start` runs them.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { parse, type ObjectTypeDefinitionNode } from "graphql";
import WebSocket from "ws";
import { graphql, ROOT, type GraphQLResponse } from "../support/system";
import { useSystem, codes, seedBrestVientiane } from "./harness";

const e2e = useSystem();

// The partnership these tests read, built as the editors' tests build it.
beforeAll(() => seedBrestVientiane(e2e), 60_000);

const ALL_SIGNED_IN = ["editor", "auditor", "analyst", "dpo"];
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
  person: { roles: ["editor", "auditor", "dpo"], document: () => `{ person(id: "nobody") { name } }` },
  recordPerson: {
    roles: ["editor"],
    document: (n) =>
      `mutation { recordPerson(commandId: "m${n}", input: { institutionId: "no-such", name: "N" }) { revision } }`,
  },
  forgetPerson: {
    roles: ["dpo"],
    document: (n) =>
      `mutation { forgetPerson(commandId: "m${n}", input: { personId: "nobody", basis: REQUEST }) { revision } }`,
  },
  applyRetention: {
    roles: ["dpo"],
    document: (n) =>
      `mutation { applyRetention(commandId: "r${n}", input: { asOf: "2000-01-01" }) { forgotten { personId } } }`,
  },
  subjectAccess: { roles: ["dpo"], document: () => `{ subjectAccess(personId: "nobody") { recorded } }` },
  recordOfProcessing: { roles: ["dpo"], document: () => `{ recordOfProcessing { record field personal } }` },
  treeHead: { roles: ["analyst", "auditor"], document: () => `{ treeHead { treeSize } }` },
  treeHeads: { roles: ["analyst", "auditor"], document: () => `{ treeHeads(first: 1) { treeSize } }` },
  inclusionProof: {
    roles: ["analyst", "auditor"],
    document: () => `{ inclusionProof(position: "1", treeSize: 1) { leafIndex } }`,
  },
  consistencyProof: {
    roles: ["analyst", "auditor"],
    document: () => `{ consistencyProof(fromSize: 0, toSize: 1) { path } }`,
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
  accessGrants: { roles: ["auditor"], document: () => `{ accessGrants { grantee } }` },
  grantAccess: {
    roles: [],
    document: (n) =>
      `mutation { grantAccess(commandId: "m${n}", input: { grantee: "matrix-${n}", institutionId: "no-such" }) { revision } }`,
  },
  revokeAccess: {
    roles: [],
    document: (n) => `mutation { revokeAccess(commandId: "m${n}", input: { grantee: "matrix-${n}" }) { revision } }`,
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

  const callers = ["anonymous", "editor", "auditor", "analyst", "dpo", "admin"];
  let n = 0;
  it.each(Object.keys(MATRIX))("%s", async (operation) => {
    const { roles, document } = MATRIX[operation]!;
    for (const caller of callers) {
      const response = await graphql(
        e2e.gateway,
        document(++n),
        caller === "anonymous" ? {} : { token: e2e.tokens[caller]! },
      );
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
      e2e.gateway,
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
    const response = await fetch(e2e.gateway, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<title>Passerelle</title>");
    expect(html.match(/(?:src|href)\s*=\s*["']https?:\/\//g)).toBeNull();
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh/);
  });

  it("puts no token in the GraphiQL page: no other page can borrow one", async () => {
    const html = await (await fetch(e2e.gateway, { headers: { accept: "text/html" } })).text();
    for (const token of Object.values(e2e.tokens)) expect(html).not.toContain(token);
    expect(html).not.toMatch(/Bearer ey/);
  });

  it("answers no page of another site (CORS), not even a sandboxed one (Origin: null)", async () => {
    for (const origin of ["http://evil.example", "null"]) {
      const preflight = await fetch(e2e.gateway, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
      const post = await fetch(e2e.gateway, {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(post.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("refuses a Host it does not serve (DNS rebinding), over HTTP and websockets", async () => {
    const { port } = new URL(e2e.gateway);
    // fetch() will not send a forged Host header; a raw request does.
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/graphql",
          method: "POST",
          headers: { host: `rebind.evil.example:${port}`, "content-type": "application/json" },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify({ query: "{ __typename }" }));
    });
    expect(status).toBe(403);
    const upgrade = await new Promise<number>((resolve) => {
      const socket = new WebSocket(e2e.gateway.replace(/^http/, "ws"), "graphql-transport-ws", {
        headers: { host: `rebind.evil.example:${port}` },
      });
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => {
        socket.close();
        resolve(101);
      });
      socket.on("error", () => resolve(-1));
    });
    expect(upgrade).toBe(401);
  });

  it("refuses JSON variables nested thousands deep before touching them: BAD_USER_INPUT, never a 500", async () => {
    // Written as text: JSON.stringify itself would overflow the stack on such a value.
    const post = async (url: string, depth: number) => {
      const query = `mutation ($d: JSONObject) { recordMilestone(commandId: "deep-${depth}", input: { partnershipId: "e2e-brest-vientiane", occurredOn: "2024", summary: "x", details: $d }) { revision } }`;
      const nested = `${'{"a":'.repeat(depth)}{"leaf":true}${"}".repeat(depth)}`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${e2e.tokens.editor!}` },
        body: `{"query":${JSON.stringify(query)},"variables":{"d":${nested}}}`,
      });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, "status">) };
    };
    for (const depth of [5_000, 10_000]) {
      const response = await post(e2e.gateway, depth);
      expect(response.status).toBeLessThan(500);
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.errors![0]!.message).toMatch(/nested more than 32 levels/);
    }
    // Straight to a subgraph too: it has the same bound.
    const direct = await post(`http://127.0.0.1:${e2e.system.ports.partnerships}/graphql`, 10_000);
    expect(direct.status).toBe(400);
    expect(codes(direct)).toEqual(["BAD_USER_INPUT"]);
  });

  it("takes request bodies up to 1 MiB, as the subgraphs do (the runtime alone took 25 MB)", async () => {
    const padding = " ".repeat(2 * 1024 * 1024);
    const response = await fetch(e2e.gateway, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"query":"{ __typename }"${padding}}`,
    });
    expect(response.status).toBe(413);
    expect(codes({ status: response.status, ...((await response.json()) as object) })).toEqual(["BAD_REQUEST"]);
  });

  it("each subgraph keeps the limits itself: aliases, tokens, depth, no field suggestions", async () => {
    const subgraph = `http://127.0.0.1:${e2e.system.ports.partnerships}/graphql`;
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    expect(codes(await graphql(subgraph, aliases(100)))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(codes(await graphql(subgraph, aliases(20_000)))).toEqual(["GRAPHQL_PARSE_FAILED"]);
    const nest = (levels: number): string =>
      levels === 0 ? "name" : `parties { partnerships { partnership { ${nest(levels - 1)} } } }`;
    const deep = await graphql(subgraph, `{ partnership(id: "x") { ${nest(5)} } }`, { token: e2e.tokens.editor! });
    expect(new Set(codes(deep))).toEqual(new Set(["GRAPHQL_VALIDATION_FAILED"]));
    expect(deep.errors!.map((e) => e.message).join(" ")).toMatch(/depth/i);
    const misspelled = await graphql(subgraph, "{ partnershipz { totalCount } }");
    expect(misspelled.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it("may not be framed by another page", async () => {
    const response = await fetch(e2e.gateway, { headers: { accept: "text/html" } });
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("rejects abusive operations before execution: depth, aliases, tokens, batches", async () => {
    const nest = (levels: number): string =>
      levels === 0 ? "name" : `parties { partnerships { partnership { ${nest(levels - 1)} } } }`;
    const deep = `{ partnership(id: "x") { ${nest(5)} } }`;
    const deepResponse = await graphql(e2e.gateway, deep, { token: e2e.tokens.admin! });
    expect(deepResponse.status).toBe(400);
    expect(deepResponse.errors![0]!.message).toMatch(/depth/i);
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: institution(id: "dgos") { name }`).join(" ")} }`;
    const aliasResponse = await graphql(e2e.gateway, aliases, { token: e2e.tokens.admin! });
    expect(aliasResponse.errors![0]!.message).toMatch(/aliases/i);
    const tokensResponse = await graphql(e2e.gateway, `{ ${"institutionsByCountry { country } ".repeat(800)} }`, {
      token: e2e.tokens.admin!,
    });
    expect(tokensResponse.errors![0]!.message).toMatch(/token limit/i);
    const batch = await fetch(e2e.gateway, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    });
    expect(batch.status).toBe(400);
  });
});

describe("observability", () => {
  it("a correlation id follows a command from the gateway to its events and logs", async () => {
    const response = await fetch(e2e.gateway, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${e2e.tokens.editor}`,
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
      e2e.gateway,
      `{ events(first: 1, after: "${Buffer.from(`event:${BigInt(position) - 1n}`).toString("base64url")}") { edges { node { type correlationId } } } }`,
      { token: e2e.tokens.auditor! },
    );
    expect(events.data!.events.edges[0]!.node).toEqual({ type: "MilestoneRecorded", correlationId: "corr-e2e-7" });
    const logged = e2e.system.output
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
    const response = await fetch(e2e.gateway, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${e2e.tokens.editor}` },
      body: JSON.stringify({
        query: `mutation { recordMilestone(commandId: "obs-2", input: { partnershipId: "e2e-brest-vientiane", occurredOn: "2024", summary: "Traced again" }) { position } }`,
      }),
    });
    const correlationId = response.headers.get("x-correlation-id");
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const { position } = ((await response.json()) as { data: { recordMilestone: { position: string } } }).data
      .recordMilestone;
    const events = await graphql<{ events: { edges: Array<{ node: { correlationId: string } }> } }>(
      e2e.gateway,
      `{ events(first: 1, after: "${Buffer.from(`event:${BigInt(position) - 1n}`).toString("base64url")}") { edges { node { correlationId } } } }`,
      { token: e2e.tokens.auditor! },
    );
    expect(events.data!.events.edges[0]!.node.correlationId).toBe(correlationId);
  });

  it("every service answers /health, /ready and /metrics", async () => {
    for (const port of [
      e2e.system.ports.partnerships,
      e2e.system.ports.activities,
      e2e.system.ports.audit,
      e2e.system.ports.gateway,
    ]) {
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    }
    const partnerships = await (await fetch(`http://127.0.0.1:${e2e.system.ports.partnerships}/metrics`)).text();
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
    const audit = await (await fetch(`http://127.0.0.1:${e2e.system.ports.audit}/metrics`)).text();
    expect(audit).toMatch(/^passerelle_subscriptions_active\{service="audit"\} \d+$/m);
    expect(audit).toMatch(/^process_resident_memory_bytes\{service="audit"\} \d+/m);
  });
});
