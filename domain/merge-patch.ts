/**
 * JSON Merge Patch (RFC 7386), the meaning of a correction's data: a field the patch names takes its value,
 * `null` removes it (an optional field reads as its default again), a field it omits keeps its value. Objects
 * merge field by field; anything else, arrays included, is replaced whole.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
