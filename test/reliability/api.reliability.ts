/**
 * The public API under abuse, through the gateway as clients reach it (`npm start`'s whole system):
 * - 10,000 generated bad inputs (fast-check) against every mutation: no crash, no 5xx, every rejection
 *   typed, zero events appended;
 * - racing writers on one partnership: exactly one winner per revision, the others told the actual one;
 * - abusive operations (depth, aliases, tokens, batches) rejected before execution: nothing appended.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import {
  buildSchema,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";
import { ROOT, startSystem, type RunningSystem } from "../support/system";

const BAD_INPUTS = 10_000;

/** What a refusal may say; anything else (INTERNAL_SERVER_ERROR above all) is a bug. */
const TYPED = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  "NOT_FOUND",
  "CONFLICT",
  "RULE_VIOLATION",
  // The administrators' mutations (grantAccess, revokeAccess), for the editor's token.
  "FORBIDDEN",
]);

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

let system: RunningSystem;
let token: string;

async function post(body: string, contentType = "application/json"): Promise<Answer> {
  const response = await fetch(system.url, {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/json", authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  let parsed: Answer["body"];
  try {
    parsed = JSON.parse(text) as Answer["body"];
  } catch {
    parsed = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, body: parsed };
}

/** The log's head position, read from the store's file as any other reader would. */
function head(): number {
  const db = new Database(join(system.dataDir, "events.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], { head: number | null }>("SELECT max(position) AS head FROM events").get()!.head ?? 0;
  } finally {
    db.close();
  }
}

/** Refused, typed, nothing returned: what every bad request must get. */
function expectTypedRefusal(answer: Answer, field?: string): void {
  const codes = (answer.body.errors ?? []).map((error) => error.extensions?.code ?? `untyped: ${error.message}`);
  const untyped = codes.filter((code) => !TYPED.has(code));
  const served = field !== undefined && answer.body.data?.[field] != null;
  if (answer.status >= 500 || codes.length === 0 || untyped.length > 0 || served) {
    throw new Error(`not a typed refusal: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 600)}`);
  }
}

beforeAll(async () => {
  system = await startSystem();
  token = system.tokens.editor!;
}, 180_000);

afterAll(async () => {
  expect(await system.stop()).toBe(0);
}, 60_000);

describe("10,000 generated bad inputs against the mutations", () => {
  const schema = buildSchema(readFileSync(join(ROOT, "schema", "supergraph.graphql"), "utf8"));
  const mutations = Object.values(schema.getMutationType()!.getFields());
  const byName = new Map(mutations.map((field) => [field.name, field]));

  const fuzzId = fc.stringMatching(/^fuzz-[a-z0-9]{4,16}$/);

  /** Plausible values of a type: many fail the rules anyway, which is fine; the corruption guarantees it. */
  function plausible(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return plausible(type.ofType, depth);
    if (isListType(type)) return fc.array(plausible(type.ofType, depth + 1), { minLength: 1, maxLength: 2 });
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      if (depth > 3) return fc.constant({});
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, plausible(f.type, depth + 1)])), {
        requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
      });
    }
    switch (isScalarType(type) ? type.name : "") {
      case "Int":
        return fc.integer({ min: 0, max: 20 });
      case "Float":
        return fc.double({ min: 0, max: 1e6, noNaN: true });
      case "Boolean":
        return fc.boolean();
      case "BusinessDate":
        return fc.constantFrom("2019", "2019-05", "2019-05-12", "2024-11-30");
      case "JSONObject":
        return fc.constant({ note: "fuzz" });
      case "ID":
        return fuzzId;
      default:
        return fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("SN", "EUR", "Hôpital de Pikine", "1000"));
    }
  }

  type Path = Array<string | number>;
  /** Every place in a value with the type found there, to pick one to corrupt. */
  function places(
    value: unknown,
    type: GraphQLInputType,
    path: Path = [],
  ): Array<{ path: Path; type: GraphQLInputType }> {
    const here = { path, type };
    const inner = getNullableType(type) as GraphQLInputType;
    if (isListType(inner) && Array.isArray(value)) {
      return [here, ...value.flatMap((item, i) => places(item, inner.ofType, [...path, i]))];
    }
    if (isInputObjectType(inner) && value && typeof value === "object") {
      const fields = inner.getFields();
      return [
        here,
        ...Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
          fields[key] ? places(item, fields[key].type, [...path, key]) : [],
        ),
      ];
    }
    return [here];
  }

  const setAt = (root: Record<string, unknown>, path: Path, value: unknown, remove = false) => {
    const copy = structuredClone(root);
    let target = copy as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (remove) delete target[last];
    else target[last] = value;
    return copy;
  };

  /** A value no GraphQL coercion accepts for this type. */
  function wrongTypeFor(type: GraphQLInputType): unknown {
    const inner = getNullableType(type);
    if (isListType(inner) || isInputObjectType(inner)) return 42;
    if (isEnumType(inner)) return "NOT_A_VALUE";
    const name = isScalarType(inner) ? inner.name : "";
    if (name === "Int" || name === "Float") return "not a number";
    if (name === "Boolean") return "maybe";
    if (name === "JSONObject") return "not an object";
    return { not: "a scalar" };
  }

  const BAD_DATES = ["2019-13", "2019-02-30", "19", "2019-5", "tomorrow", "", "2019-05-12T10:00", "0000"];
  const BAD_FORMATS: Record<string, unknown[]> = {
    country: ["ZZ", "France", "fr", "S"],
    countries: [["ZZ"], ["senegal"]],
    currency: ["EURO", "eur", "XXXX", "€"],
    versionHash: ["not-a-hash", "ABC", "g".repeat(64)],
    value: ["-5", "abc", "1e999", "0"],
  };

  const inputTypeOf = (field: GraphQLField<unknown, unknown>) => field.args.find((a) => a.name === "input")!.type;

  type Spot = ReturnType<typeof places>[number];
  /** Changes the variables at one of the input's places (`spots`, chosen by `pick`); null when none fits. */
  type Corruption = (variables: Record<string, unknown>, spots: Spot[], pick: number) => Record<string, unknown> | null;

  /** One of the spots that fit, chosen by `pick`; null when none does. */
  const choose = (spots: Spot[], pick: number, fits: (spot: Spot) => boolean = () => true): Spot | null => {
    const fitting = spots.filter(fits);
    return fitting.length === 0 ? null : fitting[pick % fitting.length]!;
  };
  /** The variables with `value` set (or the key removed) at the chosen spot; null when no spot fits. */
  const at = (variables: Record<string, unknown>, spot: Spot | null, value: unknown, remove = false) =>
    spot === null ? null : setAt(variables, ["input", ...spot.path], value, remove);
  const lastStep = (spot: Spot) => spot.path[spot.path.length - 1];

  const corruptions: Record<string, Corruption> = {
    wrongType: (variables, spots, pick) => {
      const spot = choose(spots, pick)!;
      return at(variables, spot, wrongTypeFor(spot.type));
    },
    missingRequired: (variables, spots, pick) =>
      at(
        variables,
        choose(spots, pick, (spot) => typeof lastStep(spot) === "string" && isNonNullType(spot.type)),
        undefined,
        true,
      ),
    nullRequired: (variables, spots, pick) =>
      at(
        variables,
        choose(spots, pick, (spot) => spot.path.length > 0 && isNonNullType(spot.type)),
        null,
      ),
    unknownField: (variables, spots, pick) => {
      const spot = choose(spots, pick, (spot) => isInputObjectType(getNullableType(spot.type)))!;
      return setAt(variables, ["input", ...spot.path, "unexpectedField"], "surprise");
    },
    badDate: (variables, spots, pick) =>
      at(
        variables,
        choose(spots, pick, (spot) => String(getNullableType(spot.type)) === "BusinessDate"),
        BAD_DATES[pick % BAD_DATES.length],
      ),
    badFormat: (variables, spots, pick) => {
      const spot = choose(spots, pick, (spot) => String(lastStep(spot)) in BAD_FORMATS);
      const options = spot === null ? [] : BAD_FORMATS[String(lastStep(spot))]!;
      return at(variables, spot, options[pick % options.length]);
    },
    oversizedText: (variables, spots, pick) =>
      at(
        variables,
        choose(spots, pick, (spot) => String(getNullableType(spot.type)) === "String"),
        "x".repeat(100_000),
      ),
    revisionOutOfRange: (variables, _spots, pick) => ({
      ...variables,
      expectedRevision: [2 ** 31, -(2 ** 40), 1.5][pick % 3],
    }),
    missingCommandId: (variables) => {
      const { commandId: _omitted, ...rest } = variables;
      return rest;
    },
  };

  const MALFORMED: Array<{ body: string; contentType?: string }> = [
    { body: "{" },
    { body: "" },
    { body: "[]" },
    { body: "null" },
    { body: JSON.stringify({ query: 5 }) },
    { body: JSON.stringify({ query: "mutation {" }) },
    { body: JSON.stringify({ query: "mutation { registerInstitution }" }) },
    {
      body: JSON.stringify({
        query: "mutation ($c: ID!) { registerInstitution(commandId: $c) { revision } }",
        variables: "x",
      }),
    },
    { body: JSON.stringify({ query: "mutation { nope }" }) },
    { body: JSON.stringify({ query: "{ __typename }", operationName: "Missing" }) },
    { body: "query=mutation", contentType: "text/plain" },
  ];

  const request = fc.oneof(
    {
      weight: 19,
      // Built once per mutation: building arbitraries per run (stringMatching above all) cost 25 ms a run.
      arbitrary: fc.oneof(
        ...mutations.map((field) =>
          fc.record({
            // The name, not the field object: a counterexample then prints readably.
            field: fc.constant(field.name),
            commandId: fuzzId,
            input: plausible(inputTypeOf(field), 0),
            corruption: fc.constantFrom(...Object.keys(corruptions)),
            pick: fc.nat(),
          }),
        ),
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED).map((malformed) => ({ malformed })) },
  );

  it(`refuses each of ${BAD_INPUTS} with a typed error, no 5xx, and appends nothing`, async () => {
    const before = head();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        if ("malformed" in generated) {
          seen.set("malformed", (seen.get("malformed") ?? 0) + 1);
          expectTypedRefusal(await post(generated.malformed.body, generated.malformed.contentType));
          return;
        }
        const { commandId, input, corruption, pick } = generated;
        const field = byName.get(generated.field)!;
        const base = { commandId, input };
        // A corruption that has nothing to bite on here falls back to a wrong type, which always bites.
        const spots = places(input, inputTypeOf(field));
        const variables = corruptions[corruption]!(base, spots, pick) ?? corruptions.wrongType!(base, spots, pick)!;
        seen.set(corruption, (seen.get(corruption) ?? 0) + 1);
        const inputType = String(inputTypeOf(field));
        const query = `mutation ($commandId: ID!, $expectedRevision: Int, $input: ${inputType}) { ${field.name}(commandId: $commandId, expectedRevision: $expectedRevision, input: $input) { __typename } }`;
        expectTypedRefusal(await post(JSON.stringify({ query, variables })), field.name);
      }),
      { numRuns: BAD_INPUTS },
    );
    process.stderr.write(`bad inputs refused, by kind: ${JSON.stringify(Object.fromEntries(seen))}\n`);
    expect(head()).toBe(before);
    // Every kind of corruption was tried, on the order of its share.
    expect([...seen.keys()].sort()).toEqual([...Object.keys(corruptions), "malformed"].sort());
    expect(Math.min(...seen.values())).toBeGreaterThan(BAD_INPUTS / 40);
    // And the system still answers.
    const alive = await post(JSON.stringify({ query: "{ partnerships(first: 1) { totalCount } }" }));
    expect(alive.body.errors).toBeUndefined();
  }, 600_000);
});

describe("racing writers on one partnership", () => {
  it("exactly one winner per revision; the others get CONFLICT with the actual revision", async () => {
    const mutate = async (query: string, variables: Record<string, unknown>) =>
      post(JSON.stringify({ query, variables }));
    for (const id of ["race-a", "race-b"]) {
      const answer = await mutate(
        `mutation ($c: ID!, $i: ID!, $n: String!) { registerInstitution(commandId: $c, input: { institutionId: $i, name: $n, kind: HOSPITAL, country: "FR" }) { revision } }`,
        { c: `race-register-${id}`, i: id, n: id },
      );
      expect(answer.body.errors).toBeUndefined();
    }
    const proposed = await mutate(
      `mutation { proposePartnership(commandId: "race-propose", input: { partnershipId: "race", title: "Race", scope: INTERNATIONAL, parties: ["race-a", "race-b"] }) { revision } }`,
      {},
    );
    let revision = (proposed.body.data!.proposePartnership as { revision: number }).revision;
    const RACERS = 8;
    const ROUNDS = 25;
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(
        Array.from({ length: RACERS }, (_, racer) =>
          mutate(
            `mutation ($c: ID!, $r: Int!) { recordMilestone(commandId: $c, expectedRevision: $r, input: { partnershipId: "race", occurredOn: "2024-06", summary: "racer ${racer}" }) { revision } }`,
            { c: `race-${round}-${racer}`, r: revision },
          ),
        ),
      );
      const winners = answers.filter((a) => a.body.data?.recordMilestone);
      const losers = answers.filter((a) => !a.body.data?.recordMilestone);
      expect(winners).toHaveLength(1);
      expect((winners[0]!.body.data!.recordMilestone as { revision: number }).revision).toBe(revision + 1);
      for (const loser of losers) {
        expect(
          loser.body.errors!.map((e) => [
            e.extensions?.code,
            (e.extensions as { actualRevision?: number })?.actualRevision,
          ]),
        ).toEqual([["CONFLICT", revision + 1]]);
      }
      revision += 1;
    }
    // The stream: one event per round, revisions contiguous, each from a different round's winner.
    const db = new Database(join(system.dataDir, "events.db"), { readonly: true });
    const rows = db
      .prepare<[], { revision: number; command: string }>(
        "SELECT revision, json_extract(metadata, '$.commandId') AS command FROM events WHERE stream_id = 'partnership-race' ORDER BY revision",
      )
      .all();
    db.close();
    expect(rows.map((r) => r.revision)).toEqual(Array.from({ length: ROUNDS + 1 }, (_, i) => i));
    expect(rows.slice(1).map((r) => r.command.replace(/-\d+$/, ""))).toEqual(
      Array.from({ length: ROUNDS }, (_, round) => `race-${round}`),
    );
  });
});

describe("abusive operations", () => {
  const register = (alias: string, n: number) =>
    `${alias}: registerInstitution(commandId: "abuse-${n}", input: { institutionId: "abuse-${n}", name: "Abuse ${n}", kind: NGO, country: "FR" }) { revision }`;

  it.each([
    [/aliases/i, `mutation { ${Array.from({ length: 40 }, (_, n) => register(`a${n}`, n)).join(" ")} }`],
    [
      /depth/i,
      `mutation { registerInstitution(commandId: "abuse-deep", input: { institutionId: "abuse-deep", name: "Deep", kind: NGO }) { institution { partnerships { partnership { parties { partnerships { partnership { parties { partnerships { partnership { parties { partnerships { partnership { id } } } } } } } } } } } } } }`,
    ],
    [/token limit/i, `mutation { ${register("a", 1000)} ${"__typename ".repeat(3000)} }`],
  ])("%s: rejected before execution, nothing appended", async (limit, query) => {
    const before = head();
    const answer = await post(JSON.stringify({ query }));
    expectTypedRefusal(answer);
    expect(answer.body.errors![0]!.message).toMatch(limit);
    expect(answer.body.data ?? null).toBeNull();
    expect(head()).toBe(before);
  });

  it("batches: an array of operations is refused whole, nothing appended", async () => {
    const before = head();
    const answer = await post(
      JSON.stringify(Array.from({ length: 5 }, (_, n) => ({ query: `mutation { ${register("r", 2000 + n)} }` }))),
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(head()).toBe(before);
  });
});
