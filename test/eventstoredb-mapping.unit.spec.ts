import {
  fromCurrentRevision,
  fromResolvedEvent,
  isAfter,
  toEventData,
  toExpectedRevision,
  toReadPosition,
  toServerFilter,
} from "../events/adapters/eventstoredb/mapping";
import { GENESIS_HASH, hashEvent } from "../events/hash-chain";
import { matchesFilter, type PreparedEvent } from "../events/port";

const prepared: PreparedEvent = {
  id: "5f0c6a6e-8f55-4d4b-9d59-0a5b0a0f1b11",
  type: "MoUSigned",
  version: 2,
  streamId: "partnership-nimes-taiyuan",
  revision: 3,
  recordedAt: "2026-11-23T09:00:00.000Z",
  data: { signedOn: "2022-12-15", lieu: "Nîmes" },
  metadata: {
    actor: "editor@chu",
    commandId: "c1",
    correlationId: "k1",
    causationId: "e0",
    businessDate: "2022-12-15",
    hash: "a".repeat(64),
  },
};

describe("EventStoreDB mapping (pure)", () => {
  it("envelope → client event → envelope round-trips every field", () => {
    const data = toEventData(prepared);
    expect(data).toMatchObject({
      id: prepared.id,
      contentType: "application/json",
      type: "MoUSigned",
      data: prepared.data,
    });
    expect(data.metadata).toMatchObject({
      schemaVersion: 2,
      recordedAt: prepared.recordedAt,
      $correlationId: "k1",
      $causationId: "e0",
      hash: "a".repeat(64),
    });
    const back = fromResolvedEvent({
      event: {
        streamId: prepared.streamId,
        id: data.id,
        isJson: true,
        revision: 3n,
        type: data.type,
        data: data.data,
        metadata: data.metadata,
        position: { commit: 18446744073709551000n, prepare: 18446744073709551000n },
      },
    });
    expect(back).toEqual({ ...prepared, position: "18446744073709551000" });
  });

  it("boxes data that is not a plain object, and unboxes it on the way back", () => {
    const data = toEventData({ ...prepared, data: 42 });
    expect(data.data).toEqual({ $value: 42 });
    const back = fromResolvedEvent({
      event: {
        streamId: "s-1",
        id: "x",
        isJson: true,
        revision: 0n,
        type: "T",
        data: data.data,
        metadata: data.metadata,
      },
      commitPosition: 7n,
    });
    expect(back).toMatchObject({ data: 42, position: "7" });
  });

  it.each<[string, unknown]>([
    ["an object that is itself a box", { $value: 42 }],
    ["a box inside a box", { $value: { $value: "x" } }],
    ["an object with $value among other keys", { $value: 1, other: 2 }],
    ["a number", 42],
    ["null", null],
    ["a boolean", false],
    ["a string", "texte"],
    ["an array", [1, { $value: 2 }]],
    ["an empty object", {}],
  ])("stores %s as a JSON object and reads it back unchanged", (_, value) => {
    const data = toEventData({ ...prepared, data: value });
    expect(data.data).toEqual(expect.any(Object));
    expect(Array.isArray(data.data)).toBe(false);
    const back = fromResolvedEvent({
      event: {
        streamId: "s-1",
        id: "x",
        isJson: true,
        revision: 0n,
        type: "T",
        data: data.data,
        metadata: data.metadata,
      },
      commitPosition: 7n,
    });
    expect(back?.data).toEqual(value);
  });

  it("reads a boxed-looking object back with the hash it was written with", () => {
    const written = { ...prepared, data: { $value: { amount: 12 } } };
    const hash = hashEvent(GENESIS_HASH, written);
    const stored = toEventData({ ...written, metadata: { ...written.metadata, hash } });
    const back = fromResolvedEvent({
      event: {
        ...stored,
        streamId: written.streamId,
        isJson: true,
        revision: 3n,
        position: { commit: 9n, prepare: 9n },
      },
    });
    expect(back?.metadata.hash).toBe(hash);
    expect(hashEvent(GENESIS_HASH, back!)).toBe(hash);
  });

  it("marks boxed data in the metadata, and leaves plain objects unmarked", () => {
    expect(toEventData({ ...prepared, data: { $value: 1 } }).metadata).toMatchObject({ dataBoxed: true });
    expect(toEventData(prepared).metadata).not.toHaveProperty("dataBoxed");
  });

  it("still unboxes events written before the marker", () => {
    const { dataBoxed: _, ...legacyMetadata } = toEventData({ ...prepared, data: 42 }).metadata;
    const back = fromResolvedEvent({
      event: {
        streamId: "s-1",
        id: "x",
        isJson: true,
        revision: 0n,
        type: "T",
        data: { $value: 42 },
        metadata: legacyMetadata,
      },
      commitPosition: 7n,
    });
    expect(back?.data).toBe(42);
  });

  it("refuses positions that would give two events one audit key", () => {
    const event = {
      streamId: "s-1",
      id: "x",
      isJson: true,
      revision: 0n,
      type: "T",
      data: {},
      metadata: toEventData(prepared).metadata,
    };
    expect(() => fromResolvedEvent({ event: { ...event, position: { commit: 500n, prepare: 480n } } })).toThrow(
      /explicit transaction/,
    );
    const unknown = 2n ** 64n - 1n;
    expect(() => fromResolvedEvent({ event: { ...event, position: { commit: unknown, prepare: unknown } } })).toThrow(
      /unknown position/,
    );
  });

  it("omits $causationId when there is no causation", () => {
    expect(
      toEventData({ ...prepared, metadata: { ...prepared.metadata, causationId: null } }).metadata,
    ).not.toHaveProperty("$causationId");
  });

  it("ignores system events, binary events and events without Passerelle metadata", () => {
    const base = {
      streamId: "s-1",
      id: "x",
      isJson: true,
      revision: 0n,
      data: {},
      position: { commit: 1n, prepare: 1n },
    };
    expect(fromResolvedEvent({ event: { ...base, type: "$statsCollected", metadata: {} } })).toBeNull();
    expect(
      fromResolvedEvent({
        event: { ...base, streamId: "$settings", type: "Settings", metadata: toEventData(prepared).metadata },
      }),
    ).toBeNull();
    expect(
      fromResolvedEvent({ event: { ...base, isJson: false, type: "Blob", metadata: toEventData(prepared).metadata } }),
    ).toBeNull();
    expect(fromResolvedEvent({ event: { ...base, type: "Foreign", metadata: { some: "thing" } } })).toBeNull();
    expect(fromResolvedEvent({})).toBeNull();
  });

  it("maps expected and actual revisions", () => {
    expect(toExpectedRevision("any")).toBe("any");
    expect(toExpectedRevision("no_stream")).toBe("no_stream");
    expect(toExpectedRevision(5)).toBe(5n);
    expect(fromCurrentRevision("no_stream")).toBe("no_stream");
    expect(fromCurrentRevision(12n)).toBe(12);
  });

  it("maps positions: start, a 64-bit commit position, exclusive reads", () => {
    expect(toReadPosition(undefined)).toBe("start");
    expect(toReadPosition("0")).toBe("start");
    expect(toReadPosition("9007199254740993")).toEqual({ commit: 9007199254740993n, prepare: 9007199254740993n });
    const event = { position: "9007199254740993" } as Parameters<typeof isAfter>[0];
    expect(isAfter(event, "9007199254740992")).toBe(true);
    expect(isAfter(event, "9007199254740993")).toBe(false);
    expect(isAfter(event, undefined)).toBe(true);
  });

  it("gives the server one filter and drops system events when there is none", () => {
    expect(toServerFilter(undefined)).toEqual({ kind: "excludeSystemEvents" });
    expect(toServerFilter({ eventTypePrefixes: [] })).toEqual({ kind: "excludeSystemEvents" });
    expect(toServerFilter({ eventTypePrefixes: ["Mission"], streamPrefixes: ["mission-"] })).toEqual({
      kind: "eventType",
      prefixes: ["Mission"],
    });
    expect(toServerFilter({ streamPrefixes: ["mission-"] })).toEqual({ kind: "streamName", prefixes: ["mission-"] });
  });

  it("narrows exact types on the server as prefixes and keeps only whole matches on this side", () => {
    const filter = { eventTypes: ["MoU", "MissionPlanned"], eventTypePrefixes: ["Funding"] };
    expect(toServerFilter(filter)).toEqual({ kind: "eventType", prefixes: ["MoU", "MissionPlanned", "Funding"] });
    const passes = (type: string) => matchesFilter({ type, streamId: "s-1" }, filter);
    expect(["MoU", "MoUSigned", "MissionPlanned", "MissionPlannedLate", "FundingGranted"].filter(passes)).toEqual([
      "MoU",
      "MissionPlanned",
      "FundingGranted",
    ]);
  });
});
