/**
 * What a finished broadcast must satisfy, read from the ledger (through the real read API) and
 * from the fake AT's provider log. Returns the facts and a list of violations, so a test asserts
 * `violations` is empty and the report script prints the same facts.
 */
import { readFileSync } from 'node:fs';
import type { LedgerEntry, RecipientState } from '../../../../src/sms/outbound/types';
import type { Scenario } from './scenario';
import { busiestWindow as busiestWindowOf } from '../../../support/busiest-window';

export interface ProviderCall {
  t: number;
  pid: number;
  mode: 'ok' | 'http500' | 'status500' | 'timeout';
  to: string[];
}

export function readProviderLog(file: string): ProviderCall[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProviderCall);
}

/** Recipients handed to the provider in the busiest window of `windowMs` (any start time). */
export function busiestWindow(calls: ProviderCall[], windowMs = 1000): number {
  return busiestWindowOf(calls.map((call) => ({ t: call.t, n: call.to.length })), windowMs);
}

export interface LedgerFacts {
  total: number;
  counts: Record<RecipientState, number>;
  providerCalls: number;
  /** Recipients handed to the provider in more than one call. */
  sentTwice: number;
  /** Of those, recipients whose earlier call was not a rejection (http500 / statusCode 500). */
  resentAfterAcceptOrTimeout: number;
  busiestSecond: number;
  violations: string[];
}

/** Every entry of every ledger group of broadcast `id`. */
export async function ledgerEntries(scenario: Scenario, id: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const group of await scenario.groups(id)) entries.push(...(await scenario.api.services.messaging.listByGroup(group, { limit: 1_000_000 })));
  return entries;
}

/**
 * The invariants of a finished broadcast to `phones`:
 * - one ledger entry per recipient, each in exactly one final state; none queued or sending;
 *   the broadcast's counts add up to `phones.length`;
 * - a recipient appears in two provider calls only if every call but the last was rejected as a
 *   whole or per recipient (AT said it did not take it); otherwise its entry is `uncertain`;
 * - every `sent` recipient was in a provider call; `uncertain` <= `maxUncertain`.
 */
export async function checkBroadcast(scenario: Scenario, id: string, phones: string[], maxUncertain: number): Promise<LedgerFacts> {
  const violations: string[] = [];
  const status = await scenario.status(id);
  const counts = { ...status.counts } as Record<RecipientState, number> & { cancelled?: number };
  const sum = Object.values(status.counts).reduce((a, b) => a + b, 0);
  if (sum !== phones.length || status.total !== phones.length) violations.push(`counts add up to ${sum} (total ${status.total}), expected ${phones.length}: ${JSON.stringify(status.counts)}`);
  if (status.counts.queued !== 0 || status.counts.sending !== 0) violations.push(`left queued ${status.counts.queued}, sending ${status.counts.sending}`);
  if (status.counts.uncertain > maxUncertain) violations.push(`uncertain ${status.counts.uncertain} > bound ${maxUncertain}`);

  const entries = await ledgerEntries(scenario, id);
  const byPhone = new Map<string, LedgerEntry>();
  for (const entry of entries) {
    if (byPhone.has(entry.phone)) violations.push(`two ledger entries for ${entry.phone}`);
    byPhone.set(entry.phone, entry);
  }
  const missing = phones.filter((phone) => !byPhone.has(phone));
  if (missing.length > 0) violations.push(`${missing.length} recipients have no ledger entry (first: ${missing[0]})`);
  const notFinal = entries.filter((entry) => entry.state === 'queued' || entry.state === 'sending');
  if (notFinal.length > 0) violations.push(`${notFinal.length} entries not final (first: ${JSON.stringify(notFinal[0])})`);

  const calls = readProviderLog(scenario.providerLog);
  const history = new Map<string, ProviderCall['mode'][]>();
  for (const call of calls) for (const phone of call.to) history.set(phone, [...(history.get(phone) ?? []), call.mode]);
  let sentTwice = 0;
  let resent = 0;
  for (const [phone, modes] of history) {
    if (modes.length < 2) continue;
    sentTwice += 1;
    const earlierTaken = modes.slice(0, -1).some((mode) => mode === 'ok' || mode === 'timeout');
    if (earlierTaken) {
      resent += 1;
      if (resent <= 3) violations.push(`${phone} re-sent after a call AT took or that timed out: ${modes.join(' -> ')} (ledger ${byPhone.get(phone)?.state})`);
    }
  }
  for (const entry of entries) {
    if ((entry.state === 'sent' || entry.state === 'delivered') && !history.get(entry.phone)?.includes('ok')) violations.push(`${entry.phone} is ${entry.state} but AT never accepted it`);
    const modes = history.get(entry.phone) ?? [];
    if (modes.includes('timeout') && entry.state !== 'uncertain') violations.push(`${entry.phone} timed out at AT but is ${entry.state}, not uncertain`);
  }
  return { total: phones.length, counts, providerCalls: calls.length, sentTwice, resentAfterAcceptOrTimeout: resent, busiestSecond: busiestWindow(calls), violations: violations.slice(0, 20) };
}
