/** Queries of the partnerships subgraph, and the fields that join Partnership and Institution. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { checkBusinessDate } from "../../domain/validation";
import { InvalidInput } from "../../domain/decider";
import {
  institutionsByCountry,
  listInstitutions,
  membershipsOf,
} from "../../projections/read-models/institution-directory";
import { getPartnership, listPartnerships } from "../../projections/read-models/partnership-summary";
import { expiringWithin, reviewsOverdue, type ReminderRow } from "../../projections/read-models/review-reminders";
import type { GraphQLContext } from "../common/graphql/context";
import { listSize } from "../common/graphql/limits";
import { CONNECTION_SIZE, decodeCursor, pageSize, toConnection } from "../common/graphql/relay";
import { InstitutionFilter, PartnershipFilter } from "./partnership.input";
import {
  CountryCount,
  Institution,
  InstitutionConnection,
  Membership,
  Partnership,
  PartnershipConnection,
  Reminder,
  ReviewReminders,
} from "./partnership.type";
import { findInstitution, findInstitutions, findPartnership, toInstitution, toPartnership, views } from "./read";

@Resolver(() => Partnership)
export class PartnershipResolver {
  @Authorized()
  @Query(() => Partnership, { nullable: true })
  partnership(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext): Promise<Partnership | null> {
    return findPartnership(context, id);
  }

  @Authorized()
  @Directive(CONNECTION_SIZE)
  @Query(() => PartnershipConnection, { description: "Partnerships in id order, filtered, as a Relay connection." })
  async partnerships(
    @Ctx() context: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("filter", () => PartnershipFilter, { nullable: true }) filter?: PartnershipFilter,
  ) {
    const { rm, summary } = await views(context);
    const page = listPartnerships(rm, summary, { ...filter }, pageSize(first), decodeCursor("partnership", after));
    return toConnection(
      "partnership",
      page.items.map(toPartnership),
      (p) => p.id,
      page.totalCount,
      page.hasNextPage,
      after !== undefined && after !== null,
    );
  }

  @Directive(listSize(30))
  @FieldResolver(() => [Institution])
  async parties(@Root() partnership: Partnership, @Ctx() context: GraphQLContext): Promise<Institution[]> {
    return findInstitutions(context, partnership.partyIds);
  }

  @FieldResolver(() => Int, {
    description:
      "The partnership stream's revision now, read from the log: send it as a command's expectedRevision, and a change made meanwhile by someone else is a CONFLICT instead of being overwritten.",
  })
  async revision(@Root() partnership: Partnership, @Ctx() context: GraphQLContext): Promise<number> {
    for await (const event of context.runtime.store.readStream(`partnership-${partnership.id}`, {
      direction: "backwards",
      maxCount: 1,
    })) {
      return event.revision;
    }
    return -1;
  }

  @Authorized()
  @Query(() => ReviewReminders, { description: "What the commission should look at on a date (default today)." })
  async reviewReminders(
    @Ctx() context: GraphQLContext,
    @Arg("asOf", () => String, { nullable: true, description: "YYYY-MM-DD; default today." }) asOf?: string,
    @Arg("expiringWithinMonths", () => Int, { defaultValue: 6 }) months = 6,
  ): Promise<ReviewReminders> {
    const day = asOf ?? new Date().toISOString().slice(0, 10);
    checkBusinessDate("asOf", day);
    if (day.length !== 10) throw new InvalidInput("asOf", "must be a day, YYYY-MM-DD");
    if (!Number.isInteger(months) || months < 0 || months > 120)
      throw new InvalidInput("expiringWithinMonths", "must be between 0 and 120");
    const { rm, reminders, summary } = await views(context);
    // The two read models catch up separately: a partnership the summary has not reached yet is left out
    // until it has, rather than failing the whole answer.
    const toReminders = (rows: readonly ReminderRow[]): Reminder[] =>
      rows.flatMap((row) => {
        const partnership = getPartnership(rm, summary, row.partnership_id);
        if (!partnership) return [];
        const { signed_on: signedOn, expires_on: expiresOn, last_review_on: lastReviewOn } = row;
        return [{ partnership: toPartnership(partnership), signedOn, expiresOn, lastReviewOn }];
      });
    return {
      reviewsOverdue: toReminders(reviewsOverdue(rm, reminders, day)),
      expiring: toReminders(expiringWithin(rm, reminders, day, months)),
    };
  }
}

@Resolver(() => Institution)
export class InstitutionResolver {
  @Authorized()
  @Query(() => Institution, { nullable: true })
  institution(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext): Promise<Institution | null> {
    return findInstitution(context, id);
  }

  @Authorized()
  @Directive(CONNECTION_SIZE)
  @Query(() => InstitutionConnection, { description: "Institutions in id order, filtered, as a Relay connection." })
  async institutions(
    @Ctx() context: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("filter", () => InstitutionFilter, { nullable: true }) filter?: InstitutionFilter,
  ) {
    const { rm, directory } = await views(context);
    const page = listInstitutions(rm, directory, { ...filter }, pageSize(first), decodeCursor("institution", after));
    return toConnection(
      "institution",
      page.items.map(toInstitution),
      (i) => i.id,
      page.totalCount,
      page.hasNextPage,
      after !== undefined && after !== null,
    );
  }

  @Authorized()
  @Directive(listSize(250))
  @Query(() => [CountryCount], {
    description: "Institutions per country, and how many partnerships they take part in.",
  })
  async institutionsByCountry(@Ctx() context: GraphQLContext): Promise<CountryCount[]> {
    const { rm, directory } = await views(context);
    return institutionsByCountry(rm, directory);
  }

  @Directive(listSize(100))
  @FieldResolver(() => [Membership])
  async partnerships(@Root() institution: Institution, @Ctx() context: GraphQLContext): Promise<Membership[]> {
    const { rm, directory, summary } = await views(context);
    return membershipsOf(rm, directory, institution.id).flatMap((membership) => {
      const row = getPartnership(rm, summary, membership.partnership_id);
      return row ? [{ partnership: toPartnership(row), status: membership.status }] : [];
    });
  }
}
