import { join } from 'node:path';
import { checkPack } from '../../src/packs/check';
import { loadPackFolder, type LoadedPack } from '../../src/packs/load';
import { formatProblem } from '../../src/packs/problem';
import { OPTIONAL_SMS_MESSAGES, SMS_MESSAGES, smsVariablesOf } from '../../src/packs/sms-messages';
import { measureSms } from '../../src/kernel/text/gsm';
import { say } from '../../src/sms/inbound/command-types';

function samplePack(): LoadedPack {
  const { loaded } = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015');
  if (!loaded) throw new Error('sample pack did not load');
  return loaded;
}

function withMessage(lang: 'sw' | 'en', key: string, text: string | undefined): LoadedPack {
  const loaded = samplePack();
  const messages = { ...loaded.pack.messages[lang] };
  if (text === undefined) delete messages[key];
  else messages[key] = text;
  return { ...loaded, pack: { ...loaded.pack, messages: { ...loaded.pack.messages, [lang]: messages } } };
}

describe('SMS catalogue', () => {
  test('the sample pack has every SMS text in both languages, and nothing else under sms.', () => {
    const { pack } = samplePack();
    for (const lang of pack.languages) {
      // The survey's fourth and fifth questions are optional (OPTIONAL_SMS_MESSAGES).
      const keys = Object.keys(pack.messages[lang]).filter((k) => k.startsWith('sms.') && OPTIONAL_SMS_MESSAGES[k] === undefined).sort();
      expect(keys).toEqual(Object.keys(SMS_MESSAGES).sort());
    }
  });

  test('the fixed texts are single GSM-7 SMS', () => {
    const { pack } = samplePack();
    for (const lang of pack.languages)
      for (const key of ['sms.help', 'sms.unknown', 'sms.stopped', 'sms.started', 'sms.register_usage', 'sms.language_set']) {
        const measure = measureSms(say(pack, lang, key));
        expect({ key, lang, encoding: measure.encoding, segments: measure.segments }).toEqual({ key, lang, encoding: 'GSM-7', segments: 1 });
      }
  });

  test('the registration confirmation gets the same variables whichever channel sends it', () => {
    expect(smsVariablesOf('sms.registered')).toEqual(['event.name', 'ussd.code', 'sms.shortCode', 'delegate.name', 'delegate.code']);
    expect(smsVariablesOf('sms.help')).toEqual(['event.name', 'ussd.code', 'sms.shortCode']);
  });

  test('a missing SMS translation is reported once, naming the file and the key', () => {
    const problems = checkPack(withMessage('en', 'sms.reminder', undefined)).map(formatProblem);
    expect(problems).toEqual(["egov2015/messages.en.yaml: sms.reminder: message 'sms.reminder' (sent by SMS) is missing (fix: add 'sms.reminder' in en)"]);
  });

  test('an SMS text missing in every language says which variables it may use', () => {
    const loaded = withMessage('en', 'sms.reminder', undefined);
    const sw = { ...loaded.pack.messages.sw };
    delete sw['sms.reminder'];
    const problems = checkPack({ ...loaded, pack: { ...loaded.pack, messages: { ...loaded.pack.messages, sw } } }).map(formatProblem);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/messages\.sw\.yaml: sms\.reminder: .*is missing \(fix: add 'sms\.reminder' under 'sms:' \(it may use .*\{session\.start\}/);
  });

  test('a variable the sender does not fill in is reported, with a suggestion', () => {
    const problems = checkPack(withMessage('sw', 'sms.remind_ok', 'Sawa: {session.strat}')).map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(/messages\.sw\.yaml: sms\.remind_ok: unknown template variable \{session\.strat\}.*did you mean 'session\.start'/)]);
  });

  test('the confirmation may name the USSD code (both channels fill it), not variables no sender fills', () => {
    expect(checkPack(withMessage('sw', 'sms.registered', 'Namba {delegate.code}, piga {ussd.code}'))).toEqual([]);
    const problems = checkPack(withMessage('sw', 'sms.registered', 'Namba {delegate.code}, {values.code}')).map((p) => p.code);
    expect(problems).toEqual(['FLOW.UNKNOWN_VARIABLE']);
  });

  test('an sms. key the gateway never sends is reported (a typo, most likely)', () => {
    const problems = checkPack(withMessage('en', 'sms.registerd', 'x')).map(formatProblem);
    expect(problems.some((p) => /sms\.registerd: 'sms\.registerd' is not an SMS the gateway sends \(fix: did you mean 'sms\.registered'\?\)/.test(p))).toBe(true);
  });

  test('a text over three segments with its variables at their longest is reported', () => {
    const long = `{delegate.name} ${'Maelezo marefu sana. '.repeat(20)}`;
    const problems = checkPack(withMessage('sw', 'sms.mine', long)).map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(/sms\.mine: this SMS can reach \d+ characters in sw, over 3 segments \(budget 459\)/)]);
  });

  test('non-GSM characters in an SMS text are reported like on screens', () => {
    const problems = checkPack(withMessage('en', 'sms.started', 'Welcome back \u{1F44B}')).map((p) => p.code);
    expect(problems).toContain('FLOW.NOT_GSM7');
  });
});
