/**
 * The sample note marks the agenda title and the About text only while the event is the pack's
 * sample; once organisers edit it the note is empty and leaves no "()" or ". ." behind, in every
 * pack and language, through the one renderer the USSD screens and the SMS texts share.
 */
import { join } from 'node:path';
import { renderMessage } from '../../src/event/catalogue';
import { EVENT_VARIABLE_TABLE } from '../../src/event/variables';
import { loadPacks } from '../../src/packs/load';

const packs = loadPacks(join(__dirname, '../../flows')).loaded.map((l) => l.pack);
const cases = packs.flatMap((pack) => pack.languages.flatMap((lang) => [true, false].map((sample) => [pack.id, lang, sample] as const)));

test('both sample packs are loaded', () => {
  expect(packs.map((p) => p.id).sort()).toEqual(['egov2015', 'egov2016']);
});

test.each(cases)('%s %s with sample=%s renders the note cleanly', (packId, lang, sample) => {
  const pack = packs.find((p) => p.id === packId);
  if (!pack) throw new Error(`pack ${packId} not loaded`);
  const event = { ...pack.event, sample };
  const vars = EVENT_VARIABLE_TABLE.values({ ctx: { event, delegate: null }, lang, values: {} } as never) as Record<string, string>;
  const note = pack.event.note?.[lang] ?? '';
  for (const key of ['agenda.title', 'help.about']) {
    const text = renderMessage({ ...pack, event }, lang, key, vars);
    expect(text).not.toMatch(/\(\s*\)|\.\s+\.|\n\s*\n/);
    if (sample) expect(text).toContain(note);
    else expect(note === '' || !text.includes(note)).toBe(true);
  }
});
