/**
 * End to end, people and their erasure: a person recorded through the gateway is stored sealed, never in clear;
 * the DPO forgets them; then no byte of their name or email is readable in any file of the data directory, in an
 * export, in the services' logs or in any answer — and the log still verifies, before and after a rebuild.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { graphql, liveClient, ROOT, startSystem, type RunningSystem } from "../support/system";
import { tempDir } from "../support/temp";
import { codes } from "./harness";

const NAME = "Aurélie Vasseur-Kwame";
const ROLE = "directrice des relations internationales";
const EMAIL = "aurelie.vasseur-kwame@chu-limoges.example";
const CLI = join(ROOT, "dist/services/audit/cli.js");

let system: RunningSystem;
const data = tempDir("passerelle-e2e-people-");

beforeAll(async () => {
  system = await startSystem({ dataDir: data.path });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  data.remove();
}, 60_000);

/** Every file under the data directory, read whole (databases with their -wal and -shm journals). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
const holding = (needle: string) => filesUnder(data.path).filter((file) => readFileSync(file).includes(needle));

const PERSON = `{ id institutionId name role email erased forgottenAt erasureBasis }`;

describe("a person, recorded and forgotten", () => {
  let personId: string;

  it("is recorded by an editor: shown in clear to those who may see it, stored sealed", async () => {
    const recorded = await graphql<{ recordPerson: { person: { id: string; name: string; email: string } } }>(
      system.url,
      `mutation { recordPerson(commandId: "e2e-person-1", input: { institutionId: "chu-limoges", name: "${NAME}", role: "${ROLE}", email: "${EMAIL}" }) { revision person ${PERSON} } }`,
      { token: system.tokens.editor! },
    );
    expect(recorded.errors).toBeUndefined();
    personId = recorded.data!.recordPerson.person.id;
    expect(recorded.data!.recordPerson.person).toMatchObject({ name: NAME, email: EMAIL });
    const read = await graphql(system.url, `{ person(id: "${personId}") ${PERSON} }`, {
      token: system.tokens.auditor!,
    });
    expect(read.data).toEqual({
      person: {
        id: personId,
        institutionId: "chu-limoges",
        name: NAME,
        role: ROLE,
        email: EMAIL,
        erased: false,
        forgottenAt: null,
        erasureBasis: null,
      },
    });
    expect(
      codes(await graphql(system.url, `{ person(id: "${personId}") { name } }`, { token: system.tokens.analyst! })),
    ).toEqual(["FORBIDDEN"]);
    const overridden = await graphql(
      system.url,
      `
        mutation ($n: String!) {
          recordPerson(commandId: "e2e-person-bidi", input: { institutionId: "chu-limoges", name: $n }) {
            revision
          }
        }
      `,
      { token: system.tokens.editor!, variables: { n: "Jeanne \u202eDupont" } },
    );
    expect(overridden.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
    // The name never reaches a file in clear: the log holds it sealed, the vault holds the key and the email.
    expect(holding(NAME)).toEqual([]);
    expect(holding(EMAIL).map((file) => file.replace(data.path, ""))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/personal\.db/)]),
    );
  });

  it("can be forgotten by the DPO only; then nothing of them is readable anywhere, and the log verifies", async () => {
    const forget = (token: string, commandId: string) =>
      graphql<{ forgetPerson: { person: Record<string, unknown> } }>(
        system.url,
        `mutation { forgetPerson(commandId: "${commandId}", input: { personId: "${personId}", basis: REQUEST }) { person ${PERSON} } }`,
        { token },
      );
    expect(codes(await forget(system.tokens.editor!, "e2e-forget-editor"))).toEqual(["FORBIDDEN"]);
    expect(codes(await forget(system.tokens.auditor!, "e2e-forget-auditor"))).toEqual(["FORBIDDEN"]);
    const forgotten = await forget(system.tokens.dpo!, "e2e-forget-1");
    expect(forgotten.errors).toBeUndefined();
    expect(forgotten.data!.forgetPerson.person).toMatchObject({
      name: null,
      role: null,
      email: null,
      erased: true,
      erasureBasis: "request",
    });
    expect(codes(await forget(system.tokens.dpo!, "e2e-forget-2"))).toEqual(["RULE_VIOLATION"]);

    // The export, as stored, and every file of the data directory: neither the name nor the email.
    const out = join(data.path, "after-erasure.jsonl");
    const exported = spawnSync(process.execPath, [CLI, "export", "--format", "jsonl", "--out", out], {
      encoding: "utf8",
      env: { ...process.env, PASSERELLE_DATA_DIR: data.path },
    });
    expect(exported.status).toBe(0);
    expect(readFileSync(out, "utf8")).toContain('"type":"PersonForgotten"');
    expect(holding(NAME)).toEqual([]);
    expect(holding(EMAIL)).toEqual([]);
    expect(holding(ROLE)).toEqual([]);
    expect(system.output.join("")).not.toContain(NAME);
    expect(system.output.join("")).not.toContain(EMAIL);
    rmSync(out);

    const integrity = await graphql<{ verifyIntegrity: { ok: boolean } }>(system.url, "{ verifyIntegrity { ok } }", {
      token: system.tokens.auditor!,
    });
    expect(integrity.data!.verifyIntegrity.ok).toBe(true);
  });

  it("cannot be re-created by replaying the command that recorded them, nor under the same id", async () => {
    for (const commandId of ["e2e-person-1", "e2e-person-again"]) {
      const again = await graphql(
        system.url,
        `mutation { recordPerson(commandId: "${commandId}", input: { personId: "${personId}", institutionId: "chu-limoges", name: "${NAME}" }) { revision } }`,
        { token: system.tokens.editor! },
      );
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: "RULE_VIOLATION", rule: "PERSON_FORGOTTEN" });
    }
    expect(holding(NAME)).toEqual([]);
  });

  it("reads as erased after every read model is rebuilt from zero", async () => {
    expect(await system.stop()).toBe(0);
    rmSync(join(data.path, "read-models"), { recursive: true, force: true });
    system = await startSystem({ dataDir: data.path });
    const read = await graphql(system.url, `{ person(id: "${personId}") { name erased erasureBasis } }`, {
      token: system.tokens.dpo!,
    });
    expect(read.data).toEqual({ person: { name: null, erased: true, erasureBasis: "request" } });
    expect(existsSync(join(data.path, "read-models", "partnerships.db"))).toBe(true);
    expect(holding(NAME)).toEqual([]);
  });

  describe("people the demo's sources name", () => {
    const BEIJING = "aphp-beijing-municipal-health-bureau";
    const history = async () =>
      graphql<{ partnership: { history: { edges: { node: { type: string; source: { quote: string } | null } }[] } } }>(
        system.url,
        `{ partnership(id: "${BEIJING}") { history(first: 10) { edges { node { type source { quote } } } } } }`,
        { token: system.tokens.auditor! },
      );
    const signedQuote = async () =>
      (await history()).data!.partnership.history.edges.find((e) => e.node.type === "MoUSigned")!.node.source!.quote;
    const activityTitles = async () => {
      const answer = await graphql<{ activities: { edges: { node: { title: string } }[] } }>(
        system.url,
        `
          {
            activities(first: 20, filter: { partnershipId: "amiens-aswan-antibiotic-stewardship" }) {
              edges {
                node {
                  title
                }
              }
            }
          }
        `,
        { token: system.tokens.editor! },
      );
      expect(answer.errors).toBeUndefined();
      return answer.data!.activities.edges.map((e) => e.node.title);
    };

    it("are read in clear through every subgraph while they are not forgotten, and stored sealed", async () => {
      expect(await signedQuote()).toContain("par Mireille Faugère, directrice générale de l’AP-HP, et Fang Laying,");
      expect((await activityTitles()).join(" ")).toContain("Dr Jean-Philippe Lanoix made two exploratory missions");
      expect(holding("Mireille Faugère")).toEqual([]);
      expect(holding("Lanoix")).toEqual([]);
    });

    it("once one is forgotten, every text reads their mention as erased, and the rest as it was", async () => {
      const forgotten = await graphql(
        system.url,
        `
          mutation {
            forgetPerson(commandId: "e2e-forget-faugere", input: { personId: "person-aphp-1", basis: REQUEST }) {
              person {
                erased
              }
            }
          }
        `,
        { token: system.tokens.dpo! },
      );
      expect(forgotten.errors).toBeUndefined();
      expect(await signedQuote()).toContain("par [personne effacée], directrice générale de l’AP-HP, et Fang Laying,");
      // Time travel shows the erasure too, even asked of the ledger before it.
      const asOf = await graphql<{
        partnership: { asOf: { facts: { event: { source: { quote: string } | null } }[] } };
      }>(
        system.url,
        `{ partnership(id: "${BEIJING}") { asOf(businessDate: "2012-12", recordedAt: "${new Date(Date.now() - 1000).toISOString()}") { facts { event { source { quote } } } } } }`,
        { token: system.tokens.auditor! },
      );
      expect(asOf.errors).toBeUndefined();
      const quotes = asOf.data!.partnership.asOf.facts.map((f) => f.event.source?.quote ?? "").join(" ");
      expect(quotes).toContain("[personne effacée]");
      expect(quotes).not.toContain("Faugère");
      // A subscriber resuming from the start of the log reads no plaintext either.
      const client = liveClient(system.url, { authorization: `Bearer ${system.tokens.auditor!}` });
      const feed = client.iterate<{ eventFeed: { type: string; source: { quote: string } | null } }>({
        query: `subscription { eventFeed(after: "0", filter: { partnershipId: "${BEIJING}" }) { type data source { quote } } }`,
      });
      const seen: string[] = [];
      for await (const next of feed) {
        seen.push(JSON.stringify(next.data));
        if (next.data?.eventFeed.type === "MoUSigned") break;
      }
      await client.dispose();
      expect(seen.join(" ")).toContain("[personne effacée]");
      expect(seen.join(" ")).not.toContain("Faugère");
      const timeline = spawnSync(process.execPath, [CLI, "timeline", BEIJING], {
        encoding: "utf8",
        env: { ...process.env, PASSERELLE_DATA_DIR: data.path },
      });
      expect(timeline.status).toBe(0);
      expect(timeline.stdout).toContain("[personne effacée]");
      expect(timeline.stdout).toContain("Fang Laying");
      expect(timeline.stdout).not.toContain("Faugère");
      const integrity = await graphql<{ verifyIntegrity: { ok: boolean } }>(system.url, "{ verifyIntegrity { ok } }", {
        token: system.tokens.auditor!,
      });
      expect(integrity.data!.verifyIntegrity.ok).toBe(true);
    });

    it("an editor names a recorded person in free text as @{person:<id>}: stored sealed, read in clear", async () => {
      const milestone = (commandId: string, summary: string) =>
        graphql<{ recordMilestone: { position: string } }>(
          system.url,
          `mutation ($s: String!) { recordMilestone(commandId: "${commandId}", input: { partnershipId: "${BEIJING}", occurredOn: "2013", summary: $s }) { position } }`,
          { token: system.tokens.editor!, variables: { s: summary } },
        );
      const named = await milestone("e2e-mention-1", "Visite de @{person:person-beijing-1} à Paris");
      expect(named.errors).toBeUndefined();
      const read = await graphql<{
        partnership: { history: { edges: { node: { type: string; data: { summary?: string } } }[] } };
      }>(system.url, `{ partnership(id: "${BEIJING}") { history(first: 20) { edges { node { type data } } } } }`, {
        token: system.tokens.auditor!,
        headers: { "Passerelle-Consistent-With": named.data!.recordMilestone.position },
      });
      const summaries = read.data!.partnership.history.edges.map((e) => e.node.data.summary);
      expect(summaries).toContain("Visite de Fang Laying à Paris");
      expect(holding("Fang Laying")).toEqual([]);
      expect(codes(await milestone("e2e-mention-2", "Avec @{person:nobody-at-all}"))).toEqual(["NOT_FOUND"]);
      const forgotten = await milestone("e2e-mention-3", "Avec @{person:person-aphp-1}");
      expect(forgotten.errors?.[0]?.extensions).toMatchObject({ code: "RULE_VIOLATION", rule: "PERSON_FORGOTTEN" });
    });

    it("a signatory is a recorded person: named as @{person:<id>}, never in clear", async () => {
      const sign = (commandId: string, person: string) =>
        graphql<{ signMoU: { position: string } }>(
          system.url,
          `mutation ($p: String!) { signMoU(commandId: "${commandId}", input: { partnershipId: "${BEIJING}", signedOn: "2017-07-17", signatories: [{ institutionId: "beijing-municipal-health-bureau", person: $p }] }) { position } }`,
          { token: system.tokens.editor!, variables: { p: person } },
        );
      const clear = await sign("e2e-sign-clear", "Fang Laying");
      expect(clear.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(clear.errors?.[0]?.message).toContain("@{person:<id>}");
      const named = await sign("e2e-sign-person", "@{person:person-beijing-1}");
      expect(named.errors).toBeUndefined();
      const read = await graphql<{
        partnership: { history: { edges: { node: { type: string; data: { signatories?: { person: string }[] } } }[] } };
      }>(system.url, `{ partnership(id: "${BEIJING}") { history(first: 20) { edges { node { type data } } } } }`, {
        token: system.tokens.auditor!,
        headers: { "Passerelle-Consistent-With": named.data!.signMoU.position },
      });
      const signatories = read.data!.partnership.history.edges.flatMap((e) => e.node.data.signatories ?? []);
      expect(signatories.map((s) => s.person)).toContain("Fang Laying");
      expect(holding("Fang Laying")).toEqual([]);
    });

    it("subject access gives the DPO exactly what the ledger holds about one person, through the API and as a file", async () => {
      const ask = (token: string, personId: string) =>
        graphql<{
          subjectAccess: {
            name: string | null;
            erased: boolean;
            facts: { position: string; type: string; recordedBy: string; data: Record<string, unknown> }[];
          };
        }>(
          system.url,
          `{ subjectAccess(personId: "${personId}") { personId recorded institutionId name role email erased forgottenAt facts { position type streamId revision recordedAt recordedBy businessDate data } } }`,
          { token },
        );
      expect(codes(await ask(system.tokens.editor!, "person-beijing-1"))).toEqual(["FORBIDDEN"]);
      const fang = await ask(system.tokens.dpo!, "person-beijing-1");
      expect(fang.errors).toBeUndefined();
      const report = fang.data!.subjectAccess;
      expect(report).toMatchObject({ name: "Fang Laying", erased: false });
      expect(report.facts.map((f) => f.type)).toEqual([
        "PersonRecorded",
        "MoUSigned",
        "MilestoneRecorded",
        "MoUSigned",
      ]);
      expect(JSON.stringify(report.facts[1]!.data)).toContain("et Fang Laying, directeur général");
      expect(report.facts.map((f) => f.recordedBy)).toEqual(["import", "import", "dev-editor", "dev-editor"]);

      // Exactly the events the log holds that name them: the person's stream, and each fact sealing a mention.
      const out = join(data.path, "export-for-dpo.jsonl");
      spawnSync(process.execPath, [CLI, "export", "--format", "jsonl", "--out", out], {
        env: { ...process.env, PASSERELLE_DATA_DIR: data.path },
      });
      const naming = readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { position: string; streamId: string; data: unknown })
        .filter(
          (e) =>
            e.streamId === "person-person-beijing-1" || JSON.stringify(e.data).includes("sealed:v1:person-beijing-1:"),
        )
        .map((e) => e.position);
      rmSync(out);
      expect(report.facts.map((f) => f.position)).toEqual(naming);

      const file = join(data.path, "subject-access.json");
      const cli = spawnSync(process.execPath, [CLI, "subject-access", "person-beijing-1", "--out", file], {
        encoding: "utf8",
        env: { ...process.env, PASSERELLE_DATA_DIR: data.path },
      });
      expect(cli.status).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(readFileSync(file, "utf8")) as typeof report;
      expect(saved.facts.map((f) => f.position)).toEqual(naming);
      expect(saved.name).toBe("Fang Laying");
      rmSync(file);

      const faugere = (await ask(system.tokens.dpo!, "person-aphp-1")).data!.subjectAccess;
      expect(faugere).toMatchObject({ name: null, erased: true });
      expect(faugere.facts.map((f) => f.type)).toEqual(["PersonRecorded", "MoUSigned", "PersonForgotten"]);
      expect(JSON.stringify(faugere)).not.toContain("Faugère");
    });

    it("the retention policy is applied by the DPO or from the shell; the demo's partnerships keep their people", async () => {
      const applied = await graphql<{
        applyRetention: { asOf: string; yearsAfterTermination: number; forgotten: unknown[] };
      }>(
        system.url,
        `
          mutation {
            applyRetention(commandId: "e2e-retention", input: { asOf: "2026-12-01" }) {
              asOf
              yearsAfterTermination
              forgotten {
                personId
              }
            }
          }
        `,
        { token: system.tokens.dpo! },
      );
      expect(applied.data).toEqual({
        applyRetention: { asOf: "2026-12-01", yearsAfterTermination: 10, forgotten: [] },
      });
      const bad = await graphql(
        system.url,
        `
          mutation {
            applyRetention(commandId: "e2e-retention-bad", input: { asOf: "2026-13-45" }) {
              asOf
            }
          }
        `,
        {
          token: system.tokens.dpo!,
        },
      );
      expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
      const dry = spawnSync(process.execPath, [join(ROOT, "dist/scripts/retention.js"), "--as-of", "2026-12-01"], {
        encoding: "utf8",
        env: { ...process.env, PASSERELLE_DATA_DIR: data.path, PASSERELLE_RETENTION_YEARS: "0" },
      });
      expect(dry.status).toBe(0);
      expect(dry.stdout).toMatch(/^retention as of 2026-12-01, 0 years after a partnership ends: \d+ due$/m);
    });

    it("a forgotten one is not recorded nor named again when npm start imports the demo data anew", async () => {
      expect(await system.stop()).toBe(0);
      system = await startSystem({ dataDir: data.path });
      expect(system.output.join("")).toMatch(/1 person forgotten since \(not recorded again\)/);
      expect(await signedQuote()).toContain("par [personne effacée], directrice");
      expect(holding("Faugère")).toEqual([]);
    });
  });
});
