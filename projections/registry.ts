/** Which service keeps which read models, each in its own file. */
import type { ProjectionDefinition } from "./projection";
import { accessGrants } from "./read-models/access-grants";
import { activityCalendar } from "./read-models/activity-calendar";
import { funding } from "./read-models/funding";
import { institutionDirectory } from "./read-models/institution-directory";
import { partnershipSummary } from "./read-models/partnership-summary";
import { people } from "./read-models/people";
import { eventIndex } from "./read-models/event-index";
import { ledgerTree } from "./read-models/ledger-tree";
import { reviewReminders } from "./read-models/review-reminders";
import { statistics } from "./read-models/statistics";

export const SERVICE_PROJECTIONS = {
  partnerships: [partnershipSummary, institutionDirectory, reviewReminders, accessGrants, people],
  activities: [activityCalendar, funding],
  audit: [statistics, eventIndex, ledgerTree],
} as const satisfies Record<string, readonly ProjectionDefinition[]>;

export type ServiceName = keyof typeof SERVICE_PROJECTIONS;

export const SERVICE_NAMES = Object.keys(SERVICE_PROJECTIONS) as ServiceName[];
