/** Kinds of personal data the guardrail removes. */
export type PiiKind = "email" | "phone" | "card";

export const PII_KINDS: readonly PiiKind[] = ["email", "phone", "card"];

/** Redactions made, per kind. */
export type RedactionCounts = Record<PiiKind, number>;

export interface GuardrailOptions {
  /** @defaultValue true (the client applies it to `external` track endpoints only) */
  enabled?: boolean;
  /** @defaultValue all of email, phone, card */
  kinds?: readonly PiiKind[];
}

export interface RedactionResult {
  text: string;
  counts: RedactionCounts;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 13–19 digits, optionally grouped by single spaces or dashes; the Luhn check decides.
const CARD = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;
// An optional +country code, an optional (area), then groups of digits split by space, dot or dash.
const PHONE =
  /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,5}){1,4}(?![\w-])|\+\d{9,15}(?!\w)/g;

export const REDACTION_TOKENS: Readonly<Record<PiiKind, string>> = {
  email: "[EMAIL]",
  phone: "[PHONE]",
  card: "[CARD]",
};

/** A zero count for every kind. */
export function emptyRedactionCounts(): RedactionCounts {
  return { email: 0, phone: 0, card: 0 };
}

/**
 * Replaces e-mail addresses, phone numbers and payment card numbers (Luhn-checked, so order numbers survive)
 * with `[EMAIL]`, `[PHONE]`, `[CARD]`, and counts them.
 */
export function redactPii(text: string, options: GuardrailOptions = {}): RedactionResult {
  const counts = emptyRedactionCounts();
  if (options.enabled === false) return { text, counts };
  const kinds = new Set(options.kinds ?? PII_KINDS);
  let out = text;
  if (kinds.has("email")) {
    out = out.replace(EMAIL, () => {
      counts.email++;
      return REDACTION_TOKENS.email;
    });
  }
  if (kinds.has("card")) {
    out = out.replace(CARD, (match) => {
      if (!passesLuhn(match.replace(/\D/g, ""))) return match;
      counts.card++;
      return REDACTION_TOKENS.card;
    });
  }
  if (kinds.has("phone")) {
    out = out.replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, "").length;
      // Fewer than 9 digits is a date, a time or a reference more often than a phone number.
      if (digits < 9 || digits > 15 || isIsoDate(match)) return match;
      counts.phone++;
      return REDACTION_TOKENS.phone;
    });
  }
  return { text: out, counts };
}

/** The Luhn checksum of a digit string (payment card numbers pass it). */
export function passesLuhn(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Adds `b` into `a`. */
export function addRedactionCounts(a: RedactionCounts, b: RedactionCounts): RedactionCounts {
  for (const kind of PII_KINDS) a[kind] += b[kind];
  return a;
}

function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
}
