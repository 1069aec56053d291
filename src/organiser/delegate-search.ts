/**
 * What the organisers' delegate search looks for. Delegates are stored under E.164 numbers, but
 * organisers type them as a caller says them: `0787654321`, `787654321`, `+255 787 654 321`.
 */
import { normalisePhone } from '../kernel/phone';

const NUMBER_LIKE = /^[\d\s().+-]+$/;

/**
 * The search term to match against name, institution, code and phone: a whole number in any
 * local or international form becomes its E.164 form; part of a number typed with spaces, dashes
 * or the trunk `0` (`0787 65`) becomes its digits without that `0`; any other text is unchanged.
 */
export function delegateSearchTerm(search: string): string {
  const text = search.trim();
  if (!NUMBER_LIKE.test(text) || !/\d/.test(text)) return search;
  const phone = normalisePhone(text);
  if (phone.ok) return phone.e164;
  const digits = text.replace(/[^\d+]/g, '');
  return /^0[1-9]/.test(digits) ? digits.slice(1) : digits;
}
