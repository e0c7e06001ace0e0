/**
 * Replay for people and for other tools: a partnership's timeline as a person reads it, and the log (or part of
 * it) exported as JSON Lines or CSV. Both stream: memory stays flat however long the log.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { openMentions } from "../../events/personal-data/mentions";
import type { PersonalDataVault } from "../../events/personal-data/vault";
import { compareBusinessDates, parseBusinessDate } from "../../events/business-date";
import type { EventType, PasserelleEvent } from "../../events/catalogue";
import type { RecordedEvent } from "../../events/envelope";
import { START_POSITION } from "../../events/envelope";
import type { EventFilter, EventStore } from "../../events/port";
import { upcast } from "../../events/upcasters";
import { instant } from "./time-travel";

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

const HUMAN: Readonly<Record<EventType, string>> = {
  InstitutionRegistered: "Institution registered",
  InstitutionRenamed: "Institution renamed",
  PartnershipProposed: "Partnership proposed",
  CooperationStarted: "Cooperation started",
  MoUSigned: "Agreement signed",
  AgreementVersionApproved: "Agreement text approved",
  MoUAmended: "Agreement amended",
  MoURenewed: "Agreement renewed",
  PartnershipSuspended: "Partnership suspended",
  PartnershipResumed: "Partnership resumed",
  PartnershipTerminated: "Partnership terminated",
  CommissionReviewRecorded: "Commission review",
  MilestoneRecorded: "Milestone",
  FactCorrected: "Correction",
  MissionPlanned: "Mission planned",
  MissionPostponed: "Mission postponed",
  MissionStarted: "Mission started",
  MissionCompleted: "Mission completed",
  MissionCancelled: "Mission cancelled",
  DelegationScheduled: "Delegation visit scheduled",
  DelegationHosted: "Delegation hosted",
  DelegationCancelled: "Delegation visit cancelled",
  TrainingScheduled: "Training scheduled",
  TrainingRecorded: "Training given",
  TrainingCancelled: "Training cancelled",
  FundingGranted: "Funding granted",
  AccessGranted: "Access granted",
  AccessRevoked: "Access revoked",
  PersonRecorded: "Person recorded",
  PersonForgotten: "Person forgotten",
};

/** One line of what happened: the event's kind and its most telling words. */
function what(event: PasserelleEvent): string {
  const data = event.data as Record<string, unknown>;
  const detail =
    event.type === "FactCorrected"
      ? `of revision ${event.data.corrects.revision} (${HUMAN[event.data.corrects.type]}): ${event.data.reason}`
      : event.type === "CommissionReviewRecorded"
        ? `${event.data.outcome}, next review ${event.data.nextReviewOn}`
        : event.type === "FundingGranted"
          ? `by ${event.data.funders.join(", ")}${event.data.amount ? `, ${event.data.amount.ceiling ? "up to " : ""}${event.data.amount.value} ${event.data.amount.currency}` : ""}`
          : (["summary", "purpose", "topic", "title", "reason"]
              .map((key) => data[key])
              .find((v) => typeof v === "string") as string | undefined);
  return detail ? `${HUMAN[event.type] ?? event.type}: ${detail}` : (HUMAN[event.type] ?? event.type);
}

export interface TimelineOptions {
  readonly businessDate?: string | null;
  readonly recordedAt?: string | null;
  /** Opens the mentions of people in the text (or reads them as erased); without it they show sealed. */
  readonly vault?: PersonalDataVault;
}

/**
 * A partnership's timeline — its own stream's events and its activities' — in business-date order (undated
 * first), with who recorded what and the source quote. With `recordedAt`, only what the ledger knew then; with
 * `businessDate`, only what had certainly happened by then.
 */
export async function printTimeline(
  store: EventStore,
  partnershipId: string,
  out: Writable,
  options: TimelineOptions = {},
): Promise<number> {
  const recordedBy = options.recordedAt ? instant(options.recordedAt) : null;
  const asOf = options.businessDate ? parseBusinessDate(options.businessDate) : null;
  const entries: RecordedEvent[] = [];
  let title = partnershipId;
  for await (const stored of store.readAll()) {
    const event = upcast(stored);
    if ((event.data as { partnershipId?: unknown } | null)?.partnershipId !== partnershipId) continue;
    if (recordedBy !== null && event.recordedAt > recordedBy) continue;
    if (event.type === "PartnershipProposed") title = (event.data as { title: string }).title;
    const date = event.metadata.businessDate;
    // Only what had certainly happened by the end of the date asked (as time travel reads it).
    if (asOf && date && parseBusinessDate(date)!.last > asOf.last) continue;
    entries.push(options.vault ? { ...event, data: await openMentions(event.data, options.vault) } : event);
  }
  entries.sort((a, b) => {
    const [x, y] = [a.metadata.businessDate, b.metadata.businessDate];
    if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
    return compareBusinessDates(x, y);
  });
  await write(out, `${title} (${partnershipId})\n`);
  const scope = [
    recordedBy ? `as recorded by ${recordedBy}` : "",
    asOf ? `facts that had happened by ${asOf.text}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  if (scope) await write(out, `${scope}\n`);
  await write(out, "\n");
  for (const event of entries) {
    const date = (event.metadata.businessDate ?? "(undated)").padEnd(10);
    await write(out, `${date}  ${what(event as unknown as PasserelleEvent)}\n`);
    await write(
      out,
      `${" ".repeat(12)}recorded ${event.recordedAt.slice(0, 10)} by ${event.metadata.actor} (${event.streamId}@${event.revision})\n`,
    );
    const source = (event.data as { source?: { quote: string; document: string } | null }).source;
    if (source) await write(out, `${" ".repeat(12)}« ${source.quote} » — ${source.document}\n`);
  }
  return entries.length;
}

export type ExportFormat = "jsonl" | "csv";

export interface ExportOptions {
  readonly format: ExportFormat;
  readonly after?: string;
  readonly filter?: EventFilter;
  /** Only events of this partnership (its own stream's and its activities'). */
  readonly partnershipId?: string;
  readonly onProgress?: (exported: number) => void;
}

const CSV_COLUMNS = [
  "position",
  "recorded_at",
  "business_date",
  "stream_id",
  "revision",
  "type",
  "version",
  "actor",
  "command_id",
  "correlation_id",
  "causation_id",
  "hash",
  "id",
  "data",
  // Last, so the older columns keep their places; empty for events written before fingerprints existed.
  "command_hash",
] as const;

/** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The envelope as stored (not upcast), fields in a fixed order: lines that verify against the hash chain. */
export function jsonLine(event: RecordedEvent): string {
  const { position, id, type, version, streamId, revision, recordedAt, data, metadata } = event;
  return `${JSON.stringify({ position, id, type, version, streamId, revision, recordedAt, data, metadata })}\n`;
}

function csvLine(event: RecordedEvent): string {
  const m = event.metadata;
  const row = [
    event.position,
    event.recordedAt,
    m.businessDate,
    event.streamId,
    event.revision,
    event.type,
    event.version,
    m.actor,
    m.commandId,
    m.correlationId,
    m.causationId,
    m.hash,
    event.id,
    JSON.stringify(event.data),
    m.commandHash ?? null,
  ];
  return `${row.map(csvField).join(",")}\r\n`;
}

export async function exportEvents(store: EventStore, out: Writable, options: ExportOptions): Promise<number> {
  if (options.format === "csv") await write(out, `${CSV_COLUMNS.join(",")}\r\n`);
  let exported = 0;
  for await (const event of store.readAll({
    after: options.after ?? START_POSITION,
    ...(options.filter ? { filter: options.filter } : {}),
  })) {
    if (
      options.partnershipId !== undefined &&
      (event.data as { partnershipId?: unknown } | null)?.partnershipId !== options.partnershipId
    )
      continue;
    await write(out, options.format === "csv" ? csvLine(event) : jsonLine(event));
    exported += 1;
    if (exported % 1000 === 0) options.onProgress?.(exported);
  }
  options.onProgress?.(exported);
  return exported;
}
