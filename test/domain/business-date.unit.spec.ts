import {
  addMonths,
  compareBusinessDates,
  isDefinitelyAfter,
  isDefinitelyBefore,
  mayBeOnOrBefore,
  parseBusinessDate,
} from "../../events/business-date";

describe("business dates", () => {
  it("parses the three precisions into day intervals", () => {
    expect(parseBusinessDate("2019")).toEqual({
      text: "2019",
      precision: "year",
      first: "2019-01-01",
      last: "2019-12-31",
    });
    expect(parseBusinessDate("2024-02")).toEqual({
      text: "2024-02",
      precision: "month",
      first: "2024-02-01",
      last: "2024-02-29",
    });
    expect(parseBusinessDate("2023-02")).toMatchObject({ last: "2023-02-28" });
    // Gregorian leap years: every fourth, but not a century unless it divides by 400.
    expect(parseBusinessDate("1900-02")).toMatchObject({ last: "1900-02-28" });
    expect(parseBusinessDate("2000-02")).toMatchObject({ last: "2000-02-29" });
    expect(parseBusinessDate("2100-02-29")).toBeNull();
    expect(parseBusinessDate("2019-12")).toMatchObject({ last: "2019-12-31" });
    expect(parseBusinessDate("2019-04-31")).toBeNull();
    expect(parseBusinessDate("2019-05-12")).toEqual({
      text: "2019-05-12",
      precision: "day",
      first: "2019-05-12",
      last: "2019-05-12",
    });
  });

  it.each(["19", "2019-5", "2019-13", "2019-02-30", "2019-00", "2019-05-12T10:00", "mai 2023", "", "0999"])(
    "refuses %p",
    (text) => expect(parseBusinessDate(text)).toBeNull(),
  );

  it("compares as intervals: imprecise dates are neither before nor after what they may contain", () => {
    expect(isDefinitelyBefore("2019-05", "2019-06-01")).toBe(true);
    expect(isDefinitelyBefore("2019-05", "2019")).toBe(false);
    expect(isDefinitelyAfter("2019", "2019-05")).toBe(false);
    expect(isDefinitelyAfter("2020", "2019-12-31")).toBe(true);
    expect(isDefinitelyBefore("2019-12-31", "2019-12-31")).toBe(false);
    expect(mayBeOnOrBefore("2026", "2026-11-23T10:00:00Z")).toBe(true);
    expect(mayBeOnOrBefore("2026-12", "2026-11-23T10:00:00Z")).toBe(false);
  });

  it("sorts a timeline as the sources do: by last possible day, the precise before the vague", () => {
    const dates = ["2013", "2014-01-01", "2013-10", "2013-05-23", "2013-12-31", "2012"];
    expect([...dates].sort(compareBusinessDates)).toEqual([
      "2012",
      "2013-05-23",
      "2013-10",
      "2013-12-31",
      "2013",
      "2014-01-01",
    ]);
  });

  it("adds months at the same precision, never inventing any", () => {
    expect(addMonths("2023-05-12", 6)).toBe("2023-11-12");
    expect(addMonths("2023-08-31", 6)).toBe("2024-02-29");
    expect(addMonths("2023-09", 6)).toBe("2024-03");
    expect(addMonths("2023", 12)).toBe("2024");
    expect(addMonths("2023", 6)).toBeNull();
  });
});
