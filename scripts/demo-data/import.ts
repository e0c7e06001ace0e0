/**
 * Imports the demo dataset through the command handler — the same path as any client's command — so every
 * rule applies. Command ids are fixed by the data: importing twice appends nothing the second time.
 *
 * The people the sources name are recorded as people first, and every mention of them in a quote, a summary or
 * a detail is sealed with their key (events/personal-data/mentions.ts): the log never holds their names in
 * clear. Sealing is deterministic, so a second import sends the same commands; a person forgotten since is not
 * recorded again, and the facts naming them stay as the ledger has them.
 */
import type { EventStore } from "../../events/port";
import { sealMentions, type Named } from "../../events/personal-data/mentions";
import type { PersonalDataVault } from "../../events/personal-data/vault";
import type { PasserelleCommand } from "../../domain/deciders";
import { CommandIdReusedError, handleCommand } from "../../services/common/command-handler";
import { deciderFor } from "../../domain/deciders";
import { demoCommands, type Dataset, type DatasetFact } from "./commands";
import { DEMO_PEOPLE } from "./people";

export interface ImportResult {
  readonly commands: number;
  /** Commands that appended events (the rest had already been imported). */
  readonly applied: number;
  /** Commands the dataset now words differently from when they were imported: left as the ledger has them. */
  readonly changed: number;
  /** People of the dataset forgotten since: neither recorded again nor named again. */
  readonly forgotten: number;
  readonly position: string;
}

async function sealedFact(fact: DatasetFact, people: readonly Named[], vault: PersonalDataVault): Promise<DatasetFact> {
  const seal = (text: string) => sealMentions(text, people, vault);
  const details = fact.details
    ? Object.fromEntries(
        await Promise.all(
          Object.entries(fact.details).map(async ([key, value]) => [
            key,
            typeof value === "string" ? await seal(value) : value,
          ]),
        ),
      )
    : undefined;
  return {
    ...fact,
    quote: await seal(fact.quote),
    summary: await seal(fact.summary),
    ...(details ? { details } : {}),
  };
}

/** The dataset with every mention of its people sealed. */
export async function sealedDataset(dataset: Dataset, vault: PersonalDataVault): Promise<Dataset> {
  const partnerships = [];
  for (const partnership of dataset.partnerships) {
    const timeline = [];
    for (const fact of partnership.timeline) timeline.push(await sealedFact(fact, DEMO_PEOPLE, vault));
    partnerships.push({ ...partnership, timeline });
  }
  return { ...dataset, partnerships };
}

export async function importDemoData(
  store: EventStore,
  dataset: Dataset,
  now: string,
  vault: PersonalDataVault,
): Promise<ImportResult> {
  let applied = 0;
  let changed = 0;
  let forgotten = 0;
  let position = await store.headPosition();
  const commands = demoCommands(await sealedDataset(dataset, vault), { now });
  const people: PasserelleCommand[] = [];
  for (const person of DEMO_PEOPLE) {
    if (await vault.forgottenAt(person.personId)) {
      forgotten += 1;
      continue;
    }
    people.push({
      type: "RecordPerson",
      data: {
        personId: person.personId,
        institutionId: person.institutionId,
        identity: await vault.seal(person.personId, { name: person.name, role: person.role }),
      },
      metadata: { commandId: `import:person:${person.personId}`, actor: "import", now },
    });
  }
  // After the institutions they act for, before the facts that name them.
  const registered = commands.filter((command) => command.type === "RegisterInstitution").length;
  const ordered = [...commands.slice(0, registered), ...people, ...commands.slice(registered)];
  for (const command of ordered) {
    try {
      const result = await handleCommand(store, deciderFor(command), command);
      if (!result.replayed) applied += 1;
      position = result.position;
    } catch (error) {
      // The dataset changed since this data folder imported it: the ledger keeps what it recorded.
      if (!(error instanceof CommandIdReusedError)) throw error;
      changed += 1;
    }
  }
  return { commands: ordered.length, applied, changed, forgotten, position };
}
