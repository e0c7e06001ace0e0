/**
 * People named in free text (a source's verbatim quote, a summary): each mention's exact text is sealed inline
 * with the person's key, `⟦sealed:v1:…⟧`, and the rest of the text stays as it was. Opened where text is shown,
 * a mention reads as written; once the person is forgotten it reads as ERASED, and the rest still reads.
 */
import { isSealed, PersonForgottenError, type PersonalDataVault, type Sealed } from "./vault";

/** What a forgotten person's mention reads as. */
export const ERASED = "[personne effacée]";

const MENTION = /⟦(sealed:v1:[^⟧]+)⟧/g;

/** A person and the ways free text writes their name (« Abdourah- man Douksie » as the scan broke it). */
export interface Named {
  readonly personId: string;
  readonly writings: readonly string[];
}

/**
 * The text with each writing of each person's name sealed in place, longer writings first; a person forgotten
 * already is written as ERASED.
 */
export async function sealMentions(text: string, people: readonly Named[], vault: PersonalDataVault): Promise<string> {
  const writings = people
    .flatMap((person) => person.writings.map((writing) => ({ personId: person.personId, writing })))
    .sort((a, b) => b.writing.length - a.writing.length);
  // Split around the mentions already sealed, so a shorter writing never matches inside a token.
  let parts: (string | { sealed: string })[] = [text];
  for (const { personId, writing } of writings) {
    const next: (string | { sealed: string })[] = [];
    for (const part of parts) {
      if (typeof part !== "string" || !part.includes(writing)) {
        next.push(part);
        continue;
      }
      const pieces = part.split(writing);
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) next.push({ sealed: await sealedMention(personId, writing, vault) });
        next.push(piece);
      }
    }
    parts = next;
  }
  return parts.map((part) => (typeof part === "string" ? part : part.sealed)).join("");
}

/** Whether a text is exactly one sealed mention: a person named through `@{person:<id>}`, never in clear. */
export function isSealedMention(text: string): boolean {
  return /^⟦sealed:v1:[^⟧]+⟧$/.test(text);
}

/** A mention sealed with the person's key; a person already forgotten is written as erased, never in clear. */
async function sealedMention(personId: string, text: string, vault: PersonalDataVault): Promise<string> {
  try {
    return `⟦${await vault.seal(personId, text)}⟧`;
  } catch (error) {
    if (error instanceof PersonForgottenError) return ERASED;
    throw error;
  }
}

export function hasMentions(text: string): boolean {
  return text.includes("⟦sealed:v1:");
}

/** A string with its mentions opened (or read as erased); other strings as they are. */
async function openText(text: string, vault: PersonalDataVault): Promise<string> {
  if (!hasMentions(text)) return text;
  const tokens = [...text.matchAll(MENTION)].map((match) => match[1]!);
  const opened = new Map<string, string>();
  for (const token of tokens) {
    if (opened.has(token) || !isSealed(token)) continue;
    const result = await vault.open<string>(token as Sealed);
    opened.set(token, result.erased ? ERASED : result.value);
  }
  return text.replace(MENTION, (_, token: string) => opened.get(token) ?? ERASED);
}

/** Whether any string in a value holds a mention: a walk that stops at the first, allocating nothing. */
function holdsMentions(value: unknown): boolean {
  if (typeof value === "string") return hasMentions(value);
  if (Array.isArray(value)) return value.some(holdsMentions);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsMentions);
  return false;
}

/**
 * Every string in a value (objects and arrays walked) with its mentions opened: a new value, the input
 * untouched. A value holding no mention — most answers — is returned as it is, nothing copied.
 */
export async function openMentions<T>(value: T, vault: PersonalDataVault): Promise<T> {
  return holdsMentions(value) ? opened(value, vault) : value;
}

async function opened<T>(value: T, vault: PersonalDataVault): Promise<T> {
  if (typeof value === "string") return (await openText(value, vault)) as T;
  if (Array.isArray(value)) return (await Promise.all(value.map((item) => opened(item, vault)))) as T;
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await opened(item, vault)] as const),
    );
    return Object.fromEntries(entries) as T;
  }
  return value;
}

/** How a client names a recorded person in free text it sends: `@{person:<id>}`. */
const REFERENCE = /@\{person:([A-Za-z0-9._-]{1,200})\}/g;

/** What sealing a reference needs to know of the person it names. */
export type NamedPerson = { readonly name: string } | "forgotten" | undefined;

/**
 * Every `@{person:<id>}` in the strings of a value replaced by that person's name, sealed with their key. Throws
 * what `onMissing` makes of a person unknown or forgotten.
 */
export async function sealReferences<T>(
  value: T,
  person: (personId: string) => Promise<NamedPerson>,
  vault: PersonalDataVault,
  onMissing: (personId: string, why: "unknown" | "forgotten") => Error,
): Promise<T> {
  if (typeof value === "string") {
    if (!value.includes("@{person:")) return value;
    let out = "";
    let last = 0;
    for (const match of value.matchAll(REFERENCE)) {
      const found = await person(match[1]!);
      if (found === undefined || found === "forgotten") {
        throw onMissing(match[1]!, found === undefined ? "unknown" : "forgotten");
      }
      out += value.slice(last, match.index) + `⟦${await vault.seal(match[1]!, found.name)}⟧`;
      last = match.index! + match[0].length;
    }
    return (out + value.slice(last)) as T;
  }
  if (Array.isArray(value)) {
    const items = [];
    for (const item of value) items.push(await sealReferences(item, person, vault, onMissing));
    return items as T;
  }
  if (value !== null && typeof value === "object") {
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      entries.push([key, await sealReferences(item, person, vault, onMissing)]);
    }
    return Object.fromEntries(entries) as T;
  }
  return value;
}
