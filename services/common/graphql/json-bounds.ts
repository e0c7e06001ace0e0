/**
 * Bounds on the JSON a client sends as variables (JSON-scalar values such as a milestone's `details` or a
 * correction's `data` are free-form): checked once, iteratively, before anything parses, coerces or forwards
 * it. A value nested thousands deep otherwise costs time quadratic in its depth and then a stack overflow.
 */
export interface JsonBounds {
  /** Most levels of objects and arrays. */
  readonly maxDepth: number;
  /** Most values in all (object members and array items, at every level). */
  readonly maxNodes: number;
}

export const DEFAULT_JSON_BOUNDS: JsonBounds = { maxDepth: 32, maxNodes: 10_000 };

/** What is wrong with the value, or null when it is within the bounds. */
export function jsonBoundsProblem(value: unknown, bounds: JsonBounds = DEFAULT_JSON_BOUNDS): string | null {
  const pending: Array<{ readonly value: unknown; readonly depth: number }> = [{ value, depth: 0 }];
  let nodes = 0;
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (++nodes > bounds.maxNodes) return `the variables hold more than ${bounds.maxNodes} values`;
    if (typeof current !== "object" || current === null) continue;
    if (depth >= bounds.maxDepth) return `the variables are nested more than ${bounds.maxDepth} levels deep`;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}

/** The refused request's one error, as both the gateway and the subgraphs answer it. */
export function jsonBoundsRefusal(problem: string) {
  return { message: `Refused before execution: ${problem}.`, extensions: { code: "BAD_USER_INPUT" } };
}
