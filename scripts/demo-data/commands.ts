/**
 * The demo dataset (../shared/data/partnerships.json) as commands: every institution registered, every
 * partnership proposed, every dated fact recorded through the command its kind calls for, with its verbatim
 * quote as the source. Pure: the same file always gives the same commands and command ids, so importing twice
 * appends nothing the second time.
 *
 * The mapping reads the data as it is and invents nothing; where a fact's kind is coarser than the model (an
 * "other" fact that says when the cooperation began), OVERRIDES says what it is, checked against the fact's
 * date so a changed dataset fails loudly instead of mapping wrong.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Headcount, Source } from "../../domain/decider";
import type { Duration, InstitutionKind, Scope } from "../../events/catalogue";
import type { PasserelleCommand } from "../../domain/deciders";
import { repoRoot } from "../../services/common/paths";

export interface DatasetInstitution {
  readonly id: string;
  readonly name: string;
  readonly kind: InstitutionKind;
  readonly country: string | null;
  readonly city: string | null;
}

export type FactKind =
  | "agreement_signed"
  | "mission"
  | "training"
  | "delegation_hosted"
  | "funding"
  | "suspension"
  | "resumption"
  | "audit"
  | "other";

export interface DatasetFact {
  readonly kind: FactKind;
  readonly date: string;
  readonly dateInferred: boolean;
  readonly planned: boolean;
  readonly summary: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  readonly quote: string;
  readonly source: string;
}

export interface DatasetPartnership {
  readonly id: string;
  readonly title: string;
  readonly scope: Scope;
  readonly parties: readonly string[];
  readonly countries: readonly string[];
  readonly themes: readonly string[];
  readonly timeline: readonly DatasetFact[];
}

export interface Dataset {
  readonly institutions: readonly DatasetInstitution[];
  readonly partnerships: readonly DatasetPartnership[];
}

export function readDataset(path: string): Dataset {
  return JSON.parse(readFileSync(path, "utf8")) as Dataset;
}

type Override =
  /** The fact says when the cooperation began. */
  | { readonly date: string; readonly as: "cooperation-start" }
  /** The fact is the first activity, and the source dates the cooperation from it. */
  | { readonly date: string; readonly as: "cooperation-start-and-fact" }
  /** A mission that was planned, then postponed; `missionOf` names the fact that later completes it. */
  | { readonly date: string; readonly as: "postponed-mission" }
  /** This fact completes the mission an earlier fact planned. */
  | { readonly date: string; readonly as: "completes-mission-of"; readonly fact: number }
  /** The amount is a ceiling ("jusqu'à"). */
  | { readonly date: string; readonly as: "funding-ceiling" };

const OVERRIDES: Readonly<Record<string, Override>> = {
  "limoges-china-hospital-governance#0": { date: "2010", as: "cooperation-start" },
  "france-china-health-ministries-cooperation#0": { date: "2010", as: "cooperation-start" },
  "angers-djibouti-paediatric-diabetology#0": { date: "2015", as: "cooperation-start" },
  "bordeaux-cameroon-paediatric-neurosurgery#0": { date: "2013", as: "cooperation-start" },
  "montpellier-yaounde-central-hospital#1": { date: "2004", as: "cooperation-start" },
  "nancy-dakar-haematology#0": { date: "2017", as: "cooperation-start" },
  "nantes-jeremie-haiti-maternal-health#0": { date: "2016", as: "cooperation-start" },
  "orleans-ulaanbaatar-trauma-hospital#0": { date: "2009", as: "cooperation-start" },
  "orleans-mongolian-armed-forces-hospital#0": { date: "2022", as: "cooperation-start" },
  "rennes-redemption-hospital-liberia#0": { date: "2007", as: "cooperation-start" },
  "saint-etienne-enfants-du-noma-missions#0": { date: "2018", as: "cooperation-start" },
  // "Deux missions exploratoires en 2019", then the actions were suspended: the cooperation dates from them.
  "amiens-aswan-antibiotic-stewardship#0": { date: "2019", as: "cooperation-start-and-fact" },
  // "La mission biomédicale prévue en 2020 a été reportée à cause du Covid", then it "went in 2022".
  "montpellier-yaounde-central-hospital#12": { date: "2020", as: "postponed-mission" },
  "montpellier-yaounde-central-hospital#13": { date: "2022", as: "completes-mission-of", fact: 12 },
  "martinique-cares-oecs-interreg#0": { date: "2023-05", as: "funding-ceiling" },
};

/** Funder names as the facts give them, to institution ids. */
const FUNDERS: Readonly<Record<string, string>> = {
  DGOS: "dgos",
  Amani: "amani",
  PCRF: "pcrf",
  "FEDER and FED (Interreg Caraïbes)": "interreg-caraibes",
  "Expertise France": "expertise-france",
  "fonds APCHI": "fonds-apchi",
  "Hôpital central de Yaoundé": "hopital-central-yaounde",
  "Ambassade de France en Chine": "ambassade-france-chine",
  "conseil régional de la région Centre": "region-centre",
  "Union européenne": "union-europeenne",
  "Région Réunion": "region-reunion",
  "Ambassade de France à Madagascar": "ambassade-france-madagascar",
};

/** Details that the model carries elsewhere, or that only explain the date (kept in the source's dateBasis). */
const CONSUMED_DETAILS = new Set(["dateBasis", "snapshot", "contextual"]);

export interface CommandOptions {
  /** When the import runs: the commands' `now`. */
  readonly now: string;
  readonly actor?: string;
}

/** Every command of the demo import, in the order to run them. */
export function demoCommands(dataset: Dataset, options: CommandOptions): PasserelleCommand[] {
  const actor = options.actor ?? "import";
  const metadata = (commandId: string) => ({ commandId: `import:${commandId}`, actor, now: options.now });
  const commands: PasserelleCommand[] = dataset.institutions.map((institution) => ({
    type: "RegisterInstitution",
    data: {
      institutionId: institution.id,
      name: institution.name,
      kind: institution.kind,
      country: institution.country,
      city: institution.city,
    },
    metadata: metadata(`institution:${institution.id}`),
  }));
  for (const partnership of dataset.partnerships) {
    commands.push({
      type: "ProposePartnership",
      data: {
        partnershipId: partnership.id,
        title: partnership.title,
        scope: partnership.scope,
        parties: partnership.parties,
        themes: partnership.themes,
        countries: partnership.countries,
      },
      metadata: metadata(`${partnership.id}:proposed`),
    });
    partnership.timeline.forEach((fact, index) => {
      factCommands(partnership, fact, index).forEach((command, n) =>
        commands.push({ ...command, metadata: metadata(`${partnership.id}:${index}:${n}`) } as PasserelleCommand),
      );
    });
  }
  return commands;
}

/** A command before its metadata: distributes over the union so each literal is checked against its own type. */
type Unsent = PasserelleCommand extends infer C ? (C extends PasserelleCommand ? Omit<C, "metadata"> : never) : never;

function factCommands(partnership: DatasetPartnership, fact: DatasetFact, index: number): Unsent[] {
  const key = `${partnership.id}#${index}`;
  const override = OVERRIDES[key];
  if (override && override.date !== fact.date) {
    throw new Error(`demo data changed: ${key} is dated ${fact.date}, the mapping expects ${override.date}`);
  }
  const partnershipId = partnership.id;
  const details = fact.details ?? {};
  const source: Source = {
    document: fact.source,
    quote: fact.quote,
    ...(typeof details.dateBasis === "string" ? { dateBasis: details.dateBasis } : {}),
  };
  const activityId = `${partnershipId}-${index}`;
  const startCooperation: Unsent = { type: "StartCooperation", data: { partnershipId, startedOn: fact.date, source } };
  const destination = {
    country:
      partnership.scope === "international" && partnership.countries.length === 1 ? partnership.countries[0]! : null,
    place: text(details.place),
  };
  const participants = headcount(details.participants, details.participantsMoreThan);
  const duration = durationOf(details);
  const recurrence = text(details.recurrence);

  switch (override?.as) {
    case "cooperation-start":
      return [startCooperation];
    case "postponed-mission":
      return [
        {
          type: "PlanMission",
          data: {
            missionId: activityId,
            partnershipId,
            purpose: fact.summary,
            destination,
            plannedStart: fact.date,
            source,
          },
        },
        {
          type: "PostponeMission",
          data: { missionId: activityId, reason: fact.summary, postponedOn: fact.date, source },
        },
      ];
    case "completes-mission-of":
      return [
        {
          type: "CompleteMission",
          data: {
            missionId: `${partnershipId}-${override.fact}`,
            completedOn: fact.date,
            outcome: fact.summary,
            source,
          },
        },
      ];
    default:
      break;
  }

  const recorded = ((): Unsent[] => {
    switch (fact.kind) {
      case "agreement_signed": {
        const period = text(details.period);
        return [
          {
            type: "SignMoU",
            data: {
              partnershipId,
              signedOn: fact.date,
              // "convention 2025-2029": the period's last year is when it ends.
              expiresOn: period && /^\d{4}-\d{4}$/.test(period) ? period.slice(5) : null,
              agreements: typeof details.agreements === "number" ? details.agreements : 1,
              place: text(details.place),
              title: fact.summary,
              source,
            },
          },
        ];
      }
      case "mission":
      case "audit": {
        const description = {
          purpose: fact.summary,
          destination,
          participants,
          trips: typeof details.missions === "number" ? details.missions : 1,
          duration,
          recurrence,
        };
        const endDate = text(details.endDate);
        return fact.planned
          ? [
              {
                type: "PlanMission",
                data: {
                  missionId: activityId,
                  partnershipId,
                  ...description,
                  plannedStart: fact.date,
                  plannedEnd: endDate,
                  source,
                },
              },
            ]
          : [
              {
                type: "CompleteMission",
                data: {
                  missionId: activityId,
                  partnershipId,
                  ...description,
                  startedOn: endDate ? fact.date : null,
                  completedOn: endDate ?? fact.date,
                  source,
                },
              },
            ];
      }
      case "training": {
        const training = {
          trainingId: activityId,
          partnershipId,
          topic: fact.summary,
          traineeCount: participants,
          place: text(details.place),
          from: fact.date,
          duration,
          recurrence,
          source,
        };
        return fact.planned
          ? [{ type: "ScheduleTraining", data: training }]
          : [{ type: "RecordTraining", data: training }];
      }
      case "delegation_hosted": {
        const delegation = {
          delegationId: activityId,
          partnershipId,
          purpose: fact.summary,
          origin: { country: destination.country, institutions: [] },
          visitors: participants,
          from: fact.date,
          to: text(details.endDate),
          place: text(details.place),
          source,
        };
        return fact.planned
          ? [{ type: "ScheduleDelegation", data: delegation }]
          : [{ type: "HostDelegation", data: delegation }];
      }
      case "funding": {
        const funders = String(details.funder ?? "")
          .split(";")
          .map((name) => name.trim())
          .filter(Boolean)
          .map((name) => {
            const id = FUNDERS[name];
            if (!id) throw new Error(`demo data: no institution for funder ${JSON.stringify(name)} (${key})`);
            return id;
          });
        const amount =
          typeof details.amountEUR === "number"
            ? { value: String(details.amountEUR), currency: "EUR", ceiling: override?.as === "funding-ceiling" }
            : null;
        return [
          {
            type: "GrantFunding",
            data: {
              fundingId: activityId,
              partnershipId,
              funders,
              amount,
              grantedOn: fact.date,
              purpose: fact.summary,
              source,
            },
          },
        ];
      }
      case "suspension":
        return [
          { type: "SuspendPartnership", data: { partnershipId, suspendedOn: fact.date, reason: fact.summary, source } },
        ];
      case "resumption":
        return [{ type: "ResumePartnership", data: { partnershipId, resumedOn: fact.date, source } }];
      case "other":
        return [
          {
            type: "RecordMilestone",
            data: {
              partnershipId,
              occurredOn: fact.date,
              summary: fact.summary,
              planned: fact.planned,
              contextual: details.contextual === true,
              details: Object.fromEntries(Object.entries(details).filter(([name]) => !CONSUMED_DETAILS.has(name))),
              source,
            },
          },
        ];
    }
  })();
  return override?.as === "cooperation-start-and-fact" ? [startCooperation, ...recorded] : recorded;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function headcount(exactly: unknown, moreThan: unknown): Headcount | null {
  if (typeof exactly === "number") return { count: exactly };
  if (typeof moreThan === "number") return { count: moreThan, moreThan: true };
  return null;
}

function durationOf(details: Readonly<Record<string, unknown>>): Duration | null {
  if (typeof details.durationDays === "number") return { amount: details.durationDays, unit: "day" };
  if (typeof details.durationMonths === "number") return { amount: details.durationMonths, unit: "month" };
  if (typeof details.durationYears === "number") return { amount: details.durationYears, unit: "year" };
  return null;
}

/** Where the demo dataset lives: PASSERELLE_DEMO_DATA, or ../shared/data/partnerships.json beside the repository. */
export function demoDataPath(): string {
  return process.env.PASSERELLE_DEMO_DATA ?? join(repoRoot(), "..", "shared", "data", "partnerships.json");
}
