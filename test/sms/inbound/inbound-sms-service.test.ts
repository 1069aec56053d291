/** The inbound SMS story with stand-in stores: which pack answers, and what it says. */
import { join } from 'node:path';
import { createLogger } from '../../../src/kernel/logger';
import { fixedClock } from '../../../src/kernel/clock';
import { loadPacks } from '../../../src/packs/load';
import { createInboundSmsService, type HelpReplies } from '../../../src/sms/inbound/inbound-sms-service';
import type { InboundPack } from '../../../src/sms/inbound/pack-router';
import type { CommandDeps } from '../../../src/sms/inbound/command-types';
import type { OutboundMessages, OutboundRequest } from '../../../src/sms/outbound/outbound-port';

const loaded = loadPacks(join(__dirname, '../../../flows')).loaded;
const entries = (noDefault = false): InboundPack[] =>
  loaded.map(({ pack, keywords, sms }) => ({ pack, keywords, ...(sms ? { sms: noDefault ? { ...sms, default: false } : sms } : {}) }));

function service(packs: InboundPack[]) {
  const sent: OutboundRequest[] = [];
  const flags = new Set<string>();
  const helpReplies: HelpReplies = { claim: async (phone) => (flags.has(phone) ? false : (flags.add(phone), true)) };
  const outbound = { enqueue: async (request: OutboundRequest) => { sent.push(request); return { state: 'queued', messageId: String(sent.length) }; } } as unknown as OutboundMessages;
  const stores = {
    delegates: { get: async () => null, languageOf: async () => null }, reminders: { listForPhone: async () => [] }, agenda: { get: async (packId: string) => (loaded.find((l) => l.pack.id === packId)?.pack.event) }, suppression: { isSuppressed: async () => false },
  } as unknown as Pick<CommandDeps, 'delegates' | 'reminders' | 'agenda' | 'suppression'>;
  const noticed = new Set<string>();
  const optedOutNotices: HelpReplies = { claim: async (phone) => (noticed.has(phone) ? false : (noticed.add(phone), true)) };
  const svc = createInboundSmsService({
    packs, ...stores, clock: fixedClock('2016-05-01T06:00:00.000Z'), outbound, helpReplies, optedOutNotices, defaultLanguage: 'sw', logger: createLogger('silent'),
  });
  let n = 0;
  const text = (body: string, to = '15001') => svc.handle({ id: `m${(n += 1)}`, from: '+255713200001', to, text: body });
  return { text, sent };
}

describe('inbound SMS service and packs', () => {
  it('a bare pack keyword is that pack\'s help; a pack keyword then a command runs it there', async () => {
    const { text, sent } = service(entries());
    expect(await text('EGOV2016')).toEqual({ pack: 'egov2016', command: 'help', replies: 1 });
    expect(sent[0]?.text).toMatch(/^Mkutano wa Serikali Mtandao 2016: tuma kwenda 15001 EGOV2016/);
    expect(await text('EGOV2016 AGENDA')).toMatchObject({ pack: 'egov2016', command: 'agenda' });
    expect(sent[1]?.text).toMatch(/^Agenda \(Sample agenda\):/);
    expect(await text('agenda')).toMatchObject({ pack: 'egov2015', command: 'agenda' });
    // Each reply counts in the SMS figures of the pack that answered.
    expect(sent.map((request) => request.packId)).toEqual(['egov2016', 'egov2016', 'egov2015']);
  });

  it('without a default, a message naming no pack gets the bilingual choice once an hour, not silence', async () => {
    const { text, sent } = service(entries(true));
    expect(await text('RATIBA')).toEqual({ pack: null, command: null, replies: 1 });
    expect(sent[0]?.text).toMatch(/^Tafadhali anza kwa neno la huduma: EGOV2015, EGOV2016\. .* \/ Please start with a service word: EGOV2015, EGOV2016/);
    expect(sent[0]).toMatchObject({ purpose: 'reply', inboundTriggered: true });
    expect(sent[0]).not.toHaveProperty('packId'); // no pack answered: the gateway's own message
    expect(await text('ZANGU')).toEqual({ pack: null, command: null, replies: 0 });
    expect(await text('EGOV2015 ZANGU')).toMatchObject({ pack: 'egov2015', command: 'mine', replies: 1 });
    expect(sent[1]?.packId).toBe('egov2015');
  });
});
