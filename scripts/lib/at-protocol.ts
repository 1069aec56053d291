/**
 * What Africa's Talking puts on the wire between a handset and a gateway: ids, dates, the USSD
 * `text` field and the `CON `/`END ` answers. The Node twin of public/shared/at-protocol.js,
 * which the console and the simulator use; a browser test keeps the two in step. The CLI
 * simulator (ussd-client.ts) and the tests' handset (test/support/at-phone.ts) both speak it.
 */
import { randomBytes } from 'node:crypto';

export type ScreenKind = 'CON' | 'END';

export interface UssdScreen {
  kind: ScreenKind;
  /** The screen as the handset shows it: the answer without its `CON `/`END ` prefix. */
  text: string;
  /** The body exactly as the gateway sent it. */
  raw: string;
}

/** The end-of-session statuses AT reports: an END screen, a hang-up, a failed hop. */
export type UssdEventStatus = 'Success' | 'Incomplete' | 'Failed';

/** A USSD service code as a handset accepts it: `*`, digits and stars, `#`. */
export const SERVICE_CODE = /^\*[\d*]+#$/;

/** The sandbox network code AT uses for its simulator. */
export const SANDBOX_NETWORK = '99999';

/** `ATUid_` followed by 32 lowercase hex characters: a USSD session id. */
export function newSessionId(): string {
  return `ATUid_${randomBytes(16).toString('hex')}`;
}

/** `ATXid_` followed by 32 lowercase hex characters: an incoming SMS id. */
export function newMessageId(): string {
  return `ATXid_${randomBytes(16).toString('hex')}`;
}

/** `yyyy-MM-dd HH:mm:ss` in local time, the shape of AT's `date` fields. */
export function atDate(when: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ${two(when.getHours())}:${two(when.getMinutes())}:${two(when.getSeconds())}`;
}

/** The `text` AT sends on a hop: every input so far joined with `*` (empty on the first hop). */
export function ussdText(inputs: readonly string[]): string {
  return inputs.join('*');
}

/** Splits an answer into kind and screen; undefined when AT would reject it. Never throws. */
export function parseUssdAnswer(body: string): UssdScreen | undefined {
  const match = /^(CON|END)(?:$| ([\s\S]*)$)/.exec(body);
  if (!match) return undefined;
  return { kind: match[1] as ScreenKind, text: match[2] ?? '', raw: body };
}
