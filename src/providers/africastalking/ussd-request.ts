/**
 * Reads an Africa's Talking USSD callback body into a clean request, or says why it cannot.
 * Repeated fields are accepted only when every copy agrees; control characters never pass.
 */
import type { UssdRequest } from '../../ussd/ussd-request';
import { normalisePhone } from '../../kernel/phone';
import { agreedValue as single, formRecord } from './at-form';

export type { UssdRequest };

export type UssdRequestProblem = 'missing_session' | 'missing_phone' | 'invalid_phone' | 'conflicting_fields' | 'text_too_long';

export const MAX_TEXT_LENGTH = 1000;

// C0/C1 controls and the Unicode line/paragraph separators; AT never sends them in `text`.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Never throws. */
export function parseUssdRequest(body: unknown): { ok: true; request: UssdRequest } | { ok: false; problem: UssdRequestProblem } {
  const fields = formRecord(body);
  const sessionId = single(fields.sessionId);
  const phoneNumber = single(fields.phoneNumber);
  const text = single(fields.text);
  const serviceCode = single(fields.serviceCode);
  const networkCode = single(fields.networkCode);
  if (sessionId === null || phoneNumber === null || text === null || serviceCode === null || networkCode === null) return { ok: false, problem: 'conflicting_fields' };
  const cleanSession = (sessionId ?? '').replace(CONTROL, '').trim();
  if (!cleanSession || cleanSession.length > 128) return { ok: false, problem: 'missing_session' };
  if (!phoneNumber || !phoneNumber.trim()) return { ok: false, problem: 'missing_phone' };
  // A raw '+' in a form body decodes to a space: restore it before parsing.
  const phone = normalisePhone(phoneNumber.trim().replace(/^ (?=\d)/, '+'));
  if (!phone.ok) return { ok: false, problem: 'invalid_phone' };
  const cleanText = (text ?? '').replace(CONTROL, '');
  if (cleanText.length > MAX_TEXT_LENGTH) return { ok: false, problem: 'text_too_long' };
  return {
    ok: true,
    request: {
      sessionId: cleanSession,
      serviceCode: (serviceCode ?? '').replace(CONTROL, '').trim(),
      phone: phone.e164,
      networkCode: (networkCode ?? '').replace(CONTROL, '').trim(),
      text: cleanText,
    },
  };
}
