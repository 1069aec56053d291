/**
 * Golden transcripts: each YAML file here is a conversation (setup, inputs) and the screens,
 * actions and effects it must produce, in Kiswahili and English, with the clock fixed.
 * `UPDATE_GOLDEN=1 npx jest test/golden` rewrites the `transcripts` sections.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Language } from '../../src/engine';
import { EngineHost, REGISTERED, samplePack, type Hop, type HostSetup } from '../support/engine-host';

interface GoldenFile {
  description: string;
  setup?: { registered?: boolean; reminders?: string[]; now?: string; existingCode?: string; forceOutcome?: string };
  dial?: string;
  inputs: string[] | Record<Language, string[]>;
  transcripts?: Partial<Record<Language, Array<Partial<Hop>>>>;
}

const DIR = __dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function play(golden: GoldenFile, lang: Language): Array<Partial<Hop>> {
  const setup: HostSetup = {
    ...(golden.setup?.now ? { now: golden.setup.now } : {}),
    delegate: golden.setup?.registered ? { ...REGISTERED, language: lang } : null,
    reminders: golden.setup?.reminders ?? [],
    ...(golden.setup?.existingCode ? { existingCode: golden.setup.existingCode } : {}),
    ...(golden.setup?.forceOutcome ? { forceOutcome: golden.setup.forceOutcome } : {}),
  };
  const host = new EngineHost(samplePack(), setup);
  const inputs = Array.isArray(golden.inputs) ? golden.inputs : golden.inputs[lang];
  const hops = [...host.dial({ lang, ...(golden.dial ? { deepLink: golden.dial } : {}) }), ...inputs.map((i) => host.send(i))];
  // Keep transcripts short to read: leave out empty lists.
  return hops.map((hop) => {
    const out: Partial<Hop> = { input: hop.input, screen: hop.screen };
    if (hop.actions.length > 0) out.actions = hop.actions;
    out.effects = hop.effects;
    if (hop.failure) out.failure = hop.failure;
    return out;
  });
}

test('there are golden transcripts', () => {
  expect(files.length).toBeGreaterThanOrEqual(14);
});

describe.each(files)('%s', (file) => {
  const path = join(DIR, file);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const golden = doc.toJS() as GoldenFile;
  const actual = { sw: play(golden, 'sw'), en: play(golden, 'en') };

  if (UPDATE) {
    doc.set('transcripts', doc.createNode(actual));
    writeFileSync(path, doc.toString({ lineWidth: 0 }));
  }

  test.each(['sw', 'en'] as const)('%s transcript matches', (lang) => {
    if (UPDATE) return;
    expect(golden.transcripts?.[lang]).toBeDefined();
    expect(actual[lang]).toEqual(golden.transcripts?.[lang]);
  });

  test.each(['sw', 'en'] as const)('%s screens fit 160 GSM-7 characters', (lang) => {
    for (const hop of actual[lang]) expect((hop.screen ?? '').length - 4).toBeLessThanOrEqual(160);
  });
});
