/** What the data protection officer asks of the ledger. */
import { Arg, Authorized, Query, Resolver } from "type-graphql";
import { listSize } from "../common/graphql/limits";
import { Directive } from "type-graphql";
import { recordOfProcessing } from "./personal-data";
import { ProcessingEntry } from "./personal-data.type";

@Resolver()
export class PersonalDataResolver {
  @Authorized("dpo")
  @Directive(listSize(1000))
  @Query(() => [ProcessingEntry], {
    description:
      "The record of processing: every stored field that is (or, as free text, may be) personal — or every field — with why and how long it is kept.",
  })
  recordOfProcessing(
    @Arg("personalOnly", () => Boolean, { defaultValue: true }) personalOnly: boolean,
  ): ProcessingEntry[] {
    return recordOfProcessing(personalOnly);
  }
}
