/**
 * Africa's Talking per-recipient `statusCode` values (SMS send response) and what each means for
 * a retry. Source: AT's "Send Bulk SMS" docs; 409 is their Nigerian DND rejection.
 */

export type RecipientVerdict =
  | { result: 'accepted' }
  | { result: 'failed_permanent'; reason: string; blacklisted?: true }
  | { result: 'failed_retryable'; reason: string }
  | { result: 'uncertain'; reason: string };

const ACCEPTED: ReadonlySet<number> = new Set([100, 101, 102]); // Processed, Sent, Queued

const PERMANENT: ReadonlyMap<number, string> = new Map([
  [401, 'RiskHold'],
  [402, 'InvalidSenderId'],
  [403, 'InvalidPhoneNumber'],
  [404, 'UnsupportedNumberType'],
  [405, 'InsufficientBalance'],
  [406, 'UserInBlacklist'],
  [407, 'CouldNotRoute'],
  [409, 'DoNotDisturbRejection'],
]);

const RETRYABLE: ReadonlyMap<number, string> = new Map([
  [500, 'InternalServerError'],
  [501, 'GatewayError'],
  [502, 'RejectedByGateway'],
]);

/**
 * Classifies one recipient's `statusCode`. Codes AT does not document are judged by their class
 * (other 4xx permanent, other 5xx retryable) and anything else is `uncertain`, never `accepted`.
 * `status` (AT's own name) is the reason when the code is not in the table.
 */
export function classifyRecipientStatus(statusCode: number, status: string): RecipientVerdict {
  if (ACCEPTED.has(statusCode)) return { result: 'accepted' };
  const permanent = PERMANENT.get(statusCode);
  if (permanent === 'UserInBlacklist') return { result: 'failed_permanent', reason: permanent, blacklisted: true };
  if (permanent !== undefined) return { result: 'failed_permanent', reason: permanent };
  const retryable = RETRYABLE.get(statusCode);
  if (retryable !== undefined) return { result: 'failed_retryable', reason: retryable };
  const reason = status.trim() === '' ? `StatusCode${statusCode}` : status.trim();
  if (statusCode >= 400 && statusCode < 500) return { result: 'failed_permanent', reason };
  if (statusCode >= 500 && statusCode < 600) return { result: 'failed_retryable', reason };
  return { result: 'uncertain', reason: `UnknownStatusCode${statusCode}` };
}

/** Parses AT's cost string (`"TZS 22.0000"` → `{ currency: 'TZS', amount: 22 }`); `undefined` for `"0"` or junk. */
export function parseCost(cost: string | undefined): { currency: string; amount: number } | undefined {
  const match = /^\s*([A-Z]{3})\s+(\d+(?:\.\d+)?)\s*$/.exec(cost ?? '');
  if (!match || match[1] === undefined || match[2] === undefined) return undefined;
  return { currency: match[1], amount: Number(match[2]) };
}
