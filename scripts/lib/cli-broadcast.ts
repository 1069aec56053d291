/** `broadcast`: preview, confirm, create with an idempotency key, follow to the end, report. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { AudienceSpec, BroadcastPreview, BroadcastReport, BroadcastStatus } from '../../src/broadcasts/broadcast-types';
import type { ApiClient } from './cli-api';
import type { CliIo } from './cli-io';

export class UsageError extends Error {}

/** `all`, `cohort:1`, `type:ministry`, `session:S101`, `not-checked-in`, `phones:FILE` (repeatable, comma-separated). */
export function parseAudience(specs: string[]): AudienceSpec & { phonesCsv?: string } {
  const audience: AudienceSpec & { phonesCsv?: string } = {};
  for (const spec of specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const [kind = '', ...rest] = spec.split(':');
    const value = rest.join(':');
    if (kind === 'all' && value === '') audience.all = true;
    else if (kind === 'cohort' && value) (audience.cohorts ??= []).push(value);
    else if (kind === 'type' && value) (audience.institutionTypes ??= []).push(value);
    else if (kind === 'session' && value) (audience.sessions ??= []).push(value.toUpperCase());
    else if (kind === 'not-checked-in' && value === '') audience.notCheckedIn = true;
    else if (kind === 'phones' && value) audience.phonesCsv = `${audience.phonesCsv ?? ''}\n${readFileSync(value, 'utf8')}`;
    else throw new UsageError(`unknown audience '${spec}': use all, cohort:ID, type:ID, session:CODE, not-checked-in or phones:FILE`);
  }
  return audience;
}

function printPreview(io: CliIo, preview: BroadcastPreview): void {
  const a = preview.audience;
  io.out(`Audience: ${a.eligible} recipients (${a.selected} selected, ${a.optedOut} opted out, ${a.invalid} invalid, ${a.duplicates} duplicates)`);
  for (const [lang, p] of Object.entries(preview.languages)) {
    if (!p) continue;
    io.out(`  ${lang}: ${p.recipients} recipients, ${p.encoding}, ${p.units} units, ${p.segments} SMS${p.nonGsmCharacters.length ? ` (UCS-2 because of ${p.nonGsmCharacters.join(' ')})` : ''}`);
  }
  io.out(`Cost: ${preview.cost.segments} SMS, about ${preview.cost.currency} ${preview.cost.amount}`);
  if (preview.quietHours.inQuietHours && !preview.quietHours.urgent) io.out(`Quiet hours (${preview.quietHours.window}): held until ${preview.quietHours.sendsAt}`);
  for (const problem of preview.problems) io.out(`Problem: ${problem}`);
}

export function printReport(io: CliIo, report: BroadcastReport): void {
  const s = report.status;
  io.out(`Broadcast ${s.id} "${s.name}": ${s.state}, ${Math.round(s.progress * 100)} % of ${s.total}`);
  io.out(`  ${Object.entries(s.counts).filter(([, n]) => n > 0).map(([state, n]) => `${state} ${n}`).join(', ') || 'no recipients yet'}`);
  for (const [reason, n] of Object.entries(report.byReason)) io.out(`  reason ${reason}: ${n}`);
}

export interface BroadcastOptions { audience: string[]; sw?: string; en?: string; at?: string; urgent: boolean; yes: boolean; pollMs: number }

/** Runs the whole broadcast conversation; resolves when every recipient is final (or it is cancelled). */
export async function runBroadcast(api: ApiClient, io: CliIo, options: BroadcastOptions): Promise<void> {
  if (options.audience.length === 0) throw new UsageError('--audience is required');
  if (!options.sw && !options.en) throw new UsageError('give the text with --sw and/or --en');
  if (options.at !== undefined && Number.isNaN(Date.parse(options.at))) throw new UsageError('--at must be an ISO time such as 2015-08-17T08:00:00+03:00');
  const draft = {
    audience: parseAudience(options.audience),
    messages: { ...(options.sw ? { sw: options.sw } : {}), ...(options.en ? { en: options.en } : {}) },
    ...(options.at ? { sendAt: new Date(options.at).toISOString() } : {}),
    ...(options.urgent ? { urgent: true } : {}),
  };
  printPreview(io, await api.call<BroadcastPreview>('POST', '/broadcasts/preview', { json: draft }));
  if (!options.yes && !(await io.confirm('Send it? [y/N] '))) { io.out('Not sent.'); return; }
  const created = await api.call<BroadcastStatus>('POST', '/broadcasts', { json: draft, headers: { 'Idempotency-Key': randomUUID() } });
  io.out(`Created broadcast ${created.id} (${created.state}).`);
  const bar = new SingleBar({ format: 'Sending [{bar}] {percentage}% | {value}/{total} final | {state}', stream: io.progressStream, noTTYOutput: true, notTTYSchedule: 1000 });
  bar.start(created.total, 0, { state: created.state });
  let status = created;
  while (!['completed', 'cancelled'].includes(status.state) && status.progress < 1) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    status = await api.call<BroadcastStatus>('GET', `/broadcasts/${encodeURIComponent(created.id)}`);
    bar.update(Math.round(status.progress * status.total), { state: status.state });
  }
  bar.stop();
  printReport(io, await api.call<BroadcastReport>('GET', `/broadcasts/${encodeURIComponent(created.id)}/report`));
}
