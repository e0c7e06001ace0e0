/**
 * What the ledger holds about people: every string field of every event classified, so the data protection
 * officer's record of processing (GDPR article 30) is read from the code that stores the data, not written beside
 * it. The type below makes the compiler insist on an entry for every string field of every event's data; a test
 * walks real events and every read-model column for anything the types cannot see.
 */
import type { EventOf, EventType } from "./index";

/**
 * The kinds of data the ledger keeps, each with why and for how long. `personal`: `yes` when the value names or
 * identifies a person, `may` for free text that can (a quote, a reason), `no` otherwise.
 */
export const DATA_CATEGORIES = {
  reference: {
    personal: "no",
    description: "identifiers, codes, dates, hashes, amounts, enumerations",
    purpose: "identify and date the ledger's facts",
    legalBasis: "not personal data",
    retention: "the life of the ledger",
  },
  institutional: {
    personal: "no",
    description: "names of institutions, places, themes, titles and purposes of partnerships and activities",
    purpose: "describe the partnerships the commission reviews",
    legalBasis: "not personal data",
    retention: "the life of the ledger",
  },
  "person-name": {
    personal: "yes",
    description: "the name of a person who signed, approved or took part",
    purpose: "show who committed an institution, as the source documents do",
    legalBasis:
      "public task of the hospital (GDPR art. 6(1)(e)): the management of its international cooperation agreements",
    retention: "while the partnership's record is kept; erasable on request or by the retention policy",
  },
  "person-role": {
    personal: "yes",
    description: "the title or function of a named person (« directeur général », « présidente »)",
    purpose: "show in which capacity a person committed an institution",
    legalBasis: "public task of the hospital (GDPR art. 6(1)(e))",
    retention: "as the person's name",
  },
  recorder: {
    personal: "yes",
    description: "who recorded a fact or issued a command: the subject of their sign-on token (a pseudonym)",
    purpose: "accountability: an auditor can tell who recorded what and when",
    legalBasis:
      "legal obligation and public task (GDPR art. 6(1)(c) and (e)): the traceability of the hospital's records",
    retention: "the life of the ledger (an audit trail is exempt from erasure while needed, GDPR art. 17(3)(b))",
  },
  sealed: {
    personal: "yes",
    description: "a person's name and title, sealed with that person's own key (AES-256-GCM) before it enters the log",
    purpose: "show who signed or acts for an institution, and erase them without rewriting the log",
    legalBasis: "public task of the hospital (GDPR art. 6(1)(e))",
    retention: "until the person is forgotten (on request or by the retention policy): the key is destroyed",
  },
  "free-text": {
    personal: "may",
    description: "summaries, reasons, notes, outcomes and verbatim quotes of source documents: they can name people",
    purpose: "keep what the sources say, for the commission and the auditors",
    legalBasis: "public task of the hospital (GDPR art. 6(1)(e))",
    retention: "the life of the ledger; a person named in it is recorded as a person and erased as such",
  },
} as const;

export type DataCategory = keyof typeof DATA_CATEGORIES;

/** A FactCorrected's `before` and `after` are the corrected fact's data, classified as that fact's fields. */
export const AS_CORRECTED = "as-corrected";

/** Every string field of a value, each given its category; numbers and booleans need none. */
type Classified<T> =
  NonNullable<T> extends infer U
    ? [U] extends [string]
      ? DataCategory
      : [U] extends [readonly (infer E)[]]
        ? Classified<E>
        : [U] extends [number | boolean]
          ? never
          : string extends keyof U
            ? DataCategory
            : NoneIfEmpty<{
                readonly [K in keyof U as [Classified<U[K]>] extends [never] ? never : K]-?: Classified<U[K]>;
              }>
    : never;
/** An object without a string field (a headcount) has nothing to classify. */
type NoneIfEmpty<O> = [keyof O] extends [never] ? never : O;

type CorrectionData = EventOf<"FactCorrected">["data"];
type EventClassification = {
  readonly [T in Exclude<EventType, "FactCorrected">]: Classified<EventOf<T>["data"]>;
} & {
  readonly FactCorrected: Classified<Omit<CorrectionData, "before" | "after">> & {
    readonly before: typeof AS_CORRECTED;
    readonly after: typeof AS_CORRECTED;
  };
};

const SOURCE = { document: "institutional", quote: "free-text", dateBasis: "free-text" } as const;
const PLACE = { country: "reference", place: "institutional" } as const;
const DURATION = { unit: "reference" } as const;
const PERIOD = { from: "reference", to: "reference" } as const;
const MISSION = {
  purpose: "free-text",
  destination: PLACE,
  duration: DURATION,
  recurrence: "institutional",
  missionId: "reference",
  partnershipId: "reference",
} as const;
const DELEGATION = {
  purpose: "free-text",
  origin: { country: "reference", institutions: "reference" },
  from: "reference",
  to: "reference",
  place: "institutional",
  delegationId: "reference",
  partnershipId: "reference",
  source: SOURCE,
} as const;
const TRAINING = {
  topic: "institutional",
  trainees: "free-text",
  place: "institutional",
  from: "reference",
  to: "reference",
  duration: DURATION,
  recurrence: "institutional",
  trainingId: "reference",
  partnershipId: "reference",
  source: SOURCE,
} as const;
const CANCELLED = { partnershipId: "reference", reason: "free-text", cancelledOn: "reference" } as const;

/** The category of every string field of every event's data, by event type and field. */
export const EVENT_FIELDS: EventClassification = {
  InstitutionRegistered: {
    institutionId: "reference",
    name: "institutional",
    kind: "reference",
    country: "reference",
    city: "institutional",
  },
  InstitutionRenamed: { institutionId: "reference", name: "institutional", previousName: "institutional" },
  PartnershipProposed: {
    partnershipId: "reference",
    title: "institutional",
    scope: "reference",
    parties: "reference",
    themes: "institutional",
    countries: "reference",
    versionHash: "reference",
    proposedOn: "reference",
    source: SOURCE,
  },
  CooperationStarted: { partnershipId: "reference", startedOn: "reference", source: SOURCE },
  MoUSigned: {
    partnershipId: "reference",
    signedOn: "reference",
    expiresOn: "reference",
    signatories: { institutionId: "reference", person: "person-name", role: "person-role" },
    versionHash: "reference",
    title: "institutional",
    place: "institutional",
    source: SOURCE,
  },
  AgreementVersionApproved: {
    partnershipId: "reference",
    institutionId: "reference",
    versionHash: "reference",
    approvedOn: "reference",
    approvedBy: "free-text",
  },
  MoUAmended: {
    partnershipId: "reference",
    amendedOn: "reference",
    versionHash: "reference",
    summary: "free-text",
    source: SOURCE,
  },
  MoURenewed: { partnershipId: "reference", renewedOn: "reference", period: PERIOD, source: SOURCE },
  PartnershipSuspended: { partnershipId: "reference", suspendedOn: "reference", reason: "free-text", source: SOURCE },
  PartnershipResumed: { partnershipId: "reference", resumedOn: "reference", source: SOURCE },
  PartnershipTerminated: {
    partnershipId: "reference",
    noticeGivenOn: "reference",
    effectiveOn: "reference",
    reason: "free-text",
    source: SOURCE,
  },
  CommissionReviewRecorded: {
    partnershipId: "reference",
    reviewedOn: "reference",
    outcome: "reference",
    notes: "free-text",
    nextReviewOn: "reference",
  },
  MilestoneRecorded: {
    partnershipId: "reference",
    occurredOn: "reference",
    summary: "free-text",
    details: "free-text",
    source: SOURCE,
  },
  FactCorrected: {
    partnershipId: "reference",
    corrects: { type: "reference" },
    before: AS_CORRECTED,
    after: AS_CORRECTED,
    reason: "free-text",
    source: SOURCE,
  },
  MissionPlanned: {
    ...MISSION,
    plannedStart: "reference",
    plannedEnd: "reference",
    plannedOn: "reference",
    source: SOURCE,
  },
  MissionPostponed: {
    missionId: "reference",
    partnershipId: "reference",
    reason: "free-text",
    postponedOn: "reference",
    plannedStart: "reference",
    plannedEnd: "reference",
    source: SOURCE,
  },
  MissionStarted: { missionId: "reference", partnershipId: "reference", startedOn: "reference" },
  MissionCompleted: {
    ...MISSION,
    startedOn: "reference",
    completedOn: "reference",
    outcome: "free-text",
    source: SOURCE,
  },
  MissionCancelled: { ...CANCELLED, missionId: "reference" },
  DelegationScheduled: DELEGATION,
  DelegationHosted: DELEGATION,
  DelegationCancelled: { ...CANCELLED, delegationId: "reference" },
  TrainingScheduled: TRAINING,
  TrainingRecorded: TRAINING,
  TrainingCancelled: { ...CANCELLED, trainingId: "reference" },
  FundingGranted: {
    fundingId: "reference",
    partnershipId: "reference",
    funders: "reference",
    amount: { value: "reference", currency: "reference" },
    grantedOn: "reference",
    period: PERIOD,
    purpose: "free-text",
    source: SOURCE,
  },
  AccessGranted: { grantee: "recorder", institutionId: "reference" },
  AccessRevoked: { grantee: "recorder", institutionId: "reference" },
  PersonRecorded: { personId: "reference", institutionId: "reference", identity: "sealed" },
  PersonForgotten: { personId: "reference", basis: "reference" },
};

/** Every event's metadata: who and when, the same for all. */
export const METADATA_FIELDS = {
  actor: "recorder",
  commandId: "reference",
  correlationId: "reference",
  causationId: "reference",
  businessDate: "reference",
  commandHash: "reference",
  hash: "reference",
} as const satisfies Record<string, DataCategory>;

type Node = DataCategory | typeof AS_CORRECTED | { readonly [field: string]: Node };

/**
 * The category of the string at `path` in an event's data (array indexes skipped), or undefined when nothing
 * classifies it. A correction's `before` and `after` read as the corrected fact's fields.
 */
export function categoryOf(type: string, path: readonly (string | number)[], data?: unknown): DataCategory | undefined {
  let node: Node | undefined = (EVENT_FIELDS as unknown as Record<string, Node>)[type];
  for (const [i, step] of path.entries()) {
    if (typeof step === "number") continue;
    if (node === AS_CORRECTED) {
      const corrected = (data as { corrects?: { type?: string } } | undefined)?.corrects?.type;
      return corrected ? categoryOf(corrected, path.slice(i)) : undefined;
    }
    // A category on an object (a free map of details) covers every key under it.
    if (typeof node === "string" || node === undefined) return node;
    node = node[step];
  }
  return typeof node === "string" && node !== AS_CORRECTED ? node : undefined;
}

/** Every string in a value with its path: what a classification must cover. */
export function* stringsOf(value: unknown, path: (string | number)[] = []): Generator<readonly (string | number)[]> {
  if (typeof value === "string") yield path;
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* stringsOf(item, [...path, i]);
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) yield* stringsOf(item, [...path, key]);
}

/** One line of the record of processing: a field, what it is, why it is kept and for how long. */
export interface ProcessingEntry {
  readonly record: string;
  readonly field: string;
  readonly category: DataCategory;
  readonly personal: "yes" | "may" | "no";
  readonly purpose: string;
  readonly legalBasis: string;
  readonly retention: string;
}

/** The classification flattened, `signatories[].person` style, under `record` (an event type, a table). */
export function* processingEntries(record: string, node: Node, prefix = ""): Generator<ProcessingEntry> {
  if (node === AS_CORRECTED) return;
  if (typeof node === "string") {
    const { personal, purpose, legalBasis, retention } = DATA_CATEGORIES[node];
    yield { record, field: prefix, category: node, personal, purpose, legalBasis, retention };
    return;
  }
  for (const [field, child] of Object.entries(node)) {
    yield* processingEntries(record, child, prefix ? `${prefix}.${field}` : field);
  }
}
