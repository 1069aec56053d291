/**
 * Golden transcripts: each YAML file here is a conversation (setup, inputs) and the screens,
 * engine effects and queued SMS it must produce, in Kiswahili and English, played through the
 * real USSD service and its Redis stores with the clock and the registration codes fixed.
 * `UPDATE_GOLDEN=1 npx jest test/golden` rewrites the `transcripts` sections.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Language } from '../../src/engine';
import { playGolden, type GoldenFile, type GoldenHop } from './golden-file';

jest.mock('../../src/event/registration-code', () => jest.requireActual('../support/fixed-registration-codes'));

const DIR = __dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const LANGUAGES = ['sw', 'en'] as const;
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

test('there are golden transcripts', () => {
  expect(files.length).toBeGreaterThanOrEqual(14);
});

describe.each(files)('%s', (file) => {
  const path = join(DIR, file);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const golden = doc.toJS() as GoldenFile;
  const actual: Partial<Record<Language, GoldenHop[]>> = {};

  beforeAll(async () => {
    for (const lang of LANGUAGES) actual[lang] = await playGolden(golden, lang);
    if (UPDATE) {
      doc.set('transcripts', doc.createNode(actual));
      writeFileSync(path, doc.toString({ lineWidth: 0 }));
    }
  });

  test.each(LANGUAGES)('%s transcript matches', (lang) => {
    if (UPDATE) return;
    expect(golden.transcripts?.[lang]).toBeDefined();
    expect(actual[lang]).toEqual(golden.transcripts?.[lang]);
  });

  test.each(LANGUAGES)('%s screens fit 160 GSM-7 characters', (lang) => {
    expect(actual[lang]?.length).toBeGreaterThan(0);
    for (const hop of actual[lang] ?? []) expect(hop.screen.length - 4).toBeLessThanOrEqual(160);
  });
});
