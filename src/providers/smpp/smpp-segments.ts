/**
 * One text as the submit_sm PDUs that carry it: the data coding the gateway's own measure picks
 * (GSM-7 as data_coding 0, anything else UCS-2 as 8) and, when it does not fit one SMS, parts of
 * 153 septets / 67 UTF-16 units behind a concatenation header (UDH, IEI 0x00, 8-bit reference).
 * A part never ends between an escape and its character, nor inside a surrogate pair.
 */
import { gsmSeptets, measureSms, type Encoding } from '../../kernel/text/gsm';

export const DATA_CODING: Record<Encoding, number> = { 'GSM-7': 0, 'UCS-2': 8 };

export interface SmppPart {
  /** The text of this part (the library encodes it with `dataCoding`). */
  text: string;
  /** The concatenation header, absent for a single-part message. */
  udh?: Buffer;
}

export interface SmppMessage {
  encoding: Encoding;
  dataCoding: number;
  parts: SmppPart[];
}

const SINGLE = { 'GSM-7': 160, 'UCS-2': 70 } as const;
const PER_PART = { 'GSM-7': 153, 'UCS-2': 67 } as const;
const MAX_PARTS = 255;

/** Splits `text` into the parts to submit; `reference` (0-255) ties the parts of one message together. */
export function smppMessage(text: string, reference: number): SmppMessage {
  const { encoding, units } = measureSms(text);
  const dataCoding = DATA_CODING[encoding];
  if (units <= SINGLE[encoding]) return { encoding, dataCoding, parts: [{ text }] };
  const chunks = cut(text, encoding, PER_PART[encoding]).slice(0, MAX_PARTS);
  const ref = reference & 0xff;
  return {
    encoding, dataCoding,
    parts: chunks.map((chunk, position) => ({ text: chunk, udh: Buffer.from([0x05, 0x00, 0x03, ref, chunks.length, position + 1]) })),
  };
}

/** Cuts by units (septets or UTF-16 code units), keeping characters whole. */
function cut(text: string, encoding: Encoding, limit: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let used = 0;
  for (const char of text) {
    const cost = encoding === 'GSM-7' ? (gsmSeptets(char) ?? 1) : char.length;
    if (used + cost > limit) {
      chunks.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += cost;
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  return chunks;
}
