/**
 * Review reminders for the international-relations commission (it sits twice a year): agreements with no
 * expiry whose last review (or signing, if never reviewed) is older than the commission's period, and
 * agreements expiring within N months. The rows hold dates; "older than" and "within" are asked at query time
 * with the date of the question, so the read model itself never depends on the clock.
 */
import { addMonths } from "../../events/business-date";
import { REVIEW_PERIOD_MONTHS } from "../../domain/partnerships/partnership.decider";
import { defineProjection, type Sql, type Tables } from "../projection";
import { FACTS_TABLE, createTable, days, onStatusChange, resetFacts, withCorrections, type Columns } from "./shared";

type Table = "agreements" | "facts";
type ReminderTables = Tables<Table>;

export interface ReminderRow {
  readonly partnership_id: string;
  readonly title: string;
  readonly status: string;
  readonly signed_on: string;
  readonly expires_on: string | null;
  readonly last_review_on: string | null;
  readonly next_review_on: string | null;
}

const followStatus = onStatusChange<Table>((sql, tables, partnershipId, status) =>
  sql.run(`UPDATE ${tables.agreements} SET status = ? WHERE partnership_id = ?`, status, partnershipId),
);

const NULL = { type: "TEXT", beforeFacts: "NULL" } as const;

/** One row per partnership's agreement: what the commission needs to see coming. */
const AGREEMENT_COLUMNS: Columns = {
  partnership_id: { type: "TEXT PRIMARY KEY" },
  title: { type: "TEXT NOT NULL" },
  status: { type: "TEXT NOT NULL", beforeFacts: "'proposed'" },
  signed_on: NULL,
  signed_last_day: NULL,
  expires_on: NULL,
  expires_first_day: NULL,
  expires_last_day: NULL,
  last_review_on: NULL,
  last_review_last_day: NULL,
  next_review_on: NULL,
};

export const reviewReminders = defineProjection<Table>({
  name: "review_reminders",
  version: 1,
  tables: ["agreements", "facts"],
  setup(sql, tables) {
    sql.run(createTable(tables.agreements, AGREEMENT_COLUMNS));
    sql.run(FACTS_TABLE(tables.facts));
  },
  handlers: withCorrections<Table>(
    {
      PartnershipProposed(event, sql, tables) {
        sql.run(
          `INSERT INTO ${tables.agreements} (partnership_id, title, status) VALUES (?, ?, 'proposed')`,
          event.data.partnershipId,
          event.data.title,
        );
      },
      CooperationStarted: followStatus,
      PartnershipSuspended: followStatus,
      PartnershipResumed: followStatus,
      PartnershipTerminated: followStatus,
      MoUSigned(event, sql, tables) {
        followStatus(event, sql, tables);
        const { partnershipId, signedOn, expiresOn } = event.data;
        const expiry = days(expiresOn);
        sql.run(
          `UPDATE ${tables.agreements} SET signed_on = ?, signed_last_day = ?, expires_on = ?, expires_first_day = ?, expires_last_day = ? WHERE partnership_id = ?`,
          signedOn,
          days(signedOn).last,
          expiresOn,
          expiry.first,
          expiry.last,
          partnershipId,
        );
      },
      MoURenewed(event, sql, tables) {
        const expiry = days(event.data.period.to);
        sql.run(
          `UPDATE ${tables.agreements} SET expires_on = ?, expires_first_day = ?, expires_last_day = ? WHERE partnership_id = ?`,
          event.data.period.to,
          expiry.first,
          expiry.last,
          event.data.partnershipId,
        );
      },
      CommissionReviewRecorded(event, sql, tables) {
        const { partnershipId, reviewedOn, nextReviewOn } = event.data;
        sql.run(
          `UPDATE ${tables.agreements} SET last_review_on = ?, last_review_last_day = ?, next_review_on = ? WHERE partnership_id = ?`,
          reviewedOn,
          days(reviewedOn).last,
          nextReviewOn,
          partnershipId,
        );
      },
    },
    (sql, tables, partnershipId) =>
      sql.run(resetFacts(tables.agreements, AGREEMENT_COLUMNS, "partnership_id"), { partnershipId }),
  ),
});

const COLUMNS = "partnership_id, title, status, signed_on, expires_on, last_review_on, next_review_on";

/**
 * Signed, open-ended agreements (active or suspended) not reviewed within the commission's period before
 * `asOf` (`YYYY-MM-DD`): their last review — or their signing, if never reviewed — ended before it.
 */
export function reviewsOverdue(
  sql: Sql,
  tables: ReminderTables,
  asOf: string,
  periodMonths = REVIEW_PERIOD_MONTHS,
): ReminderRow[] {
  const since = addMonths(asOf, -periodMonths)!;
  return sql.all<ReminderRow>(
    `SELECT ${COLUMNS} FROM ${tables.agreements}
     WHERE status IN ('active', 'suspended') AND signed_on IS NOT NULL AND expires_on IS NULL
       AND coalesce(last_review_last_day, signed_last_day) < ?
     ORDER BY coalesce(last_review_last_day, signed_last_day), partnership_id`,
    since,
  );
}

/** Agreements not terminated whose expiry may fall between `asOf` and `months` later. */
export function expiringWithin(sql: Sql, tables: ReminderTables, asOf: string, months: number): ReminderRow[] {
  const until = addMonths(asOf, months)!;
  return sql.all<ReminderRow>(
    `SELECT ${COLUMNS} FROM ${tables.agreements}
     WHERE status <> 'terminated' AND expires_on IS NOT NULL AND expires_last_day >= ? AND expires_first_day <= ?
     ORDER BY expires_last_day, partnership_id`,
    asOf,
    until,
  );
}
