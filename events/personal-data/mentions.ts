/**
 * People named in free text (a source's verbatim quote, a summary): each mention's exact text is sealed inline
 * with the person's key, `⟦sealed:v1:…⟧`, and the rest of the text stays as it was. Opened where text is shown,
 * a mention reads as written; once the person is forgotten it reads as ERASED, and the rest still reads.
 */
import { isSealed, type PersonalDataVault, type Sealed } from "./vault";

/** What a forgotten person's mention reads as. */
export const ERASED = "[personne effacée]";

const MENTION = /⟦(sealed:v1:[^⟧]+)⟧/g;

/** A person and the ways free text writes their name (« Abdourah- man Douksie » as the scan broke it). */
export interface Named {
  readonly personId: string;
  readonly writings: readonly string[];
}

/** The text with each writing of each person's name sealed in place; longer writings first. */
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
        if (i > 0) next.push({ sealed: `⟦${await vault.seal(personId, writing)}⟧` });
        next.push(piece);
      }
    }
    parts = next;
  }
  return parts.map((part) => (typeof part === "string" ? part : part.sealed)).join("");
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

/** Every string in a value (objects and arrays walked) with its mentions opened; a new value, the input untouched. */
export async function openMentions<T>(value: T, vault: PersonalDataVault): Promise<T> {
  if (typeof value === "string") return (await openText(value, vault)) as T;
  if (Array.isArray(value)) return (await Promise.all(value.map((item) => openMentions(item, vault)))) as T;
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await openMentions(item, vault)] as const),
    );
    return Object.fromEntries(entries) as T;
  }
  return value;
}
