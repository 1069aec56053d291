/**
 * The golden transcripts again, this time over the webhook: Africa's Talking's form body, the
 * express router, its parsing and deadline, then the same service and stores. Every screen of
 * every transcript, in both languages, must match (effects and SMS are pinned by test/golden).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { playGolden, type GoldenFile } from '../golden/golden-file';

jest.mock('../../src/event/registration-code', () => jest.requireActual('../support/fixed-registration-codes'));

const DIR = path.resolve(__dirname, '../golden');

const cases = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()
  .flatMap((file) => {
    const golden = parse(readFileSync(path.join(DIR, file), 'utf8')) as GoldenFile;
    return (['sw', 'en'] as const).map((lang) => [file, lang, golden] as const);
  });

test('every golden transcript is replayed over HTTP in both languages', () => {
  expect(cases.length).toBeGreaterThanOrEqual(28);
});

test.each(cases)('%s (%s) answers every hop with the golden screen over the webhook', async (_file, lang, golden) => {
  const expected = (golden.transcripts?.[lang] ?? []).map((hop) => hop.screen);
  expect(expected.length).toBeGreaterThan(0);
  const actual = (await playGolden(golden, lang, 'http')).map((hop) => hop.screen);
  expect(actual).toEqual(expected);
});
