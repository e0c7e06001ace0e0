/** Time travel on both axes, on a history with an amendment, a suspension, a resumption and a correction. */
import { businessDateOf, type PartnershipEvent } from "../../events/catalogue";
import type { RecordedEvent } from "../../events/envelope";
import { partnershipDecider, type Partnership } from "../../domain/partnerships/partnership.decider";
import { partnershipAsOf } from "../../services/audit/time-travel";

const P = "amiens-aswan";
const V1 = "1".repeat(64);
const V2 = "2".repeat(64);

/** The stream as the decider writes it, each event with the instant the ledger recorded it. */
const history: Array<[PartnershipEvent, string]> = [
  [
    {
      type: "PartnershipProposed",
      data: {
        partnershipId: P,
        title: "Amiens – Aswan",
        scope: "international",
        parties: ["chu-amiens", "al-germaniyya"],
        themes: [],
        countries: ["EG"],
        versionHash: V1,
        proposedOn: null,
        source: null,
      },
    },
    "2023-01-10T09:00:00.000Z",
  ],
  [
    {
      type: "MoUSigned",
      data: {
        partnershipId: P,
        signedOn: "2019-05-12",
        expiresOn: null,
        signatories: [],
        versionHash: V1,
        noticePeriodMonths: null,
        agreements: 1,
        title: null,
        place: null,
        source: null,
      },
    },
    "2023-01-10T09:01:00.000Z",
  ],
  [
    {
      type: "MoUAmended",
      data: { partnershipId: P, amendedOn: "2020-01", versionHash: V2, summary: "WHO joins", source: null },
    },
    "2023-01-11T09:00:00.000Z",
  ],
  [
    { type: "PartnershipSuspended", data: { partnershipId: P, suspendedOn: "2020", reason: "Covid-19", source: null } },
    "2023-01-11T09:01:00.000Z",
  ],
  [
    { type: "PartnershipResumed", data: { partnershipId: P, resumedOn: "2022-03", source: null } },
    "2023-01-12T09:00:00.000Z",
  ],
];
const correction: [PartnershipEvent, string] = [
  {
    type: "FactCorrected",
    data: {
      partnershipId: P,
      corrects: { revision: 2, type: "MoUAmended" },
      before: history[2]![0].data as never,
      after: { ...(history[2]![0].data as object), amendedOn: "2019-11" } as never,
      reason: "The amendment was signed in November 2019",
      source: null,
    },
  },
  "2023-06-15T14:00:00.000Z",
];

function recorded(events: Array<[PartnershipEvent, string]>): RecordedEvent[] {
  return events.map(([event, recordedAt], revision) => ({
    id: `event-${revision}`,
    type: event.type,
    version: 1,
    streamId: `partnership-${P}`,
    revision,
    position: String(100 + revision),
    recordedAt,
    data: event.data,
    metadata: {
      actor: "auditor-test",
      commandId: `c${revision}`,
      correlationId: `c${revision}`,
      causationId: null,
      businessDate: businessDateOf(event),
      hash: "0".repeat(64),
    },
  }));
}

const log = recorded([...history, correction]);
const at = (asOf: Parameters<typeof partnershipAsOf>[1]) => partnershipAsOf(log, asOf);
const state = (asOf: Parameters<typeof partnershipAsOf>[1]) => at(asOf).state as Partnership;

describe("time travel", () => {
  it("with no date, is the partnership as the ledger reads it now (the decider's own fold)", () => {
    const now = [...history, correction]
      .map(([e]) => e)
      .reduce(partnershipDecider.evolve, partnershipDecider.initialState) as Partnership;
    const { facts, ...expected } = now;
    expect(facts).toHaveLength(6);
    expect(state({})).toMatchObject(expected);
  });

  describe("as of a business date: what had certainly happened by then", () => {
    it("before the signing, it existed only as a proposal", () => {
      expect(state({ businessDate: "2019-05-11" })).toMatchObject({ status: "proposed", agreement: null });
    });

    it("in December 2019: signed, and amended (the corrected date, November 2019, counts)", () => {
      expect(state({ businessDate: "2019-12" })).toMatchObject({
        status: "active",
        agreement: { signedOn: "2019-05-12", amendments: 1 },
        text: { versionHash: V2 },
      });
    });

    it("in March 2020 the suspension dated only '2020' is uncertain: not applied, and reported as such", () => {
      const march = at({ businessDate: "2020-03" });
      expect(march.state).toMatchObject({ status: "active" });
      expect(march.facts.map((f) => [f.event.type, f.reading])).toEqual([
        ["PartnershipProposed", "undated"],
        ["MoUSigned", "applied"],
        ["MoUAmended", "applied"],
        ["PartnershipSuspended", "uncertain"],
        ["PartnershipResumed", "later"],
      ]);
    });

    it("at the end of 2020 suspended; in June 2022 resumed", () => {
      expect(state({ businessDate: "2020-12-31" })).toMatchObject({
        status: "suspended",
        suspension: { since: "2020", reason: "Covid-19" },
      });
      expect(state({ businessDate: "2022-06" })).toMatchObject({ status: "active", suspension: null });
    });
  });

  describe("as of a recorded time: what the ledger said then", () => {
    it("on 11 January 2023 at noon it knew the suspension, not yet the resumption", () => {
      expect(state({ recordedAt: "2023-01-11T12:00:00Z" })).toMatchObject({ status: "suspended" });
    });

    it("before the correction, the amendment was dated January 2020; after, November 2019", () => {
      const before = at({ recordedAt: "2023-06-01T00:00:00Z", businessDate: "2019-12" });
      expect(before.state).toMatchObject({ agreement: { amendments: 0 }, text: { versionHash: V1 } });
      const amendment = before.facts.find((f) => f.event.type === "MoUAmended")!;
      expect([amendment.businessDate, amendment.reading, amendment.corrections]).toEqual(["2020-01", "later", []]);
      const after = at({ recordedAt: "2023-06-16T00:00:00Z", businessDate: "2019-12" }).facts.find(
        (f) => f.event.type === "MoUAmended",
      )!;
      expect([after.businessDate, after.reading, after.corrections.map((c) => c.id)]).toEqual([
        "2019-11",
        "applied",
        ["event-5"],
      ]);
    });

    it("before anything was recorded, there was nothing", () => {
      expect(at({ recordedAt: "2022-12-31T23:59:59Z" })).toEqual({ state: { status: "none" }, facts: [] });
    });
  });

  it("refuses a date or an instant that is not one", () => {
    expect(() => at({ businessDate: "2020-13" })).toThrow(/businessDate/);
    expect(() => at({ recordedAt: "yesterday" })).toThrow(/recordedAt/);
  });
});
