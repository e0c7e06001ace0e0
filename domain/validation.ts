/**
 * Checks on single values, shared by every decider. Each throws InvalidInput naming the field, so the API can
 * answer BAD_USER_INPUT with it.
 */
import countries from "i18n-iso-countries";
import { isBusinessDate, isDefinitelyAfter, isDefinitelyBefore } from "../events/business-date";
import { currencyDigits } from "../events/money";
import type { Headcount, Source } from "./decider";
import { InvalidInput, RuleViolation } from "./decider";

/** ISO 3166-1 alpha-2, upper case (`FR`, `SN`, `VN`). */
export function checkCountry(field: string, code: string): void {
  if (!/^[A-Z]{2}$/.test(code) || !countries.isValid(code)) {
    throw new InvalidInput(field, `${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 country code`);
  }
}

/** Codes ISO 4217 lists for metals, bond units, testing and "no currency": not money a partner is paid in. */
const NOT_MONEY = new Set(["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XPD", "XPT", "XTS", "XXX"]);

/** The currency's minor-unit digits (2 for EUR, 0 for XOF), or an InvalidInput for a code ISO 4217 lacks. */
export function checkCurrency(field: string, code: string): number {
  const digits = /^[A-Z]{3}$/.test(code) && !NOT_MONEY.has(code) ? currencyDigits(code) : undefined;
  if (digits === undefined) throw new InvalidInput(field, `${JSON.stringify(code)} is not an ISO 4217 currency code`);
  return digits;
}

/**
 * A money amount as a decimal string ("5200000", "1250.50"): exact, unlike a float. Positive, with no more
 * decimals than the currency has minor units.
 */
export function checkAmount(field: string, amount: string, digits: number): void {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) throw new InvalidInput(field, `${JSON.stringify(amount)} is not a decimal amount`);
  if ((match[2]?.length ?? 0) > digits) {
    throw new InvalidInput(field, `${amount} has more decimals than the currency's ${digits}`);
  }
  if (/^[0.]+$/.test(amount)) throw new RuleViolation("FUNDING_AMOUNT_POSITIVE");
}

export function checkBusinessDate(field: string, value: string): void {
  if (!isBusinessDate(value)) {
    throw new InvalidInput(field, `${JSON.stringify(value)} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD`);
  }
}

export function checkOptionalBusinessDate(field: string, value: string | null | undefined): void {
  if (value !== null && value !== undefined) checkBusinessDate(field, value);
}

/** A fact cannot be dated after today; a date that only may be in the future (this year, this month) passes. */
export function checkNotInFuture(value: string, now: string): void {
  if (isDefinitelyAfter(value, now.slice(0, 10))) throw new RuleViolation("FACT_IN_FUTURE", value);
}

/** A fact's date: well-formed, and not after today. */
export function checkFactDate(field: string, date: string, now: string): void {
  checkBusinessDate(field, date);
  checkNotInFuture(date, now);
}

/** End not before start, at the precision both are given. */
export function checkOrder(
  rule: "ACTIVITY_DATES_ORDER" | "RENEWAL_PERIOD_ORDER",
  start: string,
  end: string | null | undefined,
): void {
  if (end !== null && end !== undefined && isDefinitelyBefore(end, start)) {
    throw new RuleViolation(rule, `${end} is before ${start}`);
  }
}

/**
 * Control characters (NUL and the like, but tab and newlines) and bidirectional overrides, which can make a
 * text read otherwise than it is stored (the "Trojan Source" trick): refused in every text the ledger keeps.
 */
function isUnsafeCharacter(code: number): boolean {
  const control = (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
  const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
  return control || bidi;
}

export function checkText(field: string, value: string, maxLength = 2000): void {
  // Typed inputs guarantee a string; a correction's free-form patch does not.
  if (typeof value !== "string") throw new InvalidInput(field, "must be a text");
  if ([...value].some((character) => isUnsafeCharacter(character.codePointAt(0)!))) {
    throw new InvalidInput(field, "must not contain control characters or bidirectional overrides");
  }
  if (value.trim().length === 0) throw new InvalidInput(field, "must not be empty");
  if (value.length > maxLength) throw new InvalidInput(field, `must be at most ${maxLength} characters`);
}

export function checkHeadcount(field: string, headcount: Headcount | null | undefined): void {
  if (headcount === null || headcount === undefined) return;
  if (!Number.isSafeInteger(headcount.count) || headcount.count < (headcount.moreThan ? 0 : 1)) {
    throw new InvalidInput(field, "must be a positive whole number of people");
  }
}

/** sha256 of an agreement text, hex. */
export function checkVersionHash(field: string, hash: string): void {
  if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash))
    throw new InvalidInput(field, "must be a sha256 hash in lower-case hex");
}

export function checkSource(source: Source | null | undefined): void {
  if (source === null || source === undefined) return;
  if (typeof source !== "object" || Array.isArray(source)) throw new InvalidInput("source", "must be an object");
  checkText("source.document", source.document, 500);
  checkText("source.quote", source.quote, 5000);
  if (source.dateBasis !== undefined) checkText("source.dateBasis", source.dateBasis, 1000);
}

/** Ids are what follows the category in a stream id: letters, digits, `-`, `_`, `.`, at most 200. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function checkId(field: string, id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new InvalidInput(field, `${JSON.stringify(id)} is not a valid id (letters, digits, - _ .; at most 200)`);
  }
}
