/**
 * The one session/delegate variable table and the one catalogue renderer: USSD screens, SMS
 * replies, reminders and the USSD registration SMS all read a session the same way.
 */
import { join } from 'node:path';
import { delegateVariables, renderMessage, sessionVariables } from '../../src/event/catalogue';
import { shortDate } from '../../src/kernel/local-time';
import type { Delegate, DelegateRepository } from '../../src/event/delegates';
import type { EventPack } from '../../src/event/event-pack';
import { EVENT_VARIABLE_TABLE } from '../../src/event/variables';
import { sampleContext } from '../../src/event/context';
import { loadPackFolder } from '../../src/packs/load';
import { registerCommand } from '../../src/sms/inbound/commands/register';
import type { CommandDeps } from '../../src/sms/inbound/command-types';
import { register } from '../../src/ussd/actions/register';
import { renderFor, sessionPlaceholder, textFor } from '../../src/broadcasts/render';
import type { ActionDeps } from '../../src/ussd/actions/types';
import type { OutboundRequest } from '../../src/sms/outbound/outbound-port';

function samplePack(): EventPack {
  const { loaded } = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015');
  if (!loaded) throw new Error('sample pack did not load');
  return loaded.pack;
}

const pack = samplePack();
const event = pack.event;
const s103 = event.sessions.find((s) => s.code === 'S103')!;

describe('session and delegate variables', () => {
  test('prose times are Swahili time in Kiswahili and 24-hour in English; screens keep the timetable form', () => {
    const s105 = event.sessions.find((s) => s.code === 'S105')!;
    expect(sessionVariables(event, s105, 'sw')).toMatchObject({
      'session.time': '14:00-15:30', 'session.start': '14:00',
      'session.startProse': 'saa 8:00 mchana (14:00)', 'session.timeProse': 'saa 8:00 mchana hadi 9:30 alasiri (14:00-15:30)',
    });
    expect(sessionVariables(event, s105, 'en')).toMatchObject({ 'session.startProse': '14:00', 'session.timeProse': '14:00-15:30' });
    const reminder = renderMessage(pack, 'sw', 'sms.reminder', sessionVariables(event, s105, 'sw'));
    expect(reminder).toBe('Kikumbusho: kikao S105 Huduma kwa simu kinaanza saa 8:00 mchana (14:00), Kilimanjaro Hall (Ratiba ya mfano).');
    // Once organisers make the event theirs the sample marking goes, brackets and all.
    const real = { ...event, sample: false };
    expect(renderMessage(pack, 'en', 'sms.reminder', sessionVariables(real, s105, 'en'))).toBe('Reminder: the session S105 Mobile services starts at 14:00, Kilimanjaro Hall.');
    expect(reminder).not.toMatch(/saa \d\d:/);
  });

  test('a speaker with a title reads in each language', () => {
    expect(sessionVariables(event, s103, 'sw')['session.speaker']).toBe('Dkt. Jabiri Kuwe Bakari');
    expect(sessionVariables(event, s103, 'en')['session.speaker']).toBe('Dr. Jabiri Kuwe Bakari');
  });

  test('no Kiswahili text of either sample pack puts saa before a 24-hour figure', () => {
    for (const dir of ['egov2015', 'egov2016']) {
      const { loaded } = loadPackFolder(join(__dirname, '../../flows', dir), dir);
      for (const [key, text] of Object.entries(loaded!.pack.messages.sw)) expect(`${key}: ${text}`).not.toMatch(/saa \{session\.(time|start)\}/);
    }
  });

  test('a session reads the same on every channel: theme by its title, day by its label, date short', () => {
    const vars = sessionVariables(event, s103, 'en');
    expect(vars['session.theme']).toBe('ICT policy, law and guidelines');
    expect(vars['session.date']).toBe('17/8');
    expect(vars['session.day']).toBe(event.days[0]!.label.en);
    expect(vars['session.time']).toBe('11:00-12:00');
    expect(sessionVariables(event, event.sessions[0]!, 'sw')['session.theme']).toBe('-');
  });

  test('the USSD variable table gives the same session texts as SMS', () => {
    const ussd = EVENT_VARIABLE_TABLE.values({ ctx: sampleContext(event), lang: 'sw', values: { session: 'S103' } });
    expect(ussd).toMatchObject(sessionVariables(event, s103, 'sw'));
  });

  test('delegates show their cohort and institution type by label, their id when the event has none', () => {
    const delegate = { name: 'Asha', institution: 'Wizara ya Fedha', institutionType: 'ministry', cohort: '1', code: 'EG-0101' };
    expect(delegateVariables(event, delegate, 'sw')).toMatchObject({ 'delegate.cohortShort': 'Kundi 1', 'delegate.code': 'EG-0101' });
    expect(delegateVariables(event, { ...delegate, cohort: '9' }, 'en')['delegate.cohort']).toBe('9');
  });

  test('a broadcast names a session by the same table, and keeps braces it does not know', () => {
    expect(sessionPlaceholder(event, 'S103', 'en')).toBe(sessionVariables(event, s103, 'en')['session.short']);
    expect(sessionPlaceholder(event, 'S999', 'en')).toBe('S999');
    const text = renderFor('{name}: {session} {x}', { delegate: null, lang: 'sw' }, sessionPlaceholder(event, 'S103', 'sw'));
    expect(text).toBe('Mshiriki: Sera na miongozo {x}');
    expect(textFor({ messages: { sw: 'Habari' } } as never, 'en')).toBe('Habari');
  });

  test('short dates', () => {
    expect(shortDate('2015-08-07')).toBe('7/8');
  });
});

describe('the catalogue renderer', () => {
  test('fills the event name and the USSD code everywhere, falls back to the default language, then the key', () => {
    const withHelp = { ...pack, messages: { sw: { 'x.only_sw': 'Piga {ussd.code} ({event.name})' }, en: {} } };
    expect(renderMessage(withHelp, 'en', 'x.only_sw')).toBe(`Piga *384*2015# (${event.shortName.en})`);
    expect(renderMessage(withHelp, 'en', 'x.missing')).toBe('x.missing');
  });

  test('the registration SMS is the same text whether the delegate registered by USSD or by SMS', async () => {
    const template = 'Asante {delegate.name}, namba {delegate.code}. Piga {ussd.code}';
    const withCode: EventPack = { ...pack, messages: { ...pack.messages, sw: { ...pack.messages.sw, 'sms.registered': template } } };
    const created: Delegate = { phone: '+255754000001', name: 'Asha Juma', institution: 'Wizara ya Fedha', institutionType: 'ministry', cohort: '1', code: 'EG-0427', language: 'sw', channel: 'ussd', registeredAt: '2015-08-17T06:00:00.000Z' };
    const delegates = { register: async () => ({ status: 'created' as const, delegate: created }) } as unknown as DelegateRepository;
    const sent: OutboundRequest[] = [];
    const outbound = { enqueue: async (request: OutboundRequest) => { sent.push(request); return { state: 'queued', messageId: 'm1' }; } };
    const clock = { now: () => new Date('2015-08-17T06:00:00Z') };
    const actionDeps = { delegates, outbound, clock, logger: { error: () => undefined } } as unknown as ActionDeps;
    await register({ pack: withCode, phone: created.phone, lang: 'sw', params: { name: 'Asha Juma', institution: 'Wizara ya Fedha', institutionType: 'ministry', cohort: '1' }, hopId: 'h1' }, actionDeps);
    const commandDeps = { delegates, clock, agenda: { get: async () => event } } as unknown as CommandDeps;
    const [reply] = await registerCommand({ pack: withCode, keywords: { commands: {} } as never, phone: created.phone, lang: 'sw', args: 'Asha Juma, Wizara ya Fedha, Wizara, Kundi 1', delegate: null }, commandDeps);
    expect(sent.map((m) => m.text)).toEqual(['Asante Asha Juma, namba EG-0427. Piga *384*2015#']);
    expect(reply?.text).toBe(sent[0]?.text);
  });
});
