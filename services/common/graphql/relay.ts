/** Relay cursor connections: edges, node, pageInfo, totalCount. Cursors are opaque. */
import { Directive, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { InvalidInput } from "../../../domain/decider";

@ObjectType({ description: "Relay page information." })
@Directive("@shareable")
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  totalCount: number;
}

/** The Edge and Connection object types of a node type, named `<name>Edge` and `<name>Connection`. */
export function connectionOf<T extends object>(Node: ClassType<T> | (abstract new () => T), name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => Node)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: "How many nodes match, across all pages." })
    totalCount: number;
  }
  return Connection;
}

export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, "utf8").toString("base64url");
}

export function decodeCursor(kind: string, cursor: string | null | undefined): string | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith(`${kind}:`)) throw new InvalidInput("after", "is not a cursor from this connection");
  return text.slice(kind.length + 1);
}

export const MAX_PAGE = 100;

/**
 * Demand control's size of a field that returns a connection: its `edges` are as many as `first` asks (at most
 * MAX_PAGE; `first` has a default, so a query need not give it).
 */
export const CONNECTION_SIZE =
  '@listSize(slicingArguments: ["first"], sizedFields: ["edges"], requireOneSlicingArgument: false)';

export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw new InvalidInput("first", `must be between 1 and ${MAX_PAGE}`);
  return first;
}

/** A connection from a page of items in key order. */
export function toConnection<T>(
  kind: string,
  items: T[],
  key: (item: T) => string,
  totalCount: number,
  hasNextPage: boolean,
  hasPreviousPage: boolean,
): ConnectionShape<T> {
  const edges = items.map((node) => ({ cursor: encodeCursor(kind, key(node)), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
