import fc from 'fast-check';
import { editDistance, parseKeyword } from '../../../src/sms/inbound/keyword-parser';
import type { KeywordTable } from '../../../src/packs/pack-schema';

const table: KeywordTable = {
  commands: {
    register: { sw: ['SAJILI'], en: ['REG', 'REGISTER'] },
    agenda: { sw: ['RATIBA'], en: ['AGENDA'] },
    session: { sw: ['KIKAO'], en: ['SESSION'] },
    remind: { sw: ['KUMBUSHA'], en: ['REMIND'] },
    mine: { sw: ['ZANGU'], en: ['MY', 'MINE'] },
    stop: { sw: ['ACHA'], en: ['STOP'] },
    unremind: { sw: ['ONDOA'], en: ['REMOVE'] },
    start: { sw: ['ANZA'], en: ['START'] },
    help: { sw: ['MSAADA'], en: ['HELP'] },
    language: { sw: ['LUGHA'], en: ['LANG', 'LANGUAGE'] },
    now: { sw: ['SASA'], en: ['NOW'] },
  },
};

describe('parseKeyword', () => {
  it.each([
    ['SAJILI Asha Juma, Wizara ya Fedha', 'register', 'sw', 'Asha Juma, Wizara ya Fedha'],
    ['reg Asha Juma, Ministry of Finance', 'register', 'en', 'Asha Juma, Ministry of Finance'],
    ['  ratiba   2 ', 'agenda', 'sw', '2'],
    ['Agenda', 'agenda', 'en', ''],
    ['kikao: s101', 'session', 'sw', 's101'],
    ['*REMIND* S204', 'remind', 'en', 'S204'],
    ['zangu', 'mine', 'sw', ''],
    ['Ondoa.', 'unremind', 'sw', ''],
    ['STOP', 'stop', 'en', ''],
    ['anza', 'start', 'sw', ''],
    ['msaada?', 'help', 'sw', ''],
    ['LANG en', 'language', 'en', 'en'],
    ['lugha,EN', 'language', 'sw', 'EN'],
  ])('%s -> %s (%s)', (text, command, lang, args) => {
    expect(parseKeyword(text, table)).toMatchObject({ command, lang, args, fuzzy: false });
  });

  it.each([
    ['SAJLI Asha, eGA', 'register', 'sw'], // a missing letter
    ['SAJIILI Asha, eGA', 'register', 'sw'], // an extra letter
    ['RATBIA', 'agenda', 'sw'], // two letters swapped
    ['KUMBUSA S101', 'remind', 'sw'],
    ['AGENDS', 'agenda', 'en'],
    ['MSAADAA', 'help', 'sw'],
  ])('forgives one typo in a long keyword: %s', (text, command, lang) => {
    expect(parseKeyword(text, table)).toMatchObject({ command, lang, fuzzy: true });
  });

  it('does not guess for short keywords or two typos', () => {
    expect(parseKeyword('STAP', table)).toBeNull();
    expect(parseKeyword('ACHE', table)).toBeNull();
    expect(parseKeyword('SJLII', table)).toBeNull();
    expect(parseKeyword('hello there', table)).toBeNull();
    expect(parseKeyword('', table)).toBeNull();
    expect(parseKeyword('!!!', table)).toBeNull();
  });

  it('never throws and returns a known command or null for any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const parsed = parseKeyword(text, table);
      return parsed === null || Object.keys(table.commands).includes(parsed.command);
    }));
  });

  it('measures edit distance with transpositions', () => {
    expect(editDistance('RATIBA', 'RATBIA')).toBe(1);
    expect(editDistance('SAJILI', 'SAJILI')).toBe(0);
    expect(editDistance('ABC', 'XYZ', 1)).toBeGreaterThan(1);
  });
});
