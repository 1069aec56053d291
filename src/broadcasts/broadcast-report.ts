/**
 * A broadcast's report from the ledger: counts by state and by reason, the recipients that failed
 * or are uncertain, and every recipient as CSV (cells neutralised against spreadsheet formulas).
 */
import { maskPhone } from '../kernel/phone';
import type { Language } from '../engine';
import type { BroadcastRecipientRow, BroadcastReport, BroadcastStatus } from './broadcast-types';
import { toCsv } from '../kernel/text/csv';
import type { LedgerReader } from './broadcast-progress';
import type { BroadcastRecord, BroadcastStore } from './broadcasts.redis';

export interface ReportSources {
  store: BroadcastStore;
  ledger: LedgerReader;
}

/** Phone -> language of every recipient, from the frozen audience. */
async function languages(record: BroadcastRecord, store: BroadcastStore): Promise<Map<string, Language>> {
  const langOf = new Map<string, Language>();
  for (let wave = 0; wave < record.waves; wave++) for (const r of await store.wave(record.id, wave, record.waveSize)) langOf.set(r.p, r.l);
  return langOf;
}

export async function buildReport(record: BroadcastRecord, status: BroadcastStatus, sources: ReportSources): Promise<BroadcastReport> {
  const langOf = await languages(record, sources.store);
  const byReason: Record<string, number> = {};
  const byRoute: Record<string, number> = {};
  const problems: BroadcastRecipientRow[] = [];
  for (const group of await sources.store.groups(record.id)) {
    for (const entry of await sources.ledger.listByGroup(group, { limit: 100_000 })) {
      if (entry.reason) byReason[entry.reason] = (byReason[entry.reason] ?? 0) + 1;
      if (entry.route) byRoute[entry.route] = (byRoute[entry.route] ?? 0) + 1;
      if (entry.state !== 'failed' && entry.state !== 'uncertain') continue;
      problems.push({
        phone: entry.phone, language: langOf.get(entry.phone) ?? 'sw', state: entry.state, reason: entry.reason ?? '',
        providerMessageId: entry.providerMessageId ?? '', route: entry.route ?? '', cost: entry.cost ? `${entry.cost.currency} ${entry.cost.amount}` : '', updatedAt: new Date(entry.updatedAt).toISOString(),
      });
    }
  }
  if (status.counts.cancelled > 0) byReason.cancelled = status.counts.cancelled;
  return { status, byReason, byRoute, problems };
}

/** Every recipient, one row each: those never fanned out are `queued` (or `cancelled`). */
export async function buildReportCsv(record: BroadcastRecord, sources: ReportSources, maskPhones: boolean): Promise<string> {
  const langOf = await languages(record, sources.store);
  const shown = (phone: string): string => (maskPhones ? maskPhone(phone) : phone);
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const group of await sources.store.groups(record.id)) {
    for (const e of await sources.ledger.listByGroup(group, { limit: 100_000 })) {
      seen.add(e.phone);
      rows.push([shown(e.phone), langOf.get(e.phone) ?? '', e.state, e.reason ?? '', e.providerMessageId ?? '', e.cost ? `${e.cost.currency} ${e.cost.amount}` : '', new Date(e.updatedAt).toISOString(), e.route ?? '']);
    }
  }
  for (const [phone, lang] of langOf) if (!seen.has(phone)) rows.push([shown(phone), lang, record.state === 'cancelled' ? 'cancelled' : 'queued', '', '', '', '', '']);
  return toCsv(['phone', 'language', 'state', 'reason', 'provider_message_id', 'cost', 'updated_at', 'route'], rows);
}
