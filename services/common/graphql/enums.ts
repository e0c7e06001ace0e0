import { registerEnumType } from "type-graphql";

/**
 * A GraphQL enum from a vocabulary the catalogue defines once (`PARTNERSHIP_STATUSES`, `REVIEW_OUTCOMES`):
 * each value under its upper-case name, so the API and the ledger cannot drift apart.
 */
export function enumOf<V extends string>(
  values: readonly V[],
  config: { readonly name: string; readonly description?: string },
): Readonly<Record<string, V>> {
  const members = Object.fromEntries(values.map((value) => [value.toUpperCase(), value]));
  registerEnumType(members, config);
  return members;
}
