/**
 * Subject access (GDPR art. 15): everything the ledger holds about one person — their record as the vault opens
 * it, every event that names them (their own stream's, and every fact whose text mentions them), with who
 * recorded it and when — read from the log itself, so the answer is exactly what is stored.
 */
import type { RecordedEvent } from "../../events/envelope";
import type { PersonIdentity } from "../../events/catalogue";
import { openMentions } from "../../events/personal-data/mentions";
import { peopleSealedIn, type PersonalDataVault, type Sealed } from "../../events/personal-data/vault";
import type { EventStore } from "../../events/port";

export interface SubjectFact {
  readonly position: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly recordedAt: string;
  /** Who recorded it (the sign-on subject). */
  readonly recordedBy: string;
  readonly businessDate: string | null;
  /** The event's data with every mention opened (or read as erased). */
  readonly data: Record<string, unknown>;
}

export interface SubjectAccessReport {
  readonly personId: string;
  readonly recorded: boolean;
  readonly institutionId: string | null;
  readonly name: string | null;
  readonly role: string | null;
  readonly email: string | null;
  readonly erased: boolean;
  readonly forgottenAt: string | null;
  readonly facts: readonly SubjectFact[];
}

export async function subjectAccess(
  store: EventStore,
  vault: PersonalDataVault,
  personId: string,
): Promise<SubjectAccessReport> {
  const stream = `person-${personId}`;
  const facts: SubjectFact[] = [];
  let identity: Sealed | null = null;
  let institutionId: string | null = null;
  for await (const event of store.readAll()) {
    if (event.streamId !== stream && !peopleSealedIn(event.data).has(personId)) continue;
    if (event.type === "PersonRecorded") {
      const data = event.data as { institutionId: string; identity: Sealed };
      identity = data.identity;
      institutionId = data.institutionId;
    }
    facts.push(await fact(event, vault));
  }
  const opened = identity ? await vault.open<PersonIdentity>(identity) : null;
  const contact = opened && !opened.erased ? await vault.contact(personId) : null;
  const clear = opened && !opened.erased ? opened.value : null;
  return {
    personId,
    recorded: identity !== null,
    institutionId,
    name: clear?.name ?? null,
    role: clear?.role ?? null,
    email: contact?.email ?? null,
    erased: opened?.erased ?? false,
    forgottenAt: await vault.forgottenAt(personId),
    facts,
  };
}

async function fact(event: RecordedEvent, vault: PersonalDataVault): Promise<SubjectFact> {
  return {
    position: event.position,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    recordedAt: event.recordedAt,
    recordedBy: event.metadata.actor,
    businessDate: event.metadata.businessDate,
    data: (await openMentions(event.data, vault)) as Record<string, unknown>,
  };
}
