// What Africa's Talking puts on the wire between a handset and a gateway: ids, dates, the USSD
// `text` field and the CON/END answers. The console and the simulator share this module;
// scripts/lib/at-protocol.ts is its twin for Node (a test keeps the two in step).

function randomHex(bytes) {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A USSD session id as AT makes them: `ATUid_` and 32 hex characters. */
export function newSessionId() {
  return `ATUid_${randomHex(16)}`;
}

/** An incoming SMS id: `ATXid_` and 32 hex characters. */
export function newMessageId() {
  return `ATXid_${randomHex(16)}`;
}

/** `yyyy-MM-dd HH:mm:ss` in the browser's local time, the format of AT's `date` fields. */
export function atDate(when = new Date()) {
  const two = (n) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ` +
    `${two(when.getHours())}:${two(when.getMinutes())}:${two(when.getSeconds())}`;
}

/** The `text` AT sends on a hop: every input so far joined with `*` (empty on the first hop). */
export function ussdText(inputs) {
  return inputs.join('*');
}

/**
 * Splits a USSD answer into { kind: 'CON' | 'END', text }, or null when AT would reject it
 * ("Response should start with a CON or an END").
 */
export function parseUssdAnswer(body) {
  const match = /^(CON|END)(?:$| ([\s\S]*)$)/.exec(body);
  if (!match) return null;
  return { kind: match[1], text: match[2] ?? '' };
}

/** A USSD service code as a handset accepts it: `*`, digits and stars, `#`. */
export const SERVICE_CODE = /^\*[\d*]+#$/;

/** The sandbox network code AT uses for its simulator. */
export const SANDBOX_NETWORK = '99999';
