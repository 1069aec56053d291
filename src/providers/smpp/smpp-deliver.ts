/**
 * What an SMSC's deliver_sm carries: a delivery receipt (esm_class bit 0x04, text
 * `id:... sub:... dlvrd:... submit date:... done date:... stat:DELIVRD err:...`, or the
 * receipted_message_id / message_state TLVs), or a message from a phone (MO).
 *
 * Receipts become the same form as Africa's Talking's delivery reports, so one code path maps
 * both onto the ledger: DELIVRD -> Success (delivered); UNDELIV, DELETED -> Failed; REJECTD ->
 * Rejected; EXPIRED -> Expired (all failed); ENROUTE, ACCEPTD, UNKNOWN -> Sent (not final).
 */
import { randomUUID } from 'node:crypto';
import { normalisePhone } from '../../kernel/phone';
import type { InboundSms } from '../../sms/inbound/inbound-sms-service';
import type { DeliveryReportForm } from '../../sms/outbound/delivery-reports';

/** Ledger ids of SMPP messages carry this prefix, so they never meet another route's ids. */
export const SMPP_ID_PREFIX = 'smpp:';

export type Deliver =
  | { kind: 'receipt'; report: DeliveryReportForm }
  | { kind: 'mo'; sms: InboundSms }
  | { kind: 'ignored'; reason: string };

const STAT_TO_STATUS: Record<string, string> = {
  DELIVRD: 'Success', UNDELIV: 'Failed', DELETED: 'Failed', REJECTD: 'Rejected', EXPIRED: 'Expired',
  ENROUTE: 'Sent', ACCEPTD: 'Sent', UNKNOWN: 'Sent',
};

// SMPP 5.0 message_state values, for receipts that carry the TLV and no text.
const STATE_TO_STAT: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };

const RECEIPT_FIELDS = /(?:^|\s)(id|stat|err):(\S*)/gi;

/** The fields of a receipt text that matter here; unknown layouts give `{}`. */
export function parseReceiptText(text: string): { id?: string; stat?: string; err?: string } {
  const fields: { id?: string; stat?: string; err?: string } = {};
  for (const match of text.matchAll(RECEIPT_FIELDS)) {
    const name = (match[1] ?? '').toLowerCase() as 'id' | 'stat' | 'err';
    if (fields[name] === undefined) fields[name] = match[2] ?? '';
  }
  return fields;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value && typeof value === 'object' && 'message' in value) return textOf((value as { message: unknown }).message);
  return '';
}

/** SMPP addresses carry no `+`; a TON-international or bare national number becomes E.164. */
function phoneOf(address: string): string | undefined {
  const digits = address.trim();
  if (digits === '') return undefined;
  const normalised = normalisePhone(/^\d{10,15}$/.test(digits) && !digits.startsWith('0') ? `+${digits}` : digits);
  return normalised.ok ? normalised.e164 : undefined;
}

/** Reads one deliver_sm PDU (as the `smpp` library decodes it). Never throws. */
export function readDeliver(pdu: Record<string, unknown>): Deliver {
  const esmClass = Number(pdu.esm_class ?? 0);
  const text = textOf(pdu.message_payload ?? pdu.short_message);
  if ((esmClass & 0x3c) === 0x04) return readReceipt(pdu, text);
  const from = phoneOf(String(pdu.source_addr ?? ''));
  if (!from) return { kind: 'ignored', reason: 'unusable_source_addr' };
  return { kind: 'mo', sms: { id: `smpp-${randomUUID()}`, from, to: String(pdu.destination_addr ?? ''), text } };
}

function readReceipt(pdu: Record<string, unknown>, text: string): Deliver {
  const fields = parseReceiptText(text);
  const tlvId = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id.replace(/\0+$/, '') : undefined;
  const id = tlvId || fields.id;
  const stateValue = typeof pdu.message_state === 'number' ? STATE_TO_STAT[pdu.message_state] : undefined;
  const stat = (fields.stat || stateValue || '').toUpperCase();
  const status = STAT_TO_STATUS[stat];
  if (!id) return { kind: 'ignored', reason: 'receipt_without_id' };
  if (!status) return { kind: 'ignored', reason: `receipt_with_unknown_stat:${stat.slice(0, 12)}` };
  const failed = status === 'Failed' || status === 'Rejected' || status === 'Expired';
  const err = fields.err && fields.err !== '000' ? fields.err : undefined;
  return {
    kind: 'receipt',
    report: {
      id: `${SMPP_ID_PREFIX}${id}`, status,
      ...(failed ? { failureReason: `${stat}${err ? ` err:${err}` : ''}` } : {}),
      ...(phoneOf(String(pdu.source_addr ?? '')) ? { phoneNumber: phoneOf(String(pdu.source_addr ?? '')) } : {}),
    },
  };
}
