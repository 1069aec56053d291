/**
 * What a viewer token is shown: every phone number masked (`+2557XXXXX678`), in every route, the
 * same way. Applied to each JSON answer of a viewer; CSV routes mask their own phone column.
 */
import { maskPhone } from '../../kernel/phone';

/** Fields that hold a phone number in the admin API's answers. */
const PHONE_FIELDS = new Set(['phone', 'phones', 'to', 'phoneNumber', 'number', 'from']);

/** `value` with every phone field (a string or a list of strings) masked, at any depth. Never mutates. */
export function maskPhonesDeep(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskPhonesDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (PHONE_FIELDS.has(key) && typeof field === 'string') out[key] = maskPhone(field);
    else if (PHONE_FIELDS.has(key) && Array.isArray(field)) out[key] = field.map((item) => (typeof item === 'string' ? maskPhone(item) : maskPhonesDeep(item, depth + 1)));
    else out[key] = maskPhonesDeep(field, depth + 1);
  }
  return out;
}
