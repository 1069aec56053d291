/**
 * Input validators. Each returns the value to store, or the catalogue key of the reason
 * (with variables for it) so the node can re-prompt. Never throws.
 */
import { normalisePhone } from '../kernel/phone';
import type { Value } from './types';

export type Validation = { ok: true; value: Value } | { ok: false, reason: string; vars?: Record<string, string> };

export function validateText(input: string, spec: { minLength: number; maxLength: number; pattern?: string | undefined }): Validation {
  const length = Array.from(input).length;
  if (length < spec.minLength) return { ok: false, reason: 'error.too_short', vars: { 'input.min': String(spec.minLength) } };
  if (length > spec.maxLength) return { ok: false, reason: 'error.too_long', vars: { 'input.max': String(spec.maxLength) } };
  if (spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`, 'u').test(input)) return { ok: false, reason: 'error.bad_format' };
  return { ok: true, value: input };
}

export function validateNumber(input: string, spec: { min?: number | undefined; max?: number | undefined }): Validation {
  if (!/^-?\d{1,9}$/.test(input)) return { ok: false, reason: 'error.not_number' };
  const value = Number(input);
  const vars = { 'input.min': String(spec.min ?? ''), 'input.max': String(spec.max ?? '') };
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
    return { ok: false, reason: 'error.out_of_range', vars };
  return { ok: true, value };
}

/**
 * A Tanzanian mobile number in E.164 (+255...), from 07xx/06xx, 2557xx, +2557xx or 7xx forms,
 * spaces, dots and dashes allowed. Null when it is not a TZ mobile number. The ranges are the
 * kernel's phone rules (the same ones SMS and imports use), never a copy of them.
 */
export function normalizeTzMobile(input: string): string | null {
  const compact = input.replace(/[\s.\-()]/g, '');
  const national = /^\d{9}$/.test(compact) ? `0${compact}` : compact;
  const phone = normalisePhone(national, 'TZ');
  return phone.ok && phone.e164.startsWith('+255') ? phone.e164 : null;
}

export function validatePhone(input: string): Validation {
  const phone = normalizeTzMobile(input);
  return phone === null ? { ok: false, reason: 'error.bad_phone' } : { ok: true, value: phone };
}

export function validateYesNo(input: string): Validation {
  if (input === '1') return { ok: true, value: true };
  if (input === '2') return { ok: true, value: false };
  return { ok: false, reason: 'error.invalid_choice' };
}
