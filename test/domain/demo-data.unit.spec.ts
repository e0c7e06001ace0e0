/**
 * Issue 4's proof: every fact of the demo dataset, as commands the deciders accept, with the states they lead
 * to checked against what the source documents say.
 */
import { demoCommands, demoDataPath, readDataset, type DatasetFact } from "../../scripts/demo-data/commands";
import type { Partnership } from "../../domain/partnerships/partnership.decider";
import type { Mission } from "../../domain/activities/mission.decider";
import type { FundingState } from "../../domain/activities/funding.decider";
import type { DomainEvent } from "../../domain/decider";
import { businessDateOf, type PasserelleEvent } from "../../events/catalogue";
import { PureWorld } from "../support/pure-world";
import { NOW } from "../support/decider-spec";

const dataset = readDataset(demoDataPath());
const commands = demoCommands(dataset, { now: NOW });
const world = new PureWorld();
const produced = new Map<string, DomainEvent[]>();
for (const command of commands) produced.set(command.metadata.commandId, world.execute(command));

const facts = dataset.partnerships.flatMap((p) =>
  p.timeline.map((fact, index) => ({ partnership: p.id, index, fact })),
);
const factsOf = (kinds: DatasetFact["kind"][], planned: boolean) =>
  facts.filter(({ fact }) => kinds.includes(fact.kind) && fact.planned === planned);
const partnership = (id: string) => world.state<Partnership>(`partnership-${id}`)!;
const eventsOfType = (type: string) =>
  [...world.streams.values()].flatMap((s) => s.events).filter((e) => e.type === type);
const eventsOfFact = (partnershipId: string, index: number) =>
  [...produced.entries()]
    .filter(([id]) => id.startsWith(`import:${partnershipId}:${index}:`))
    .flatMap(([, events]) => events);

describe("the demo dataset as commands", () => {
  it("has what the data file says: 129 institutions, 43 partnerships, 139 facts", () => {
    expect(dataset.institutions).toHaveLength(129);
    expect(dataset.partnerships).toHaveLength(43);
    expect(facts).toHaveLength(139);
  });

  it("registers every institution and proposes every partnership with its parties", () => {
    expect(eventsOfType("InstitutionRegistered")).toHaveLength(129);
    for (const p of dataset.partnerships) {
      expect(partnership(p.id)).toMatchObject({
        id: p.id,
        parties: p.parties,
        countries: p.countries,
        themes: p.themes,
      });
    }
  });

  it("records every fact: each produces events that carry its date and its verbatim quote", () => {
    for (const { partnership: id, index, fact } of facts) {
      const events = eventsOfFact(id, index);
      expect(events.length).toBeGreaterThan(0);
      const text = JSON.stringify(events.map((e) => e.data));
      expect(text).toContain(JSON.stringify(fact.date));
      expect(events.some((e) => (e.data as { source?: { quote: string } }).source?.quote === fact.quote)).toBe(true);
    }
  });

  it("dates each fact's last event with the fact's own date, or the end of a span", () => {
    for (const { partnership: id, index, fact } of facts) {
      const events = eventsOfFact(id, index);
      const last = events[events.length - 1] as PasserelleEvent;
      const expected = fact.planned
        ? null
        : fact.details?.endDate && fact.kind === "mission"
          ? fact.details.endDate
          : fact.date;
      if (expected !== null) expect([id, index, businessDateOf(last)]).toEqual([id, index, expected]);
    }
  });

  it("counts activities as the facts do", () => {
    const past = factsOf(["mission", "audit"], false);
    const pastMissionStreams = [...world.streams.entries()].filter(
      ([id, s]) => id.startsWith("mission-") && (s.state as Mission).status === "completed",
    );
    // Montpellier's 2020 mission was planned, postponed, and completed by the 2022 fact: one stream, not two.
    expect(pastMissionStreams).toHaveLength(past.length);
    expect(eventsOfType("MissionPlanned")).toHaveLength(factsOf(["mission"], true).length + 1);
    expect(eventsOfType("DelegationHosted")).toHaveLength(factsOf(["delegation_hosted"], false).length);
    expect(eventsOfType("DelegationScheduled")).toHaveLength(factsOf(["delegation_hosted"], true).length);
    expect(eventsOfType("TrainingRecorded")).toHaveLength(factsOf(["training"], false).length);
    expect(eventsOfType("TrainingScheduled")).toHaveLength(factsOf(["training"], true).length);
    expect(eventsOfType("FundingGranted")).toHaveLength(
      factsOf(["funding"], false).length + factsOf(["funding"], true).length,
    );
    expect(eventsOfType("PartnershipSuspended")).toHaveLength(2);
    expect(eventsOfType("PartnershipResumed")).toHaveLength(1);
  });

  it("counts agreements: 13 signing facts, one of them three MoUs at once (CHU de Nice, 2018-2022)", () => {
    expect(eventsOfType("MoUSigned")).toHaveLength(13);
    const signedInAll = dataset.partnerships.reduce((sum, p) => sum + (partnership(p.id).agreement?.signed ?? 0), 0);
    expect(signedInAll).toBe(15);
    expect(partnership("nice-gulf-medical-training").agreement).toMatchObject({ signed: 3, signedOn: "2018" });
  });

  it("follows the Franco-Chinese cooperation: begun around 2010, agreement 23 May 2013, MoU 8 January 2018", () => {
    expect(partnership("france-china-health-ministries-cooperation")).toMatchObject({
      status: "active",
      cooperationSince: "2010",
      agreement: { firstSignedOn: "2013-05-23", signedOn: "2018-01-08", signed: 2, expiresOn: null },
    });
  });

  it("reads the Toulouse convention's period: signed 24 October 2025, runs to 2029", () => {
    expect(partnership("toulouse-hospital-university-convention-2025-2029")).toMatchObject({
      status: "active",
      parties: ["chu-toulouse", "universite-toulouse", "oncopole-claudius-regaud"],
      agreement: { signedOn: "2025-10-24", expiresOn: "2029" },
    });
  });

  it("follows Covid: Amiens–Aswan suspended in 2020 and resumed in 2022; Tours–HOGIP still suspended", () => {
    expect(partnership("amiens-aswan-antibiotic-stewardship")).toMatchObject({
      status: "active",
      cooperationSince: "2019",
      suspension: null,
    });
    expect(partnership("tours-hogip-dakar-twinning")).toMatchObject({
      status: "suspended",
      suspension: { since: "2020", reason: "Exchanges were interrupted during the Covid crisis." },
      agreement: { signedOn: "2018" },
    });
  });

  it("keeps Montpellier's postponed 2020 mission as one mission, completed in 2022", () => {
    const mission = world.state<Mission>("mission-montpellier-yaounde-central-hospital-12")!;
    expect(mission).toMatchObject({
      status: "completed",
      postponements: 1,
      completedOn: "2022",
      description: { destination: { country: "CM", place: null } },
    });
    expect(partnership("montpellier-yaounde-central-hospital")).toMatchObject({
      status: "active",
      cooperationSince: "2004",
      milestones: 5,
    });
  });

  it("records EUR 5.2 million for CARES as a ceiling, and co-funders together", () => {
    expect(world.state<FundingState>("funding-martinique-cares-oecs-interreg-0")).toMatchObject({
      amount: { value: "5200000", currency: "EUR", ceiling: true },
      funders: ["interreg-caraibes"],
    });
    expect(world.state<FundingState>("funding-montpellier-yaounde-central-hospital-6")).toMatchObject({
      funders: ["expertise-france", "fonds-apchi"],
      amount: null,
      grantedOn: "2016",
    });
  });

  it("leaves partnerships with no dated start or agreement as proposed, inventing none", () => {
    expect(partnership("limoges-hanoi-hospitals").status).toBe("proposed");
    expect(partnership("aphp-european-university-hospital-alliance")).toMatchObject({
      status: "proposed",
      countries: [],
    });
  });

  it("keeps every 'other' fact that is not a cooperation start as a milestone", () => {
    const starts = eventsOfType("CooperationStarted").length;
    expect(starts).toBe(12);
    expect(eventsOfType("MilestoneRecorded")).toHaveLength(
      factsOf(["other"], false).length + factsOf(["other"], true).length - 11,
    );
    expect(
      eventsOfType("MilestoneRecorded").filter((e) => (e.data as { contextual: boolean }).contextual),
    ).toHaveLength(facts.filter(({ fact }) => fact.details?.contextual === true).length);
  });

  it("imports twice and appends nothing the second time", () => {
    const before = [...world.streams.values()].reduce((n, s) => n + s.events.length, 0);
    for (const command of demoCommands(dataset, { now: NOW })) expect(world.execute(command)).toEqual([]);
    expect([...world.streams.values()].reduce((n, s) => n + s.events.length, 0)).toBe(before);
  });
});
