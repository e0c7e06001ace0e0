import {
  fromCurrentRevision,
  fromResolvedEvent,
  isAfter,
  toEventData,
  toExpectedRevision,
  toReadPosition,
  toServerFilter,
} from "../events/adapters/eventstoredb/mapping";
import type { PreparedEvent } from "../events/port";

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

  it("boxes data that is not an object, array or string, and unboxes it on the way back", () => {
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
});
