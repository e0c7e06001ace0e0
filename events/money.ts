/** Money as exact decimal strings and integer minor units (cents), never floats. */
import currencyCodes from "currency-codes";

/** Minor-unit digits of an ISO 4217 currency (2 for EUR, 0 for XOF), or undefined for an unknown code. */
export function currencyDigits(code: string): number | undefined {
  return currencyCodes.code(code)?.digits;
}

/** "1250.5" EUR → 125050n. The value must already be a valid amount for the currency. */
export function toMinorUnits(value: string, digits: number): bigint {
  const [whole = "0", fraction = ""] = value.split(".");
  return BigInt(whole + fraction.padEnd(digits, "0"));
}

/** 125050n with 2 digits → "1250.50". */
export function fromMinorUnits(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, "0");
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? "" : `.${text.slice(-digits)}`;
  return `${negative ? "-" : ""}${whole}${fraction}`;
}
