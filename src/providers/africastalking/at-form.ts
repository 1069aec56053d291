/**
 * Africa's Talking posts every callback (USSD hops and ends, incoming SMS, delivery reports,
 * opt-outs) as an urlencoded form. A name may come more than once, so a parsed field is a string
 * or an array of strings; this is the one place that decides what such a field means. What a
 * field's text may contain (control characters, length) stays with the reader of that callback.
 */

/** A parsed form: a name sent more than once keeps every copy, in order. */
export type FormFields = Record<string, string | string[]>;

/** Parses an urlencoded body the way `express.urlencoded({ extended: false })` does. Never throws. */
export function parseFormBody(body: string): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return fields;
}

/** The body as a record of fields; `{}` for anything that is not an object (no body, a string). */
export function formRecord(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/**
 * A field whose copies must agree: its text, `undefined` when absent, `null` when copies differ
 * or it is not text. For callbacks where a disagreement means the request cannot be trusted.
 */
export function agreedValue(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    const copies = value.map((v) => String(v));
    return copies.every((copy) => copy === copies[0]) ? (copies[0] ?? '') : null;
  }
  if (typeof value === 'object' && value !== null) return null;
  return String(value);
}

/** A field read leniently: the first copy when it is text, else `undefined`. */
export function firstValue(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * The first copy of each named field, leaving out absent ones and those over `maxLength`
 * characters; anything else in the body is ignored. Never throws.
 */
export function readForm<K extends string>(body: unknown, names: readonly K[], maxLength = Number.POSITIVE_INFINITY): Partial<Record<K, string>> {
  const source = formRecord(body);
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = firstValue(source[name]);
    if (value !== undefined && value.length <= maxLength) out[name] = value;
  }
  return out;
}
