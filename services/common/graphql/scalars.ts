/** Scalars every subgraph shares (same names and rules, so composition merges them). */
import { GraphQLScalarType, Kind, print } from "graphql";

/**
 * A value a scalar refuses. A plain Error, not a GraphQLError: graphql-js then wraps it with the AST node or
 * variable path, so the API can say which field was wrong.
 */
export class InvalidScalarValue extends Error {}
import { isBusinessDate } from "../../../events/business-date";
import { POSITION_PATTERN } from "../../../events/envelope";

function stringScalar(
  name: string,
  description: string,
  valid: (value: string) => boolean,
  expected: string,
): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== "string" || !valid(value)) {
      throw new InvalidScalarValue(`${name} must be ${expected}; got ${JSON.stringify(value)}`);
    }
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => check(value),
    parseValue: check,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING)
        throw new InvalidScalarValue(`${name} must be a string: ${expected}; got ${print(ast)}`);
      return check(ast.value);
    },
  });
}

export const BusinessDateScalar = stringScalar(
  "BusinessDate",
  "When something happened in the world, at the precision the source gives: `2019`, `2019-05` or `2019-05-12`.",
  isBusinessDate,
  "a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
);

export const PositionScalar = stringScalar(
  "Position",
  "A global position in the event log, as a decimal string (64-bit positions survive JSON). Send it back in the `Passerelle-Consistent-With` header to read your writes.",
  (value) => POSITION_PATTERN.test(value),
  "a decimal string",
);
