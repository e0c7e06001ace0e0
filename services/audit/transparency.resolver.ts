/** Queries of the ledger's transparency log: signed tree heads, inclusion and consistency proofs. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { SignedTreeHead as Head } from "../../events/transparency/tree-head";
import { ledgerTree } from "../../projections/read-models/ledger-tree";
import { readModels, type GraphQLContext } from "../common/graphql/context";
import { listSize } from "../common/graphql/limits";
import { PositionScalar } from "../common/graphql/scalars";
import { LedgerEvent } from "./audit.type";
import { proveConsistency, proveInclusion } from "./transparency";
import { ConsistencyProof, InclusionProof, SignedTreeHead } from "./transparency.type";
import { InvalidInput } from "../../domain/decider";

const MAX_HEADS_PAGE = 100;

const toHead = (head: Head): SignedTreeHead => ({ ...head, signedAt: new Date(head.timestamp).toISOString() });

async function tree(context: GraphQLContext) {
  const sql = await readModels(context, ledgerTree);
  return { sql, tables: context.runtime.runner.tables(ledgerTree) };
}

@Resolver()
export class TransparencyResolver {
  @Authorized("analyst", "auditor")
  @Query(() => SignedTreeHead, {
    nullable: true,
    description: "The latest signed tree head, or the one signed for exactly treeSize events; null when there is none.",
  })
  treeHead(
    @Ctx() context: GraphQLContext,
    @Arg("treeSize", () => Int, { nullable: true }) treeSize?: number,
  ): SignedTreeHead | null {
    const heads = context.runtime.treeHeads;
    const head = treeSize === undefined || treeSize === null ? heads?.latest() : heads?.ofSize(treeSize);
    return head ? toHead(head) : null;
  }

  @Authorized("analyst", "auditor")
  @Directive(listSize(MAX_HEADS_PAGE))
  @Query(() => [SignedTreeHead], { description: "Every head signed, in size order, after a size (at most 100)." })
  treeHeads(
    @Ctx() context: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("afterSize", () => Int, { defaultValue: -1 }) afterSize: number,
  ): SignedTreeHead[] {
    if (first < 0 || first > MAX_HEADS_PAGE) throw new InvalidInput("first", `must be between 0 and ${MAX_HEADS_PAGE}`);
    return (context.runtime.treeHeads?.page(afterSize, first) ?? []).map(toHead);
  }

  @Authorized("analyst", "auditor")
  @Directive("@cost(weight: 5)")
  @Query(() => InclusionProof, { description: "The event at a position is in the tree of treeSize events." })
  async inclusionProof(
    @Ctx() context: GraphQLContext,
    @Arg("position", () => PositionScalar) position: string,
    @Arg("treeSize", () => Int) treeSize: number,
  ): Promise<InclusionProof> {
    const { sql, tables } = await tree(context);
    return proveInclusion(sql, tables, position, treeSize);
  }

  @Authorized("analyst", "auditor")
  @Directive("@cost(weight: 5)")
  @Query(() => ConsistencyProof, { description: "The tree of toSize events extends the tree of fromSize events." })
  async consistencyProof(
    @Ctx() context: GraphQLContext,
    @Arg("fromSize", () => Int) fromSize: number,
    @Arg("toSize", () => Int) toSize: number,
  ): Promise<ConsistencyProof> {
    const { sql, tables } = await tree(context);
    return proveConsistency(sql, tables, fromSize, toSize);
  }
}

@Resolver(() => LedgerEvent)
export class LedgerEventProofResolver {
  @Authorized("analyst", "auditor")
  @Directive("@cost(weight: 5)")
  @FieldResolver(() => InclusionProof, { description: "This event's inclusion proof in the tree of treeSize events." })
  async inclusionProof(
    @Root() event: LedgerEvent,
    @Ctx() context: GraphQLContext,
    @Arg("treeSize", () => Int) treeSize: number,
  ): Promise<InclusionProof> {
    const { sql, tables } = await tree(context);
    return proveInclusion(sql, tables, event.position, treeSize);
  }
}
