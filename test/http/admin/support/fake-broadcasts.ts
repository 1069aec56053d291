/**
 * An in-memory BroadcastService for admin API, CLI and console tests. Recipients move to a final
 * state as time passes (`recipientsPerSecond`) or when a test calls `finish`.
 */
import { measureSms } from '../../../../src/kernel/text/gsm';
import { AppError } from '../../../../src/kernel/errors';
import type {
  BroadcastDraft, BroadcastPreview, BroadcastReport, BroadcastService, BroadcastStatus, BroadcastRecipientState,
} from '../../../../src/broadcasts/broadcast-types';
import { BROADCAST_RECIPIENT_STATES } from '../../../../src/broadcasts/broadcast-types';

const STATES = BROADCAST_RECIPIENT_STATES;

interface Entry { status: BroadcastStatus; draft: BroadcastDraft; done: number; startedMs: number; doneAtPause: number }

export interface FakeBroadcasts extends BroadcastService {
  drafts: BroadcastDraft[];
  testSends: Array<{ draft: BroadcastDraft; phone: string }>;
  finish(id: string): void;
}

export function createFakeBroadcasts(options: { audienceAll?: number; recipientsPerSecond?: number } = {}): FakeBroadcasts {
  const byId = new Map<string, Entry>();
  const byKey = new Map<string, string>();
  const drafts: BroadcastDraft[] = [];
  const testSends: FakeBroadcasts['testSends'] = [];
  const all = options.audienceAll ?? 12;
  const size = (draft: BroadcastDraft) =>
    (draft.audience.all ? all : 0) + (draft.audience.cohorts?.length ?? 0) * 5 + (draft.audience.institutionTypes?.length ?? 0) * 3 +
    (draft.audience.sessions?.length ?? 0) * 2 + (draft.audience.phones?.length ?? 0);

  const refresh = (entry: Entry): BroadcastStatus => {
    const s = entry.status;
    if (s.state === 'sending' && options.recipientsPerSecond) {
      entry.done = Math.min(s.total, entry.doneAtPause + Math.floor(((Date.now() - entry.startedMs) / 1000) * options.recipientsPerSecond));
    }
    const failed = entry.done > 0 && s.total > 3 ? 1 : 0;
    const counts = Object.fromEntries(STATES.map((k) => [k, 0])) as Record<BroadcastRecipientState, number>;
    if (s.state === 'cancelled') { counts.delivered = entry.done; counts.cancelled = s.total - entry.done; }
    else { counts.delivered = entry.done - failed; counts.failed = failed; counts.queued = s.total - entry.done; }
    const final = s.total - counts.queued;
    if (s.state === 'sending' && entry.done >= s.total) s.state = 'completed';
    s.counts = counts;
    s.progress = s.total === 0 ? 1 : final / s.total;
    s.ratePerSecond = options.recipientsPerSecond ?? 0;
    s.etaSeconds = s.state === 'sending' && options.recipientsPerSecond ? Math.ceil(counts.queued / options.recipientsPerSecond) : null;
    return structuredClone(s);
  };
  const entry = (id: string): Entry => {
    const found = byId.get(id);
    if (!found) throw new AppError('BROADCAST.NOT_FOUND', `No broadcast ${id}`);
    return found;
  };

  return {
    drafts, testSends,
    finish(id) { const e = entry(id); e.done = e.status.total; e.doneAtPause = e.done; refresh(e); },
    async preview(draft): Promise<BroadcastPreview> {
      const languages: BroadcastPreview['languages'] = {};
      let segments = 0;
      for (const lang of ['sw', 'en'] as const) {
        const text = draft.messages[lang];
        if (!text) continue;
        const m = measureSms(text);
        const recipients = lang === 'sw' || !draft.messages.sw ? size(draft) : 0;
        segments += m.segments * recipients;
        languages[lang] = { recipients, sample: text.replace('{name}', 'Asha'), encoding: m.encoding, units: m.units, segments: m.segments, nonGsmCharacters: m.nonGsmCharacters };
      }
      const bad = (draft.audience.phones ?? []).filter((p) => !/^\+?\d{9,12}$/.test(p.replace(/\s/g, '')));
      const selected = size(draft);
      return {
        audience: { selected, eligible: selected - bad.length, optedOut: 0, invalid: bad.length, invalidEntries: bad, duplicates: 0 },
        languages,
        cost: { segments, pricePerSegment: 20, currency: 'TZS', amount: segments * 20 },
        quietHours: { window: '21:00-07:00', inQuietHours: false, urgent: Boolean(draft.urgent), sendsAt: draft.sendAt ?? new Date().toISOString() },
        problems: [],
      };
    },
    async create(draft, key) {
      const known = byKey.get(key);
      if (known) return { broadcast: refresh(entry(known)), created: false };
      drafts.push(draft);
      const id = `b${byId.size + 1}`;
      const status: BroadcastStatus = {
        id, name: draft.name ?? 'Broadcast', state: draft.sendAt ? 'scheduled' : 'sending', createdAt: new Date().toISOString(),
        sendAt: draft.sendAt ?? new Date().toISOString(), urgent: Boolean(draft.urgent), expiresAt: draft.expiresAt ?? null, total: size(draft),
        counts: {} as Record<BroadcastRecipientState, number>, progress: 0, ratePerSecond: 0, etaSeconds: null,
      };
      byId.set(id, { status, draft, done: 0, startedMs: Date.now(), doneAtPause: 0 });
      byKey.set(key, id);
      return { broadcast: refresh(entry(id)), created: true };
    },
    async get(id) { const e = byId.get(id); return e ? refresh(e) : null; },
    async list(limit = 50) { return [...byId.values()].reverse().slice(0, limit).map(refresh); },
    async pause(id) { const e = entry(id); refresh(e); e.status.state = 'paused'; e.doneAtPause = e.done; return refresh(e); },
    async resume(id) {
      const e = entry(id);
      if (e.status.state !== 'paused') throw new AppError('BROADCAST.CONFLICT', 'Only a paused broadcast can resume.');
      e.status.state = 'sending'; e.startedMs = Date.now(); return refresh(e);
    },
    async cancel(id) { const e = entry(id); refresh(e); e.status.state = 'cancelled'; return refresh(e); },
    async sendNow(id) {
      const e = entry(id);
      if (e.status.state !== 'scheduled') throw new AppError('BROADCAST.CONFLICT', 'Only a scheduled broadcast can be sent now.');
      e.status.state = 'sending'; e.status.urgent = true; e.status.sendAt = new Date().toISOString(); e.startedMs = Date.now(); return refresh(e);
    },
    async resend(id, which) { const e = entry(id); return { broadcast: refresh(e), queued: which === 'failed' ? e.status.counts.failed : 0 }; },
    async report(id): Promise<BroadcastReport> {
      const status = refresh(entry(id));
      return { status, byReason: status.counts.failed ? { InsufficientCredit: status.counts.failed } : {}, byRoute: {}, problems: [] };
    },
    async reportCsv(id, opts) {
      refresh(entry(id));
      const phone = opts?.maskPhones ? '+2557XXXXX678' : '+255712345678';
      return `phone,language,state,reason\r\n${phone},sw,delivered,\r\n=HYPERLINK("x"),sw,failed,InsufficientCredit\r\n`;
    },
    async testSend(draft, phone) { testSends.push({ draft, phone }); return { messageId: `t${testSends.length}` }; },
  };
}
