import { createHash } from "node:crypto";

/**
 * The id of an entity a create command names none for, derived from the command id (a name-based UUID, as
 * RFC 4122 version 5 does it): a retried command creates the same entity, not a second one.
 */
export function idFromCommand(commandId: string, kind: string): string {
  const hash = createHash("sha1").update(`passerelle:${kind}:${commandId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
