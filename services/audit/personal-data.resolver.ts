/** What the data protection officer asks of the ledger. */
import { Arg, Authorized, Ctx, Directive, ID, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../common/graphql/context";
import { listSize } from "../common/graphql/limits";
import { recordOfProcessing } from "./personal-data";
import { ProcessingEntry, SubjectAccessReport } from "./personal-data.type";
import { subjectAccess } from "./subject-access";

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

  @Authorized("dpo")
  @Directive("@cost(weight: 1000)")
  @Query(() => SubjectAccessReport, {
    description:
      "Subject access: everything the ledger holds about one person, read from the log — their record and every event that names them, with who recorded it.",
  })
  subjectAccess(
    @Ctx() context: GraphQLContext,
    @Arg("personId", () => ID) personId: string,
  ): Promise<SubjectAccessReport> {
    return subjectAccess(context.runtime.store, context.runtime.vault, personId) as Promise<SubjectAccessReport>;
  }
}
