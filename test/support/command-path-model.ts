/**
 * A model-based test of the whole command path: random sequences of commands through the real command
 * handler, the real SQLite store (a file, so it can be closed and reopened) and the real projection runner,
 * against a reference model (the same deciders over memory, with no store, handler or projection between).
 *
 * Steps: every kind of partnership command, corrections, retries with the same command id (same input and
 * other input), racing writers on one stale revision, an event of an unknown type written behind the
 * service's back, and restarts of the store and of the runner. After each step: each acknowledged command's
 * events are in the log exactly once and nothing else is; every hash chain verifies; read models equal a fresh
 * rebuild and agree with the model; each partnership's history lists every fact and correction.
 */
import { join } from "node:path";
import fc from "fast-check";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { RecordedEvent } from "../../events/envelope";
import type { EventStore } from "../../events/port";
import { findChainBreak } from "../../events/hash-chain";
import type { ProjectionDefinition } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { rebuildProjection } from "../../projections/rebuild";
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { ProjectionRunner } from "../../projections/runner";
import { eventIndex, timeline } from "../../projections/read-models/event-index";
import { getInstitution, institutionDirectory } from "../../projections/read-models/institution-directory";
import { getPartnership, partnershipSummary } from "../../projections/read-models/partnership-summary";
import { handleCommand, type CommandResult } from "../../services/common/command-handler";
import { deciderFor, type PasserelleCommand } from "../../domain/deciders";
import type { Partnership } from "../../domain/partnerships/partnership.decider";
import { collect } from "./async";
import { meta } from "./decider-spec";
import { dumpReadModels } from "./dump";
import { PureWorld } from "./pure-world";
import { tempDir } from "./temp";

const DEFINITIONS = Object.values(SERVICE_PROJECTIONS).flat() as ProjectionDefinition[];
const INSTITUTIONS = ["chu-amiens", "chu-limoges", "hopital-aswan"] as const;
const PARTNERSHIPS = ["amiens-aswan", "limoges-chine", "tours-dakar"] as const;
const UNKNOWN_TYPE = "PartnershipTwinned";

export interface Real {
  readonly path: string;
  store: EventStore;
  readonly rm: ReadModelDatabase;
  runner: ProjectionRunner;
}

interface Acknowledged {
  readonly command: PasserelleCommand;
  readonly expectedRevision: number | undefined;
  readonly result: CommandResult<unknown>;
  /** Events the command appended. */
  readonly events: number;
}

export interface Model {
  readonly world: PureWorld;
  readonly acknowledged: Acknowledged[];
  /** Streams holding an event of a type no decider knows: every command on them must be refused. */
  readonly poisoned: Set<string>;
  /** Command ids of the events written behind the service's back. */
  readonly injected: Set<string>;
  nextId: number;
}

type Step = fc.AsyncCommand<Model, Real>;
type CommandBody = Omit<PasserelleCommand, "metadata">;

const streamOf = (command: CommandBody) => {
  const decider = deciderFor(command as PasserelleCommand);
  return `${decider.category}-${decider.entityId(command as PasserelleCommand)}`;
};
const revisionOf = (model: Model, stream: string) => {
  const events = model.world.streams.get(stream)?.events.length ?? 0;
  const injected = model.poisoned.has(stream) ? 1 : 0;
  return events + injected - 1;
};
const refusal = (error: unknown) => {
  const { code, rule } = error as { code?: string; rule?: string };
  return rule ? `${code}:${rule}` : String(code ?? error);
};

/** What the reference model says a command leads to: its events, or the refusal. */
function expectation(model: Model, command: PasserelleCommand): { events: number } | { refused: string } {
  if (model.poisoned.has(streamOf(command))) return { refused: "UNKNOWN_EVENT_TYPE" };
  const probe = new PureWorld();
  for (const [id, stream] of model.world.streams) {
    probe.streams.set(id, { events: [...stream.events], commandIds: new Set(stream.commandIds), state: stream.state });
  }
  try {
    return { events: probe.execute(command).length };
  } catch (error) {
    return { refused: refusal(error) };
  }
}

type Outcome = { result: CommandResult<unknown>; error?: undefined } | { result?: undefined; error: unknown };

async function send(real: Real, command: PasserelleCommand, expectedRevision?: number): Promise<Outcome> {
  try {
    const options = expectedRevision === undefined ? {} : { expectedRevision };
    return { result: await handleCommand(real.store, deciderFor(command), command, options) };
  } catch (error) {
    return { error };
  }
}

class Send implements Step {
  constructor(
    readonly body: CommandBody,
    readonly stale: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const command = { ...this.body, metadata: meta(`cmd-${model.nextId++}`) } as PasserelleCommand;
    if (command.type === "CorrectFact") {
      // Aim at a fact the stream has (revision 0 is the proposal), so most corrections reach the rules.
      const facts = model.world.streams.get(streamOf(command))?.events.length ?? 0;
      const revision = 1 + (command.data.revision % Math.max(1, facts - 1));
      Object.assign(command, { data: { ...command.data, revision } });
    }
    const stream = streamOf(command);
    const current = revisionOf(model, stream);
    const expectedRevision = this.stale ? current - 1 : undefined;
    const before = await real.store.headPosition();
    const outcome = await send(real, command, expectedRevision);
    const expected: { events: number } | { refused: string } =
      this.stale && !model.poisoned.has(stream) ? { refused: "WRONG_EXPECTED_REVISION" } : expectation(model, command);
    if ("refused" in expected) {
      expect(outcome.error === undefined ? "accepted" : refusal(outcome.error)).toBe(expected.refused);
      expect(await real.store.headPosition()).toBe(before);
      return;
    }
    if (outcome.result === undefined) throw outcome.error;
    const { result } = outcome;
    expect(result).toMatchObject({ replayed: false, revision: current + expected.events });
    model.world.execute(command);
    model.acknowledged.push({ command, expectedRevision, result, events: expected.events });
    if (command.type === "CorrectFact") await checkCorrection(real, command, result);
  }
  toString = () => `Send(${JSON.stringify(this.body)}${this.stale ? ", stale" : ""})`;
}

/** A correction changes only what it names: every field it omits reads as before. */
async function checkCorrection(
  real: Real,
  command: Extract<PasserelleCommand, { type: "CorrectFact" }>,
  result: CommandResult<unknown>,
) {
  const [event] = await collect(real.store.readStream(result.streamId, { fromRevision: result.revision, maxCount: 1 }));
  const { before, after } = event!.data as { before: Record<string, unknown>; after: Record<string, unknown> };
  for (const key of Object.keys(before)) {
    if (!(key in command.data.data)) expect({ key, value: after[key] }).toEqual({ key, value: before[key] });
  }
}

/** The same command id again: with the same input, the first result; with other input, a refusal. */
class Retry implements Step {
  constructor(
    readonly pick: number,
    readonly changed: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.acknowledged.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const first = model.acknowledged[this.pick % model.acknowledged.length]!;
    const data = this.changed ? { ...first.command.data, retriedWith: "other input" } : first.command.data;
    const command = { ...first.command, data, metadata: meta(first.command.metadata.commandId) } as PasserelleCommand;
    const before = await real.store.headPosition();
    const outcome = await send(real, command, first.expectedRevision);
    expect(await real.store.headPosition()).toBe(before);
    if (model.poisoned.has(first.result.streamId)) {
      expect(refusal(outcome.error)).toBe("UNKNOWN_EVENT_TYPE");
    } else if (this.changed) {
      expect(outcome.error).toMatchObject({ code: "COMMAND_ID_REUSED", position: first.result.position });
    } else {
      const { streamId, revision, position } = first.result;
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toMatchObject({ streamId, revision, position, replayed: true });
    }
  }
  toString = () => `Retry(${this.pick}${this.changed ? ", changed" : ""})`;
}

/** Two writers that read the same revision: exactly one lands, the other is told the actual revision. */
class Race implements Step {
  constructor(readonly partnership: string) {}
  check = (model: Readonly<Model>) => model.world.streams.has(`partnership-${this.partnership}`);
  async run(model: Model, real: Real): Promise<void> {
    const stream = `partnership-${this.partnership}`;
    const current = revisionOf(model, stream);
    const commands = [0, 1].map((n): PasserelleCommand => ({
      type: "RecordMilestone",
      data: { partnershipId: this.partnership, occurredOn: "2024", summary: `Racing writer ${n}` },
      metadata: meta(`cmd-${model.nextId++}`),
    }));
    const outcomes = await Promise.all(commands.map((command) => send(real, command, current)));
    if (model.poisoned.has(stream)) {
      for (const outcome of outcomes) expect(refusal(outcome.error)).toBe("UNKNOWN_EVENT_TYPE");
      return;
    }
    const winners = outcomes.flatMap((outcome, n) => (outcome.result ? [n] : []));
    expect(winners).toHaveLength(1);
    const loser = outcomes[1 - winners[0]!]!;
    expect(loser.error).toMatchObject({ code: "WRONG_EXPECTED_REVISION", actualRevision: current + 1 });
    const command = commands[winners[0]!]!;
    model.world.execute(command);
    model.acknowledged.push({ command, expectedRevision: current, result: outcomes[winners[0]!]!.result!, events: 1 });
  }
  toString = () => `Race(${this.partnership})`;
}

/** A newer replica wrote an event of a type this version does not know. */
class InjectUnknown implements Step {
  constructor(readonly partnership: string) {}
  check = (model: Readonly<Model>) =>
    model.world.streams.has(`partnership-${this.partnership}`) &&
    !model.poisoned.has(`partnership-${this.partnership}`);
  async run(model: Model, real: Real): Promise<void> {
    const commandId = `newer-${model.nextId++}`;
    await real.store.appendToStream(`partnership-${this.partnership}`, [
      { type: UNKNOWN_TYPE, data: { partnershipId: this.partnership }, metadata: { actor: "v2", commandId } },
    ]);
    model.poisoned.add(`partnership-${this.partnership}`);
    model.injected.add(commandId);
  }
  toString = () => `InjectUnknown(${this.partnership})`;
}

/** Close the store and the runner and open them again, as a restarted service does. */
class Restart implements Step {
  constructor(readonly storeToo: boolean) {}
  check = () => true;
  async run(_model: Model, real: Real): Promise<void> {
    await real.runner.stop();
    if (this.storeToo) {
      await real.store.close();
      real.store = openSqliteEventStore({ path: real.path });
    }
    real.runner = new ProjectionRunner(real.store, real.rm, DEFINITIONS, { batchSize: 3 });
    real.runner.start();
  }
  toString = () => (this.storeToo ? "RestartStoreAndRunner" : "RestartRunner");
}

/** The invariants, after every step. */
export async function checkInvariants(model: Model, real: Real): Promise<void> {
  const log = await collect(real.store.readAll());
  const byCommand = new Map<string, RecordedEvent[]>();
  for (const event of log)
    byCommand.set(event.metadata.commandId, [...(byCommand.get(event.metadata.commandId) ?? []), event]);
  for (const { command, events } of model.acknowledged) {
    expect({
      commandId: command.metadata.commandId,
      events: byCommand.get(command.metadata.commandId)?.length ?? 0,
    }).toEqual({
      commandId: command.metadata.commandId,
      events,
    });
  }
  const known = new Set([...model.acknowledged.map((a) => a.command.metadata.commandId), ...model.injected]);
  expect([...byCommand.keys()].filter((id) => !known.has(id))).toEqual([]);
  for (const stream of new Set(log.map((event) => event.streamId))) {
    expect({ stream, broken: await findChainBreak(real.store.readStream(stream)) }).toEqual({ stream, broken: null });
  }

  const head = await real.store.headPosition();
  for (const definition of DEFINITIONS) await real.runner.waitForPosition(definition.name, head, 10_000);
  const fresh = new ReadModelDatabase(":memory:");
  try {
    for (const definition of DEFINITIONS) await rebuildProjection(real.store, fresh, definition);
    expect(dumpReadModels(real.rm, DEFINITIONS)).toEqual(dumpReadModels(fresh, DEFINITIONS));
  } finally {
    fresh.close();
  }

  const summary = real.runner.tables(partnershipSummary);
  for (const id of PARTNERSHIPS) {
    const state = model.world.state<Partnership | { status: "none" }>(`partnership-${id}`);
    const row = getPartnership(real.rm, summary, id);
    if (!state || state.status === "none") expect(row).toBeUndefined();
    else expect(row).toMatchObject({ status: state.status, milestones: state.milestones, title: state.title });
    const history = timeline(real.rm, real.runner.tables(eventIndex), id, 10_000).entries.map((e) => e.position);
    const facts = log.filter((e) => (e.data as { partnershipId?: string }).partnershipId === id).map((e) => e.position);
    expect({ id, history }).toEqual({ id, history: facts });
  }
  const directory = real.runner.tables(institutionDirectory);
  for (const id of INSTITUTIONS) {
    const registered = model.world.streams.has(`institution-${id}`);
    expect({ id, listed: getInstitution(real.rm, directory, id) !== undefined }).toEqual({ id, listed: registered });
  }
}

const date = fc
  .tuple(fc.integer({ min: 2010, max: 2025 }), fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }))
  .map(([year, month]) => (month === undefined ? String(year) : `${year}-${String(month).padStart(2, "0")}`));
const day = fc
  .tuple(fc.integer({ min: 2010, max: 2025 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, d]) => `${y}-06-${String(d).padStart(2, "0")}`);
const source = fc.option(
  fc.constantFrom(
    { document: "004.txt", quote: "la coopération a été suspendue" },
    { document: "012.txt", quote: "signée à Limoges" },
  ),
  { nil: undefined },
);
const institution = fc.constantFrom(...INSTITUTIONS);
const partnership = fc.constantFrom(...PARTNERSHIPS);

/** Every command a partnership office sends, with values that the rules sometimes accept and sometimes refuse. */
const commandBody: fc.Arbitrary<CommandBody> = fc.oneof(
  institution.map((id) => ({
    type: "RegisterInstitution",
    data: { institutionId: id, name: `Hôpital ${id}`, kind: "hospital", country: "FR" },
  })),
  fc.tuple(partnership, fc.uniqueArray(institution, { minLength: 2, maxLength: 3 })).map(([id, parties]) => ({
    type: "ProposePartnership",
    data: { partnershipId: id, title: `Partenariat ${id}`, scope: "international", parties },
  })),
  fc
    .tuple(partnership, date, source)
    .map(([id, startedOn, src]) => ({ type: "StartCooperation", data: { partnershipId: id, startedOn, source: src } })),
  fc.tuple(partnership, date, fc.option(date, { nil: null }), source).map(([id, signedOn, expiresOn, src]) => ({
    type: "SignMoU",
    data: { partnershipId: id, signedOn, expiresOn, source: src },
  })),
  fc.tuple(partnership, date).map(([id, suspendedOn]) => ({
    type: "SuspendPartnership",
    data: { partnershipId: id, suspendedOn, reason: "Covid-19" },
  })),
  fc
    .tuple(partnership, date)
    .map(([id, resumedOn]) => ({ type: "ResumePartnership", data: { partnershipId: id, resumedOn } })),
  fc.tuple(partnership, date, date).map(([id, noticeGivenOn, effectiveOn]) => ({
    type: "TerminatePartnership",
    data: { partnershipId: id, noticeGivenOn, effectiveOn, reason: "Fin du programme" },
  })),
  fc.tuple(partnership, date, source).map(([id, occurredOn, src]) => ({
    type: "RecordMilestone",
    data: { partnershipId: id, occurredOn, summary: "Délégation de 8 médecins", source: src },
  })),
  fc.tuple(partnership, day).map(([id, reviewedOn]) => ({
    type: "RecordCommissionReview",
    data: { partnershipId: id, reviewedOn, outcome: "continue" },
  })),
  fc
    .tuple(
      partnership,
      fc.nat(),
      fc.oneof(
        // A new date for whichever date the fact has (the others are ignored by its command), maybe a source.
        fc.tuple(date, fc.option(fc.constant(null), { nil: undefined })).map(([d, clear]) => ({
          ...Object.fromEntries(["startedOn", "signedOn", "suspendedOn", "resumedOn", "occurredOn"].map((k) => [k, d])),
          ...(clear === null ? { source: null } : {}),
        })),
        fc.constant({ source: null }),
        fc.constant({ expiresOn: null }),
        fc.constant({ summary: "Mission d'évaluation" }),
        fc.constant({ reason: "Crise sanitaire" }),
      ),
    )
    .map(([id, revision, data]) => ({
      type: "CorrectFact",
      data: { partnershipId: id, revision, data, reason: "Le dossier dit autrement" },
    })),
) as fc.Arbitrary<CommandBody>;

/** Every institution registered, two of the three partnerships proposed (the third is left to the steps). */
const PRELUDE: CommandBody[] = [
  ...INSTITUTIONS.map((id) => ({
    type: "RegisterInstitution" as const,
    data: { institutionId: id, name: `Hôpital ${id}`, kind: "hospital" as const, country: "FR" },
  })),
  ...PARTNERSHIPS.slice(0, 2).map((id) => ({
    type: "ProposePartnership" as const,
    data: {
      partnershipId: id,
      title: `Partenariat ${id}`,
      scope: "international" as const,
      parties: [...INSTITUTIONS],
    },
  })),
];

const sendStep = commandBody.map((body) => new Send(body, false));
export const steps: fc.Arbitrary<Step>[] = [
  // Commands come most often; fast-check picks among these arbitraries evenly.
  sendStep,
  sendStep,
  sendStep,
  sendStep,
  // A writer that read an older revision than the stream's.
  commandBody.map((body) => new Send(body, true)),
  fc.tuple(fc.nat(), fc.boolean()).map(([pick, changed]) => new Retry(pick, changed)),
  partnership.map((id) => new Race(id)),
  partnership.map((id) => new InjectUnknown(id)),
  fc.boolean().map((storeToo) => new Restart(storeToo)),
];

/** Runs the model: `runs` sequences of up to `maxSteps` steps, each on a fresh store and read models. */
export async function runModel(options: { runs: number; maxSteps: number; seed?: number }): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.commands(steps, { maxCommands: options.maxSteps, size: "max" }), async (sequence) => {
      const dir = tempDir("passerelle-model-");
      const path = join(dir.path, "events.db");
      const store = openSqliteEventStore({ path });
      const rm = new ReadModelDatabase(join(dir.path, "read-models.db"));
      const runner = new ProjectionRunner(store, rm, DEFINITIONS, { batchSize: 3 });
      runner.start();
      const real: Real = { path, store, rm, runner };
      const model: Model = {
        world: new PureWorld(),
        acknowledged: [],
        poisoned: new Set(),
        injected: new Set(),
        nextId: 0,
      };
      try {
        // Most commands need registered parties and a proposed partnership: start every sequence from there.
        for (const body of PRELUDE) await new Send(body, false).run(model, real);
        await fc.asyncModelRun(() => ({ model, real }), checkedSteps(sequence));
      } finally {
        await real.runner.stop();
        await real.store.close();
        rm.close();
        dir.remove();
      }
    }),
    { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }), endOnFailure: false },
  );
}

/** Each step followed by the invariants. */
function checkedSteps(sequence: Iterable<Step>): Iterable<Step> {
  const wrapped: Step[] = [];
  for (const step of sequence) {
    wrapped.push({
      check: (model) => step.check(model),
      run: async (model, real) => {
        await step.run(model, real);
        await checkInvariants(model, real);
      },
      toString: () => step.toString(),
    });
  }
  return wrapped;
}
