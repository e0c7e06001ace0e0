/** GraphQL types of the ledger's transparency log: signed tree heads and the proofs checked against them. */
import { Directive, Field, Float, Int, ObjectType } from "type-graphql";
import { listSize } from "../common/graphql/limits";
import { PositionScalar } from "../common/graphql/scalars";

/** A proof holds at most two hashes per level of a tree of 2^64 leaves. */
const PATH_SIZE = 128;

@ObjectType({
  description:
    "The ledger tree's size and root at a moment, signed with the ledger's Ed25519 key over RFC 6962's TreeHeadSignature bytes.",
})
export class SignedTreeHead {
  @Field(() => Int, { description: "How many events of the log the tree covers." })
  treeSize: number;

  @Field(() => Float, { description: "Milliseconds since the epoch, as signed." })
  timestamp: number;

  @Field({ description: "The same instant, ISO-8601." })
  signedAt: string;

  @Field({ description: "Hex RFC 9162 root hash of the first treeSize events." })
  rootHash: string;

  @Field({ description: "Hex SHA-256 of the signing key's DER public key." })
  keyId: string;

  @Field({ description: "Base64 Ed25519 signature." })
  signature: string;
}

@ObjectType({ description: "RFC 9162 inclusion proof: this event is leaf leafIndex of the tree of treeSize events." })
export class InclusionProof {
  @Field(() => PositionScalar)
  position: string;

  @Field(() => Int)
  leafIndex: number;

  @Field(() => Int)
  treeSize: number;

  @Field({ description: "Hex SHA-256(0x00 || the stored event's canonical JSON)." })
  leafHash: string;

  @Directive(listSize(PATH_SIZE))
  @Field(() => [String], { description: "Hex hashes from the leaf up." })
  path: string[];

  @Field({ description: "The root the path leads to: compare it with a signed head's, never trust it alone." })
  rootHash: string;
}

@ObjectType({ description: "RFC 9162 consistency proof: the tree of toSize events extends the tree of fromSize." })
export class ConsistencyProof {
  @Field(() => Int)
  fromSize: number;

  @Field(() => Int)
  toSize: number;

  @Field()
  fromRoot: string;

  @Field()
  toRoot: string;

  @Directive(listSize(PATH_SIZE))
  @Field(() => [String])
  path: string[];
}
