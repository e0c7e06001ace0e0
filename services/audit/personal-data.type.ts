/** GraphQL types of what the ledger holds about people, for the data protection officer. */
import { Field, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "One line of the record of processing (GDPR art. 30): a stored field, whether it is personal, why it is kept and for how long.",
})
export class ProcessingEntry {
  @Field({ description: "`event`, `metadata` or `read model`." })
  kind: string;

  @Field({ description: "The event type, or the read model's projection and table (`access_grants.grants`)." })
  record: string;

  @Field({ description: "The field's path (`signatories.person`) or column." })
  field: string;

  @Field({ description: "reference, institutional, person-name, person-role, recorder or free-text." })
  category: string;

  @Field({ description: "`yes` when the value names or identifies a person, `may` for free text that can, `no`." })
  personal: string;

  @Field()
  purpose: string;

  @Field()
  legalBasis: string;

  @Field()
  retention: string;
}
