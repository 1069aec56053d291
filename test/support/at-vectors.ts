/**
 * Africa's Talking callback vectors (test/fixtures/africastalking/at-callbacks.json): real-world
 * bodies AT posts, each with the handling it needs. Part of the repository, so no test skips.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type VectorKind = 'delivery-report' | 'incoming-sms' | 'bulk-sms-opt-out' | 'subscription' | 'ussd-end-of-session';

export interface AtVector {
  id: string;
  kind: VectorKind;
  /** The exact fields AT posts, form-urlencoded. */
  form: Record<string, string>;
  expect: string;
  expectState?: 'delivered' | 'failed' | 'sent' | 'unchanged';
  /** `2xx`: must be acknowledged; `2xx|4xx`: may also be rejected as malformed; never a 5xx. */
  http: '2xx' | '2xx|4xx';
  idRole?: 'message-under-test' | 'unknown' | 'none';
  alsoAcceptable?: string[];
  given?: { state: string; lastStatus: string };
}

export const AT_VECTORS_FILE = path.resolve(__dirname, '../fixtures/africastalking/at-callbacks.json');

let cached: AtVector[] | undefined;

/** Every vector of `kind`; throws when the fixture has none (a test over nothing proves nothing). */
export function atVectors(kind: VectorKind): AtVector[] {
  cached ??= (JSON.parse(readFileSync(AT_VECTORS_FILE, 'utf8')) as { entries: AtVector[] }).entries;
  const found = cached.filter((entry) => entry.kind === kind);
  if (found.length === 0) throw new Error(`no ${kind} vectors in ${AT_VECTORS_FILE}`);
  return found;
}
