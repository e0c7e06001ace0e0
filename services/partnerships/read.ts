/** Read-model rows of this subgraph as GraphQL objects. */
import type { GraphQLContext } from "../common/graphql/context";
import { readModels } from "../common/graphql/context";
import type { ReadModelDatabase } from "../../projections/read-model-db";
import {
  getInstitution,
  getInstitutions,
  institutionDirectory,
  type InstitutionRow,
} from "../../projections/read-models/institution-directory";
import {
  getPartnership,
  partnershipSummary,
  type PartnershipSummary,
} from "../../projections/read-models/partnership-summary";
import { reviewReminders } from "../../projections/read-models/review-reminders";
import type { Institution, Partnership } from "./partnership.type";

export function toPartnership(row: PartnershipSummary): Partnership {
  return {
    id: row.id,
    title: row.title,
    scope: row.scope,
    status: row.status,
    partyIds: row.parties,
    countries: row.countries,
    themes: row.themes,
    cooperationSince: row.cooperation_since,
    agreement:
      row.signed_on === null || row.first_signed_on === null
        ? null
        : {
            firstSignedOn: row.first_signed_on,
            signedOn: row.signed_on,
            expiresOn: row.expires_on,
            signed: row.agreements_signed,
            amendments: row.amendments,
            renewals: row.renewals,
          },
    suspendedSince: row.suspended_since,
    terminatedOn: row.terminated_on,
    lastActivity:
      row.last_activity_on && row.last_activity_kind
        ? { on: row.last_activity_on, kind: row.last_activity_kind }
        : null,
    lastReview:
      row.last_review_on && row.last_review_outcome
        ? { on: row.last_review_on, outcome: row.last_review_outcome }
        : null,
    nextReviewOn: row.next_review_on,
    milestones: row.milestones,
  };
}

export function toInstitution(row: InstitutionRow): Institution {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    country: row.country,
    city: row.city,
    partnershipCount: row.partnerships,
  };
}

/** This subgraph's read models (after the caller's consistency wait) and their serving tables. */
export async function views(context: GraphQLContext) {
  const rm: ReadModelDatabase = await readModels(context);
  const { runner } = context.runtime;
  return {
    rm,
    summary: runner.tables(partnershipSummary),
    directory: runner.tables(institutionDirectory),
    reminders: runner.tables(reviewReminders),
  };
}

export async function findPartnership(context: GraphQLContext, id: string): Promise<Partnership | null> {
  const { rm, summary } = await views(context);
  const row = getPartnership(rm, summary, id);
  return row ? toPartnership(row) : null;
}

export async function findInstitution(context: GraphQLContext, id: string): Promise<Institution | null> {
  const { rm, directory } = await views(context);
  const row = getInstitution(rm, directory, id);
  return row ? toInstitution(row) : null;
}

export async function findInstitutions(context: GraphQLContext, ids: readonly string[]): Promise<Institution[]> {
  const { rm, directory } = await views(context);
  return getInstitutions(rm, directory, ids).map(toInstitution);
}
