import type { RecordedEvent } from "../../events/envelope";
import { CURRENT_VERSION, EVENT_TYPES } from "../../events/catalogue";
import { asCurrentEvent, upcast } from "../../events/upcasters";

const stored = (type: string, version: number, data: unknown): RecordedEvent => ({
  id: "e1",
  type,
  version,
  streamId: "funding-1",
  revision: 0,
  position: "7",
  recordedAt: "2020-01-01T00:00:00.000Z",
  data,
  metadata: {
    actor: "a",
    commandId: "c",
    correlationId: "c",
    causationId: null,
    businessDate: "2016",
    hash: "0".repeat(64),
  },
});

describe("upcasters", () => {
  it("turn FundingGranted v1 into v2: one funder becomes a list, an amount is not a ceiling", () => {
    const v1 = stored("FundingGranted", 1, {
      fundingId: "1",
      partnershipId: "p",
      funderId: "afd",
      amount: { value: "250000", currency: "EUR" },
      grantedOn: "2016",
      period: null,
      purpose: null,
      source: null,
    });
    expect(upcast(v1)).toEqual({
      ...v1,
      version: 2,
      data: {
        fundingId: "1",
        partnershipId: "p",
        funders: ["afd"],
        amount: { value: "250000", currency: "EUR", ceiling: false },
        grantedOn: "2016",
        period: null,
        purpose: null,
        source: null,
      },
    });
  });

  it("leave current versions and unknown types untouched", () => {
    const v2 = stored("FundingGranted", 2, { funders: ["afd"] });
    expect(upcast(v2)).toBe(v2);
    const foreign = stored("SomethingElse", 9, {});
    expect(upcast(foreign)).toBe(foreign);
    expect(asCurrentEvent(foreign)).toBeNull();
  });

  it("refuse a version with no path to the current one, naming the position", () => {
    expect(() => upcast(stored("FundingGranted", 3, {}))).toThrow(/FundingGranted v3 at position 7/);
    expect(() => upcast(stored("MoUSigned", 0, {}))).toThrow(/no upcaster/);
  });

  it("cover every older version of every event type", () => {
    for (const type of EVENT_TYPES) {
      for (let version = 1; version < CURRENT_VERSION[type]; version++) {
        expect(() => upcast(stored(type, version, { funderId: "x", amount: null }))).not.toThrow();
      }
    }
  });
});
