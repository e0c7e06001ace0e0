/**
 * A synthetic ledger of any size for the benchmarks. Every event comes from a decider, as for a client's
 * command (every rule applies); the decisions about one stream are appended together, so a million events
 * take seconds rather than the hours a million round trips would.
 *
 * Each partnership holds about a hundred events: its agreement's life (18 events) and its activities —
 * 20 missions planned, started and completed, 6 delegations, 4 trainings, 2 grants.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { InstitutionRef, Known, PartnershipRef } from "../domain/decider";
import type { NewEvent } from "../events/envelope";
import type { EventStore } from "../events/port";
import { toNewEvents } from "../services/common/command-handler";
import { deciderFor, type PasserelleCommand } from "../domain/deciders";
import { institutionRef, type InstitutionState } from "../domain/partnerships/institution.decider";
import { partnershipRef, type PartnershipState } from "../domain/partnerships/partnership.decider";

export const EVENTS_PER_PARTNERSHIP = 100;
const INSTITUTIONS = 500;
const COUNTRIES = ["SN", "CN", "VN", "KH", "MA", "TN", "CM", "HT", "LB", "MG"];
const NOW = "2026-01-01T00:00:00.000Z";

type Draft = Omit<PasserelleCommand, "metadata">;

/** One entity's stream being decided: its commands are folded in memory, its events appended at the end. */
class StreamDraft {
  private state: unknown;
  readonly events: NewEvent[] = [];
  private readonly decider;

  constructor(
    readonly streamId: string,
    first: Draft,
  ) {
    this.decider = deciderFor(first as PasserelleCommand);
    this.state = this.decider.initialState;
  }

  decide(draft: Draft, known: Known, commandId: string): void {
    const command = { ...draft, metadata: { commandId, actor: "bench@passerelle", now: NOW } } as PasserelleCommand;
    const decided = this.decider.decide(command, this.state, known);
    this.state = decided.reduce(this.decider.evolve, this.state);
    this.events.push(...toNewEvents(command, decided));
  }

  get current(): unknown {
    return this.state;
  }
}

const hash = (n: number) => n.toString(16).padStart(64, "0");

export interface GrownLedger {
  readonly events: number;
  readonly partnershipIds: readonly string[];
}

/** Appends `partnerships` partnerships (about a hundred events each) after 500 registered institutions. */
export async function growLedger(
  store: EventStore,
  partnerships: number,
  onProgress?: (events: number) => void,
): Promise<GrownLedger> {
  const institutions = new Map<string, InstitutionRef>();
  let events = 0;
  // Not awaited one by one: the appends of a partnership's streams share the store's group commits.
  let inFlight: Promise<unknown>[] = [];
  const append = (draft: StreamDraft) => {
    inFlight.push(store.appendToStream(draft.streamId, draft.events));
    events += draft.events.length;
  };
  const settle = async () => {
    await Promise.all(inFlight);
    inFlight = [];
  };

  for (let i = 0; i < INSTITUTIONS; i++) {
    const id = `inst-${i}`;
    const register: Draft = {
      type: "RegisterInstitution",
      data: {
        institutionId: id,
        name: `Hôpital ${i}`,
        kind: i % 2 ? "hospital" : "university",
        country: COUNTRIES[i % 10],
        city: null,
      },
    };
    const stream = new StreamDraft(`institution-${id}`, register);
    stream.decide(register, { institutions: new Map(), partnerships: new Map() }, `register-${id}`);
    institutions.set(id, institutionRef(stream.current as InstitutionState)!);
    append(stream);
  }
  await settle();

  const partnershipIds: string[] = [];
  for (let p = 0; p < partnerships; p++) {
    const partnershipId = `bench-${p}`;
    partnershipIds.push(partnershipId);
    const parties = ["inst-0", `inst-${1 + (p % (INSTITUTIONS - 1))}`];
    const partnershipRefs = new Map<string, PartnershipRef>();
    const known: Known = { institutions, partnerships: partnershipRefs };
    const propose: Draft = {
      type: "ProposePartnership",
      data: {
        partnershipId,
        title: `Partenariat ${p}`,
        scope: "international",
        parties,
        themes: [`theme-${p % 12}`],
        countries: [COUNTRIES[p % 10]!],
      },
    };
    const partnership = new StreamDraft(`partnership-${partnershipId}`, propose);
    const signed = 2010 + (p % 5);
    const commands: Draft[] = [
      propose,
      { type: "SignMoU", data: { partnershipId, signedOn: `${signed}-01-15`, expiresOn: null } },
      {
        type: "AmendMoU",
        data: {
          partnershipId,
          amendedOn: `${signed + 1}-03-01`,
          versionHash: hash(p + 1),
          summary: "Annexe financière",
        },
      },
      {
        type: "RenewMoU",
        data: { partnershipId, renewedOn: `${signed + 5}-01-10`, period: { from: `${signed + 5}`, to: null } },
      },
      ...Array.from({ length: 6 }, (_, r): Draft => ({
        type: "RecordCommissionReview",
        data: { partnershipId, reviewedOn: `${signed + r}-06-20`, outcome: "continue" },
      })),
      ...Array.from({ length: 8 }, (_, m): Draft => ({
        type: "RecordMilestone",
        data: { partnershipId, occurredOn: `${signed + m}-11`, summary: `Conteneur ${m} de matériel médical expédié` },
      })),
    ];
    commands.forEach((command, c) => partnership.decide(command, known, `${partnershipId}-${c}`));
    append(partnership);
    partnershipRefs.set(partnershipId, partnershipRef(partnership.current as PartnershipState)!);

    const country = COUNTRIES[p % 10]!;
    for (let m = 0; m < 20; m++) {
      const missionId = `${partnershipId}-m${m}`;
      const start = `${2011 + (m % 14)}-${String(1 + (m % 12)).padStart(2, "0")}-10`;
      const plan: Draft = {
        type: "PlanMission",
        data: {
          missionId,
          partnershipId,
          purpose: "Formation en chirurgie cardiaque",
          destination: { country, place: null },
          participants: { count: 3 },
          plannedStart: start,
        },
      };
      const mission = new StreamDraft(`mission-${missionId}`, plan);
      mission.decide(plan, known, `${missionId}-plan`);
      mission.decide({ type: "StartMission", data: { missionId, startedOn: start } }, known, `${missionId}-start`);
      mission.decide(
        {
          type: "CompleteMission",
          data: { missionId, completedOn: start.replace(/10$/, "24"), outcome: "Deux opérations réalisées" },
        },
        known,
        `${missionId}-complete`,
      );
      append(mission);
    }
    for (let d = 0; d < 6; d++) {
      const delegationId = `${partnershipId}-d${d}`;
      const from = `${2012 + d}-04-02`;
      const schedule: Draft = {
        type: "ScheduleDelegation",
        data: {
          delegationId,
          partnershipId,
          purpose: "Visite des services",
          origin: { country, institutions: [parties[1]!] },
          visitors: { count: 5 },
          from,
        },
      };
      const delegation = new StreamDraft(`delegation-${delegationId}`, schedule);
      delegation.decide(schedule, known, `${delegationId}-schedule`);
      delegation.decide({ type: "HostDelegation", data: { delegationId } }, known, `${delegationId}-host`);
      append(delegation);
    }
    for (let t = 0; t < 4; t++) {
      const trainingId = `${partnershipId}-t${t}`;
      const schedule: Draft = {
        type: "ScheduleTraining",
        data: {
          trainingId,
          partnershipId,
          topic: "Soins infirmiers en réanimation",
          traineeCount: { count: 4 },
          from: `${2013 + t}-09-15`,
        },
      };
      const training = new StreamDraft(`training-${trainingId}`, schedule);
      training.decide(schedule, known, `${trainingId}-schedule`);
      training.decide({ type: "RecordTraining", data: { trainingId } }, known, `${trainingId}-record`);
      append(training);
    }
    for (let f = 0; f < 2; f++) {
      const fundingId = `${partnershipId}-f${f}`;
      const grant: Draft = {
        type: "GrantFunding",
        data: {
          fundingId,
          partnershipId,
          funders: ["inst-0"],
          amount: { value: String(10000 * (f + 1)), currency: "EUR" },
          grantedOn: `${2014 + f}-02`,
        },
      };
      const funding = new StreamDraft(`funding-${fundingId}`, grant);
      funding.decide(grant, known, `${fundingId}-grant`);
      append(funding);
    }
    await settle();
    onProgress?.(events);
  }
  return { events, partnershipIds };
}

export interface LedgerDir {
  /** A data directory whose events.db holds the ledger. */
  readonly dataDir: string;
  readonly events: number;
}

/** A data directory holding a grown ledger, progress told every 100,000 events. */
export async function ledgerDir(
  directory: string,
  partnerships: number,
  say: (text: string) => void,
): Promise<LedgerDir> {
  mkdirSync(directory, { recursive: true });
  // Generation is not what is measured: no fsync per commit here.
  const store = openSqliteEventStore({ path: join(directory, "events.db"), durability: "off" });
  const expected = INSTITUTIONS + partnerships * EVENTS_PER_PARTNERSHIP;
  let reported = 0;
  const grown = await growLedger(store, partnerships, (events) => {
    if (events - reported >= 100_000) {
      say(`  ${events} / ${expected} events`);
      reported = events;
    }
  });
  await store.close();
  return { dataDir: directory, events: grown.events };
}
