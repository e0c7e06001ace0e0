/**
 * Limits on an operation's shape, checked at parse and validation time before anything runs: by the gateway
 * for every client, and by each subgraph as well, for whatever reaches it directly.
 */
import { GraphQLError, type ASTVisitor, type ValidationContext } from "graphql";

/** Limits that reject an operation at parse or validation time. */
export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxTokens: number;
  readonly maxAliases: number;
  /** Demand control: estimated cost, lists assumed `listSize` long. */
  readonly maxCost: number;
  readonly listSize: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxTokens: 3000,
  maxAliases: 30,
  maxCost: 50_000,
  listSize: 20,
};

/** At most `max` aliased fields in one operation: aliases multiply the work a small query asks for. */
export function maxAliasesRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias && ++aliases === max + 1) {
          context.reportError(
            new GraphQLError(`Too many aliases: at most ${max} per operation.`, {
              nodes: [node],
              extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
            }),
          );
        }
      },
    };
  };
}
