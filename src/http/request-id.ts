/**
 * The request id every answer carries in `x-request-id` and every log line of the request as
 * `reqId`: the caller's own when it is sane (so a proxy's id follows the request through), a
 * fresh UUID otherwise. Both the express app and the USSD fast path use it.
 */
import { randomUUID } from 'node:crypto';

/** The header the id arrives in and is answered in. */
export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_ID = /^[\w.-]{1,64}$/;

/** `incoming` when it is 1-64 letters, digits, `.`, `_` or `-`; else a new UUID. Never throws. */
export function requestIdFrom(incoming: unknown): string {
  return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
}
