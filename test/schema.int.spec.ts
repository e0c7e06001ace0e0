/** The checked-in SDL under schema/ is what the code produces: front-end teams generate types from it. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generateSchemas } from "../services/gateway/compose";

const SCHEMA_DIR = join(__dirname, "..", "schema");

describe("schema/", () => {
  let generated: Awaited<ReturnType<typeof generateSchemas>>;
  beforeAll(async () => {
    generated = await generateSchemas();
  }, 60_000);

  it.each(["partnerships", "activities", "audit"])(
    "schema/%s.graphql matches the subgraph's code (run `npm run schema`)",
    (name) => {
      expect(readFileSync(join(SCHEMA_DIR, `${name}.graphql`), "utf8")).toBe(generated.subgraphs[name]);
    },
  );

  it("schema/supergraph.graphql is the composition of the three (run `npm run schema`)", () => {
    expect(readFileSync(join(SCHEMA_DIR, "supergraph.graphql"), "utf8")).toBe(generated.supergraph);
  });

  it("composes Partnership from all three subgraphs", () => {
    expect(generated.supergraph).toMatch(
      /type Partnership\s+@join__type\(graph: ACTIVITIES, key: "id"\)\s+@join__type\(graph: AUDIT, key: "id"\)\s+@join__type\(graph: PARTNERSHIPS, key: "id"\)/,
    );
  });
});
