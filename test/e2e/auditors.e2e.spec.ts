/**
 * End to end, for auditors: corrections, history, time travel on both axes, integrity, and the command line.
 * The real processes run as `npm start` runs them; everything goes through the gateway.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { graphql, ROOT } from "../support/system";
import { useSystem, codes, commandId, seedBrestVientiane } from "./harness";

const e2e = useSystem();

// The partnership these tests read, built as the editors' tests build it.
beforeAll(() => seedBrestVientiane(e2e), 60_000);

describe("auditors through the gateway and on the command line", () => {
  const P = "e2e-brest-vientiane";

  it("corrects a fact; history shows both; time travel reads it on both axes", async () => {
    const beforeCorrection = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const corrected = await graphql<{
      correctFact: { position: string; partnership: { agreement: { signedOn: string } } };
    }>(
      e2e.gateway,
      `mutation ($c: ID!) { correctFact(commandId: $c, input: { partnershipId: "${P}", revision: 1, data: { signedOn: "2018-02-20", signatories: [{ institutionId: "chu-e2e-brest" }] }, reason: "The convention is dated 20 February 2018" }) { position partnership { agreement { signedOn } } } }`,
      { token: e2e.tokens.editor!, variables: { c: commandId("correct") } },
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
      e2e.gateway,
      `{ partnership(id: "${P}") {
           history { edges { node { type businessDate } } }
           now: asOf(businessDate: "2018-03-01") { status signedOn }
           before: asOf(businessDate: "2018-03-01", recordedAt: "${beforeCorrection}") { status signedOn facts { reading event { type } } }
       } }`,
      { token: e2e.tokens.auditor!, headers: consistent },
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

  it("analysts read what happened and when, not who recorded it, the data or the quotes", async () => {
    const query = `{ events(first: 50, filter: { streams: ["partnership-e2e-brest-vientiane"] }) {
        edges { node { type position businessDate hash actor commandId correlationId data source { quote } } } } }`;
    type Edges = { events: { edges: Array<{ node: Record<string, unknown> }> } };
    const asAnalyst = await graphql<Edges>(e2e.gateway, query, { token: e2e.tokens.analyst! });
    const asAuditor = await graphql<Edges>(e2e.gateway, query, { token: e2e.tokens.auditor! });
    expect(asAnalyst.errors).toBeUndefined();
    const seen = asAnalyst.data!.events.edges.map((edge) => edge.node);
    expect(seen.length).toBeGreaterThan(0);
    for (const node of seen) {
      expect(node).toMatchObject({ actor: null, commandId: null, correlationId: null, data: null, source: null });
      expect(node.type).toEqual(expect.any(String));
      expect(node.hash).toEqual(expect.any(String));
    }
    const full = asAuditor.data!.events.edges.map((edge) => edge.node);
    expect(full.map((node) => node.position)).toEqual(seen.map((node) => node.position));
    expect(full.every((node) => typeof node.actor === "string" && node.data !== null)).toBe(true);
  });

  it("a filter is bounded: 1,000 prefixes are BAD_USER_INPUT, not an internal error", async () => {
    const prefixes = Array.from({ length: 1000 }, (_, n) => `partnership-${n}`);
    const response = await graphql(
      e2e.gateway,
      `
        query ($s: [String!]) {
          events(first: 1, filter: { streams: $s }) {
            edges {
              node {
                type
              }
            }
          }
        }
      `,
      { token: e2e.tokens.auditor!, variables: { s: prefixes } },
    );
    expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
    const withinBounds = await graphql(
      e2e.gateway,
      `
        query ($s: [String!]) {
          events(first: 1, filter: { streams: $s }) {
            edges {
              node {
                type
              }
            }
          }
        }
      `,
      { token: e2e.tokens.auditor!, variables: { s: prefixes.slice(0, 20) } },
    );
    expect(withinBounds.errors).toBeUndefined();
  });

  it("verifies the integrity of the whole log and of one partnership", async () => {
    const whole = await graphql<{
      verifyIntegrity: { ok: boolean; eventsChecked: number; eventsWitnessed: number; firstBreak: unknown };
    }>(
      e2e.gateway,
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
      { token: e2e.tokens.auditor! },
    );
    expect(whole.data!.verifyIntegrity).toMatchObject({ ok: true, firstBreak: null });
    expect(whole.data!.verifyIntegrity.eventsChecked).toBeGreaterThan(313);
    expect(whole.data!.verifyIntegrity.eventsWitnessed).toBeGreaterThan(313);
    const one = await graphql<{ verifyIntegrity: { ok: boolean; streamsChecked: number } }>(
      e2e.gateway,
      `{ verifyIntegrity(partnershipId: "${P}") { ok streamsChecked } }`,
      { token: e2e.tokens.auditor! },
    );
    expect(one.data!.verifyIntegrity).toEqual({ ok: true, streamsChecked: 2 });
  });

  it("the README's command-line session works on the demo data", () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "dist", "services", "audit", "cli.js"), ...args], {
        env: { ...process.env, PASSERELLE_DATA_DIR: e2e.system.dataDir },
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
    expect(verify.stdout).toMatch(
      /^OK: the whole log: \d+ events in \d+ streams verified, \d+ against the witness, \d+ against the ledger tree, \d+ signed tree heads recomputed$/m,
    );
    const csv = cli("export", "--format", "csv", "--partnership", "tours-hogip-dakar-twinning");
    expect(csv.status).toBe(0);
    // The header, the proposal and the nine facts the sources give of the twinning.
    expect(csv.stdout.trim().split("\r\n")).toHaveLength(1 + 10);
  });

  it("the README's correction keeps what it does not name: the imported quote stays", async () => {
    const A = "amiens-aswan-antibiotic-stewardship";
    const corrected = await graphql<{ correctFact: { position: string } }>(
      e2e.gateway,
      `mutation ($c: ID!) { correctFact(commandId: $c, input: { partnershipId: "${A}", revision: 3,
         data: { resumedOn: "2021-11" }, reason: "The embassy dates the resumption November 2021" }) { position } }`,
      { token: e2e.tokens.editor!, variables: { c: commandId("readme-correction") } },
    );
    expect(corrected.errors).toBeUndefined();
    const read = await graphql<{
      events: { edges: Array<{ node: { streamId: string; data: Record<string, unknown> } }> };
    }>(
      e2e.gateway,
      `{ events(first: 100, filter: { types: ["FactCorrected"], streams: ["partnership-${A}"] }) { edges { node { streamId data } } } }`,
      { token: e2e.tokens.auditor!, headers: { "Passerelle-Consistent-With": corrected.data!.correctFact.position } },
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
