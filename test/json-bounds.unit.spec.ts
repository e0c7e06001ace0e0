import { jsonBoundsProblem } from "../services/common/graphql/json-bounds";

describe("JSON bounds on variables", () => {
  const nested = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`) as unknown;

  it("accepts what clients send: objects, lists, scalars within the bounds", () => {
    expect(jsonBoundsProblem(undefined)).toBeNull();
    expect(jsonBoundsProblem({ input: { details: { doctors: 8 }, parties: ["a", "b"] } })).toBeNull();
    expect(jsonBoundsProblem(nested(32))).toBeNull();
  });

  it("refuses depth past the bound and too many values, without recursing", () => {
    expect(jsonBoundsProblem(nested(33))).toMatch(/nested more than 32 levels/);
    expect(jsonBoundsProblem(nested(100_000))).toMatch(/nested more than 32 levels/);
    expect(jsonBoundsProblem({ list: Array.from({ length: 10_001 }, () => 0) })).toMatch(/more than 10000 values/);
    expect(jsonBoundsProblem({ a: Array.from({ length: 9_000 }, () => 0) })).toBeNull();
  });
});
