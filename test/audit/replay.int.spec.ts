/** Replay and export, checked exactly on a small history. */
import { PassThrough } from "node:stream";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { EventStore } from "../../events/port";
import { exportEvents, printTimeline } from "../../services/audit/replay";
import { collect } from "../support/async";

let store: EventStore;
let clock = new Date("2026-01-02T03:04:05.000Z");

async function output(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await run(out);
  out.end();
  return Buffer.concat(chunks).toString("utf8");
}

const meta = (commandId: string, businessDate: string | null = null) => ({
  actor: "editor@chu-nimes.fr",
  commandId,
  businessDate,
});
const source = {
  document: "002_08c3097acf9e2b6a.txt",
  quote: "Le 15 décembre 2022, les deux établissements ont signé une « convention »",
};

beforeAll(async () => {
  store = openSqliteEventStore({ path: ":memory:", clock: () => clock });
  await store.appendToStream("institution-chu-nimes", [
    {
      id: "10000000-0000-4000-8000-000000000001",
      type: "InstitutionRegistered",
      data: { institutionId: "chu-nimes", name: "CHU de Nîmes", kind: "hospital", country: "FR", city: "Nîmes" },
      metadata: meta("c1"),
    },
  ]);
  await store.appendToStream("partnership-nimes-taiyuan", [
    {
      id: "10000000-0000-4000-8000-000000000002",
      type: "PartnershipProposed",
      data: {
        partnershipId: "nimes-taiyuan",
        title: "Nîmes – Taiyuan",
        scope: "international",
        parties: ["chu-nimes", "shanxi"],
        themes: [],
        countries: ["CN"],
        versionHash: null,
        proposedOn: null,
        source: null,
      },
      metadata: meta("c2"),
    },
  ]);
  clock = new Date("2026-01-03T10:00:00.000Z");
  await store.appendToStream("mission-taiyuan-2019", [
    {
      id: "10000000-0000-4000-8000-000000000003",
      type: "MissionCompleted",
      data: {
        missionId: "taiyuan-2019",
        partnershipId: "nimes-taiyuan",
        purpose: "Congress, Taiyuan",
        destination: { country: "CN", place: "Taiyuan" },
        participants: null,
        trips: 1,
        duration: null,
        recurrence: null,
        startedOn: null,
        completedOn: "2019-09",
        outcome: null,
        source: null,
      },
      metadata: meta("c3", "2019-09"),
    },
  ]);
  await store.appendToStream("partnership-nimes-taiyuan", [
    {
      id: "10000000-0000-4000-8000-000000000004",
      type: "MoUSigned",
      data: {
        partnershipId: "nimes-taiyuan",
        signedOn: "2022-12-15",
        expiresOn: null,
        signatories: [],
        versionHash: null,
        noticePeriodMonths: null,
        agreements: 1,
        title: "Convention de coopération",
        place: null,
        source,
      },
      metadata: meta("c4", "2022-12-15"),
    },
  ]);
});
afterAll(() => store.close());

describe("timeline", () => {
  it("prints a partnership's events by business date, undated first, with who, when and the quote", async () => {
    const text = await output((out) => printTimeline(store, "nimes-taiyuan", out));
    expect(text).toBe(
      [
        "Nîmes – Taiyuan (nimes-taiyuan)",
        "",
        "(undated)   Partnership proposed: Nîmes – Taiyuan",
        "            recorded 2026-01-02 by editor@chu-nimes.fr (partnership-nimes-taiyuan@0)",
        "2019-09     Mission completed: Congress, Taiyuan",
        "            recorded 2026-01-03 by editor@chu-nimes.fr (mission-taiyuan-2019@0)",
        "2022-12-15  Agreement signed: Convention de coopération",
        "            recorded 2026-01-03 by editor@chu-nimes.fr (partnership-nimes-taiyuan@1)",
        "            « Le 15 décembre 2022, les deux établissements ont signé une « convention » » — 002_08c3097acf9e2b6a.txt",
        "",
      ].join("\n"),
    );
  });

  it("as of a business date and as of a recorded time", async () => {
    const byDate = await output((out) => printTimeline(store, "nimes-taiyuan", out, { businessDate: "2020" }));
    expect(byDate.split("\n").slice(0, 6)).toEqual([
      "Nîmes – Taiyuan (nimes-taiyuan)",
      "facts that had happened by 2020",
      "",
      "(undated)   Partnership proposed: Nîmes – Taiyuan",
      "            recorded 2026-01-02 by editor@chu-nimes.fr (partnership-nimes-taiyuan@0)",
      "2019-09     Mission completed: Congress, Taiyuan",
    ]);
    expect(byDate).not.toContain("Agreement signed");
    const byRecord = await output((out) =>
      printTimeline(store, "nimes-taiyuan", out, { recordedAt: "2026-01-02T23:00:00Z" }),
    );
    expect(byRecord).toContain("as recorded by 2026-01-02T23:00:00.000Z");
    expect(byRecord).toContain("Partnership proposed");
    expect(byRecord).not.toContain("Mission completed");
  });
});

describe("export", () => {
  it("writes JSON Lines: each stored envelope, fields in a fixed order, as it verifies", async () => {
    const [first, , , fourth] = await collect(store.readAll());
    const text = await output((out) => exportEvents(store, out, { format: "jsonl" }));
    const lines = text.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      `{"position":"1","id":"10000000-0000-4000-8000-000000000001","type":"InstitutionRegistered","version":1,"streamId":"institution-chu-nimes","revision":0,"recordedAt":"2026-01-02T03:04:05.000Z","data":{"institutionId":"chu-nimes","name":"CHU de Nîmes","kind":"hospital","country":"FR","city":"Nîmes"},"metadata":{"actor":"editor@chu-nimes.fr","commandId":"c1","correlationId":"c1","causationId":null,"businessDate":null,"hash":"${first!.metadata.hash}"}}`,
    );
    expect(JSON.parse(lines[3]!)).toEqual({ ...fourth, metadata: { ...fourth!.metadata } });
    expect(lines[4]).toBe("");
  });

  it("writes CSV (RFC 4180), filtered by type and partnership", async () => {
    const [, , , fourth] = await collect(store.readAll());
    const text = await output((out) =>
      exportEvents(store, out, {
        format: "csv",
        filter: { eventTypePrefixes: ["MoU", "Mission"] },
        partnershipId: "nimes-taiyuan",
      }),
    );
    const rows = text.split("\r\n");
    expect(rows[0]).toBe(
      "position,recorded_at,business_date,stream_id,revision,type,version,actor,command_id,correlation_id,causation_id,hash,id,data,command_hash",
    );
    expect(rows[1]).toMatch(
      /^3,2026-01-03T10:00:00.000Z,2019-09,mission-taiyuan-2019,0,MissionCompleted,1,editor@chu-nimes.fr,c3,c3,,[0-9a-f]{64},10000000-0000-4000-8000-000000000003,"\{""missionId"":""taiyuan-2019"",""partnershipId"":""nimes-taiyuan"",""purpose"":""Congress, Taiyuan"",/,
    );
    expect(rows[2]).toBe(
      `4,2026-01-03T10:00:00.000Z,2022-12-15,partnership-nimes-taiyuan,1,MoUSigned,1,editor@chu-nimes.fr,c4,c4,,${fourth!.metadata.hash},10000000-0000-4000-8000-000000000004,` +
        `"${JSON.stringify(fourth!.data).replace(/"/g, '""')}",`,
    );
    expect(rows[3]).toBe("");
    expect(rows).toHaveLength(4);
  });

  it("exports after a position, and reports progress", async () => {
    const seen: number[] = [];
    const text = await output((out) =>
      exportEvents(store, out, { format: "jsonl", after: "2", onProgress: (n) => seen.push(n) }),
    );
    expect(
      text
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { position: string }).position),
    ).toEqual(["3", "4"]);
    expect(seen).toEqual([2]);
  });
});
