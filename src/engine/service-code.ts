/**
 * Which pack answers a dialled service code. Shared codes may arrive with or without the channel
 * ("*384*2015#" or "*384#"), so a base code matches the one pack on that base.
 */
import type { FlowPack } from './types';

/** "*384*2015#" -> "*384#"; a code with no channel is its own base. */
export function baseServiceCode(code: string): string {
  const match = /^\*(\d+)(?:\*[\d*]+)?#$/.exec(code.trim());
  return match ? `*${match[1]}#` : code.trim();
}

/**
 * The pack for `serviceCode`: an exact match first; else the only pack declaring a code on that
 * base; else, when exactly one pack is loaded, that pack. Null when none or ambiguous.
 */
export function matchServiceCode<P extends Pick<FlowPack, 'serviceCodes'>>(packs: readonly P[], serviceCode: string): P | null {
  const code = serviceCode.trim();
  const exact = packs.filter((p) => p.serviceCodes.includes(code));
  if (exact.length === 1) return exact[0] ?? null;
  if (exact.length > 1) return null;
  // Digits dialled after a pack's code ("*384*2015*2#") are a deep link into that pack.
  const dialled = code.replace(/#$/, '');
  const extended = packs.filter((p) => p.serviceCodes.some((c) => dialled.startsWith(`${c.replace(/#$/, '')}*`)));
  if (extended.length === 1) return extended[0] ?? null;
  const base = baseServiceCode(code);
  const onBase = packs.filter((p) => p.serviceCodes.some((c) => baseServiceCode(c) === base));
  if (onBase.length === 1) return onBase[0] ?? null;
  const [only] = packs;
  return packs.length === 1 ? (only ?? null) : null;
}

/** Splits AT's accumulated `text` into inputs ("1*2" -> ["1", "2"]; "" -> []). */
export function splitUssdText(text: string): string[] {
  return text === '' ? [] : text.split('*');
}
