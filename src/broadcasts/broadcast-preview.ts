/**
 * What a broadcast would do, before it does it: who it reaches after opt-outs and bad numbers,
 * the text each language gets, its encoding (naming the characters that force UCS-2), segments,
 * cost, and when quiet hours let it go.
 */
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../kernel/language';
import type { BroadcastDraft, BroadcastPreview, LanguagePreview } from './broadcast-types';
import { measureSms } from '../kernel/text/gsm';
import type { ResolvedAudience } from './audience';
import { inQuietHours, releaseTime, type QuietWindow } from './quiet-hours';
import { renderFor, textFor } from './render';

export interface PreviewContext {
  sessionLabel(lang: Language): Promise<string>;
  settings: { quietHours: QuietWindow | null; timeZone: string; pricePerSegment: number; currency: string };
  now: Date;
}


/** The first 200 recipients of a merge sheet as each gets the message, with its measure and cost. */
async function mergeRows(draft: BroadcastDraft, resolved: ResolvedAudience, context: PreviewContext, price: number): Promise<NonNullable<BroadcastPreview['merge']>> {
  const merge = draft.merge as NonNullable<BroadcastDraft['merge']>;
  const rows: NonNullable<BroadcastPreview['merge']>['rows'] = [];
  for (const member of resolved.members.slice(0, 200)) {
    const text = renderFor(textFor(draft, member.lang), member, await context.sessionLabel(member.lang), merge.values[member.phone]);
    const m = measureSms(text);
    rows.push({ phone: member.phone, text, encoding: m.encoding, segments: m.segments, cost: Math.round(m.segments * price * 100) / 100 });
  }
  return { columns: merge.columns, rows, invalid: merge.invalid.slice(0, 500) };
}

export async function buildPreview(draft: BroadcastDraft, resolved: ResolvedAudience, context: PreviewContext): Promise<BroadcastPreview> {
  const { settings } = context;
  const languages: BroadcastPreview['languages'] = {};
  const problems: string[] = [];
  let segments = 0;
  for (const lang of LANGUAGES) {
    const members = resolved.members.filter((m) => m.lang === lang);
    if (members.length === 0) continue;
    const other = LANGUAGES.find((l) => l !== lang && draft.messages[l]?.trim());
    if (!draft.messages[lang]?.trim() && other) problems.push(`${members.length} recipients prefer ${LANGUAGE_NAMES[lang]} but there is no ${LANGUAGE_NAMES[lang]} text: they get the ${LANGUAGE_NAMES[other]} one.`);
    const text = textFor(draft, lang);
    const label = await context.sessionLabel(lang);
    const rendered = members.map((m) => renderFor(text, m, label, draft.merge?.values[m.phone]));
    const first = measureSms(rendered[0] ?? text);
    for (const r of rendered) segments += measureSms(r).segments;
    const entry: LanguagePreview = { recipients: members.length, sample: rendered[0] ?? text, encoding: first.encoding, units: first.units, segments: first.segments, nonGsmCharacters: first.nonGsmCharacters };
    languages[lang] = entry;
    if (first.encoding === 'UCS-2') problems.push(`The ${LANGUAGE_NAMES[lang]} text needs UCS-2 because of ${first.nonGsmCharacters.map((c) => JSON.stringify(c)).join(' ')}: 70 characters per SMS instead of 160.`);
  }
  const requested = draft.sendAt ? new Date(draft.sendAt) : context.now;
  const sendsAt = releaseTime(requested, settings.quietHours, settings.timeZone, draft.urgent === true);
  const merge = draft.merge ? await mergeRows(draft, resolved, context, settings.pricePerSegment) : undefined;
  return {
    ...(merge ? { merge } : {}),
    audience: { selected: resolved.selected, eligible: resolved.members.length, optedOut: resolved.optedOut, invalid: resolved.invalid, invalidEntries: resolved.invalidEntries, duplicates: resolved.duplicates },
    languages,
    cost: { segments, pricePerSegment: settings.pricePerSegment, currency: settings.currency, amount: Math.round(segments * settings.pricePerSegment * 100) / 100 },
    quietHours: {
      window: settings.quietHours ? `${settings.quietHours.start}-${settings.quietHours.end}` : 'off',
      inQuietHours: inQuietHours(requested, settings.quietHours, settings.timeZone),
      urgent: draft.urgent === true,
      sendsAt: sendsAt.toISOString(),
    },
    problems,
  };
}
