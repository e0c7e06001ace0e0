/**
 * Demand control: how an operation's cost is estimated from `@listSize`/`@cost`, that every list of the
 * supergraph is sized, that what the repository itself sends is well under the bound while the issue's
 * cyclic query is far over it, and that a subgraph refuses before running any resolver.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  execute,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type GraphQLField,
  type GraphQLSchema,
} from "graphql";
import { partnershipsService } from "../services/partnerships";
import { DEFAULT_LIMITS, estimateCost, operationOf, refuseCostlyOperations } from "../services/common/graphql/limits";
import { SUBGRAPH_MAX_COST } from "../services/common/graphql/subgraph";
import { cyclicQuery } from "./support/cyclic-query";

const ROOT = join(__dirname, "..");

const costOf = (schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}) =>
  estimateCost({ schema, ...operationOf(parse(query))!, variables }, DEFAULT_LIMITS.listSize);

describe("estimateCost", () => {
  const schema = buildSchema(`
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
    directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT
    type Query {
      items(first: Int! = 10): ItemConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
      tags: [Tag!]!
      heavy: Tag! @cost(weight: 500)
      _entities(representations: [String!]!): [Item]!
    }
    type Mutation { touch: Item! }
    type ItemConnection { edges: [Edge!]! total: Int! }
    type Edge { node: Item! }
    type Item { name: String! tags: [Tag!]! @listSize(assumedSize: 3) }
    type Tag { label: String! }
  `);

  it("counts each object once per item of every list above it; scalars are free", () => {
    // items 1 + 10 edges + 10 nodes + 10 × 3 tags
    expect(costOf(schema, `{ items { edges { node { name tags { label } } } total } }`)).toBe(51);
  });

  it("takes a page's length from its argument, a literal or a variable", () => {
    expect(costOf(schema, `{ items(first: 100) { edges { node { name } } } }`)).toBe(201);
    expect(costOf(schema, `query ($n: Int!) { items(first: $n) { edges { node { name } } } }`, { n: 50 })).toBe(101);
  });

  it("counts an unsized list, null or not, as `listSize` long (Hive Gateway counted a [T!]! as 1)", () => {
    expect(costOf(schema, `{ tags { label } }`)).toBe(DEFAULT_LIMITS.listSize);
  });

  it("adds @cost weights, 10 for a mutation, and counts an entity fetch per representation", () => {
    expect(costOf(schema, `{ heavy { label } }`)).toBe(501);
    expect(costOf(schema, `mutation { touch { name } }`)).toBe(11);
    const entities = `query ($r: [String!]!) { _entities(representations: $r) { tags { label } } }`;
    expect(costOf(schema, entities, { r: Array.from({ length: 40 }, String) })).toBe(40 + 40 * 3);
  });

  it("counts named fragments where they are spread, and aliases each time", () => {
    const inline = `{ a: items { edges { node { tags { label } } } } b: items { edges { node { tags { label } } } } }`;
    const spread = `{ a: items { ...E } b: items { ...E } } fragment E on ItemConnection { edges { node { ...T } } } fragment T on Item { tags { label } }`;
    expect(costOf(schema, spread)).toBe(costOf(schema, inline));
    expect(costOf(schema, inline)).toBe(2 * (1 + 10 + 10 + 30));
  });

  it("prices fragments spread many times over, in fragments spread many times over, in linear time", () => {
    const spreads = (next: string) => Array.from({ length: 60 }, () => `...${next}`).join(" ");
    const fragments = [0, 1, 2, 3].map((i) => `fragment F${i} on Query { ${spreads(`F${i + 1}`)} }`).join(" ");
    const started = Date.now();
    const cost = costOf(schema, `{ ...F0 } ${fragments} fragment F4 on Query { tags { label } }`);
    expect(Date.now() - started).toBeLessThan(200);
    expect(cost).toBe(60 ** 4 * DEFAULT_LIMITS.listSize);
  });
});

describe("the supergraph's lists", () => {
  const supergraph = buildSchema(readFileSync(join(ROOT, "schema", "supergraph.graphql"), "utf8"), {
    assumeValidSDL: true,
  });

  it("are all sized: each list field has @listSize, a connection's `edges` are sized by its page", () => {
    const listSize = (field: GraphQLField<unknown, unknown>) =>
      field.astNode?.directives?.find((d) => d.name.value === "listSize");
    const unsized: string[] = [];
    for (const type of Object.values(supergraph.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const size = listSize(field);
        if (getNamedType(field.type).name.endsWith("Connection")) {
          if (!size?.arguments?.some((a) => a.name.value === "sizedFields")) unsized.push(`${type.name}.${field.name}`);
        } else if (isListType(getNullableType(field.type)) && !size) {
          if (!(field.name === "edges" && type.name.endsWith("Connection"))) unsized.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(unsized).toEqual([]);
  });

  it("price the issue's cyclic query far over the bound (it cost 95 before, with every [T!]! counted as 1)", () => {
    expect(costOf(supergraph, cyclicQuery())).toBeGreaterThan(1_000_000 * DEFAULT_LIMITS.maxCost);
  });

  it("leave every example of the README well under the bound", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const operations = blocks.flatMap((block) =>
      parse(block).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION),
    );
    expect(operations.length).toBeGreaterThan(10);
    for (const operation of operations) {
      const cost = estimateCost({ schema: supergraph, operation, fragments: {}, variables: {} }, 20);
      expect(cost).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost / 10);
    }
  });
});

describe("a subgraph", () => {
  it("refuses an operation over its bound before any resolver runs, entity fetches included", async () => {
    const { schema } = await partnershipsService.buildSubgraph();
    // No context at all: a resolver that ran would fail another way.
    const run = (query: string, variableValues: Record<string, unknown> = {}) =>
      Promise.resolve(execute({ schema, document: parse(query), variableValues, contextValue: {} }));
    const refused = await run(cyclicQuery());
    expect(refused.errors?.map((e) => e.extensions.code)).toEqual(["COST_ESTIMATED_TOO_EXPENSIVE"]);
    expect(refused.errors![0]!.extensions.cost).toMatchObject({ max: SUBGRAPH_MAX_COST });
    const representations = Array.from({ length: 5_000 }, (_, i) => ({ __typename: "Institution", id: `i${i}` }));
    const entities = await run(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Institution { partnerships { partnership { parties { name } } } } } }`,
      { r: representations },
    );
    expect(entities.errors?.map((e) => e.extensions.code)).toEqual(["COST_ESTIMATED_TOO_EXPENSIVE"]);
  });

  it("runs what fits", async () => {
    const schema = buildSchema(`type Query { a: Int b: Int }`);
    let calls = 0;
    const root = { a: () => ++calls, b: () => ++calls };
    refuseCostlyOperations(schema, { maxCost: 10, listSize: 20 });
    const result = await Promise.resolve(execute({ schema, document: parse(`{ a b }`), rootValue: root }));
    expect(result).toEqual({ data: { a: 1, b: 2 } });
  });
});
