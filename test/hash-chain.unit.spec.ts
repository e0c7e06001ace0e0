import { createHash } from "node:crypto";
import type { RecordedEvent } from "../events/envelope";
import { canonicalJson, findChainBreak, GENESIS_HASH, hashEvent } from "../events/hash-chain";

function chain(count: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let previous = GENESIS_HASH;
  for (let revision = 0; revision < count; revision++) {
    const unhashed = {
      id: `00000000-0000-4000-8000-00000000000${revision}`,
      type: "Noted",
      version: 1,
      streamId: "partnership-1",
      revision,
      recordedAt: "2026-11-23T10:00:00.000Z",
      data: { n: revision, texte: "coopération" },
      metadata: { actor: "a", commandId: `c${revision}`, correlationId: "k", causationId: null, businessDate: "2019" },
    };
    const hash = hashEvent(previous, unhashed);
    events.push({ ...unhashed, position: String(10 + revision * 3), metadata: { ...unhashed.metadata, hash } });
    previous = hash;
  }
  return events;
}

describe("canonical JSON", () => {
  it("sorts keys at every depth, drops undefined, keeps arrays in order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, é: "ü" })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"é":"ü"}',
    );
  });

  it("is the same for objects that differ only in key order", () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });

  it("refuses numbers JSON cannot carry", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});

describe("hash chain", () => {
  it("verifies an intact chain", async () => {
    expect(await findChainBreak(chain(4))).toBeNull();
  });

  it("names the first altered event", async () => {
    const events = chain(4);
    events[2] = { ...events[2]!, data: { n: 99 } };
    expect(await findChainBreak(events)).toMatchObject({ kind: "hash", event: { revision: 2 } });
  });

  it("breaks on every later event when one hash is replaced, from that event on", async () => {
    const events = chain(3);
    events[1] = { ...events[1]!, metadata: { ...events[1]!.metadata, hash: "0".repeat(64) } };
    expect(await findChainBreak(events)).toMatchObject({ kind: "hash", event: { revision: 1 } });
  });

  it("sees a missing event as a revision gap", async () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(await findChainBreak(events)).toMatchObject({
      kind: "revision",
      expectedRevision: 1,
      event: { revision: 2 },
    });
  });

  it("sees positions out of order", async () => {
    const events = chain(3);
    events[2] = { ...events[2]!, position: "1" };
    expect(await findChainBreak(events)).toMatchObject({ kind: "order", event: { revision: 2 } });
  });
});

describe("the command fingerprint in the chain", () => {
  const base = {
    id: "00000000-0000-4000-8000-000000000001",
    type: "Noted",
    version: 1,
    streamId: "partnership-1",
    revision: 0,
    recordedAt: "2026-11-23T10:00:00.000Z",
    data: { n: 1 },
    metadata: { actor: "a", commandId: "c1", correlationId: "k", causationId: null, businessDate: null },
  };

  it("leaves the hash of an event without one as it was before fingerprints existed", () => {
    // The canonical form before commandHash was added to the hashed metadata.
    const before = canonicalJson({ ...base, metadata: { ...base.metadata } });
    const expected = createHash("sha256").update(GENESIS_HASH).update(before).digest("hex");
    expect(hashEvent(GENESIS_HASH, base)).toBe(expected);
  });

  it("covers it: a changed fingerprint breaks the chain", async () => {
    const fingerprinted = { ...base, metadata: { ...base.metadata, commandHash: "f".repeat(64) } };
    const hash = hashEvent(GENESIS_HASH, fingerprinted);
    expect(hash).not.toBe(hashEvent(GENESIS_HASH, base));
    const stored: RecordedEvent = { ...fingerprinted, position: "1", metadata: { ...fingerprinted.metadata, hash } };
    expect(await findChainBreak([stored])).toBeNull();
    const altered = { ...stored, metadata: { ...stored.metadata, commandHash: "0".repeat(64) } };
    expect(await findChainBreak([altered])).toMatchObject({ kind: "hash" });
  });
});
