/**
 * A staged release, as transcripts: while a new version of egov2015 (a new welcome title) is
 * staged to one phone, that phone sees the new home screen and any other phone the live one, in
 * both languages, through the real USSD service and its Redis stores.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Language } from '../../src/engine';
import { createLogger } from '../../src/kernel/logger';
import { fixedClock } from '../../src/kernel/clock';
import { loadPacks } from '../../src/packs/load';
import { createLivePacks, type LivePacks } from '../../src/releases/live-packs';
import { createReleaseService } from '../../src/releases/release-service';
import { createReleaseStore } from '../../src/releases/releases.redis';
import { AtPhone } from '../support/at-phone';
import { createUssdStack, FLOWS_DIR, type UssdStack } from '../support/ussd-stack';

const STAGED = '+255754100001';
const UNSTAGED = '+255754100002';
const ADMIN = { role: 'admin', label: 'admin token 1' };

/** The expected screens, whole. */
const HOME: Record<'live' | 'staged', Record<Language, string>> = {
  live: {
    sw: 'CON Karibu Mkutano wa Serikali Mtandao 2015\n1. Jisajili\n2. Ratiba\n3. Sasa na vijavyo\n4. Vikumbusho vyangu\n5. Lugha / Language\n6. Msaada',
    en: 'CON Welcome to the e-Government Conference 2015\n1. Register\n2. Agenda\n3. Now and next\n4. My reminders\n5. Lugha / Language\n6. Help',
  },
  staged: {
    sw: 'CON Karibu tena Mkutano wa Serikali Mtandao 2015\n1. Jisajili\n2. Ratiba\n3. Sasa na vijavyo\n4. Vikumbusho vyangu\n5. Lugha / Language\n6. Msaada',
    en: 'CON Welcome back to the e-Government Conference 2015\n1. Register\n2. Agenda\n3. Now and next\n4. My reminders\n5. Lugha / Language\n6. Help',
  },
};

function changedFiles(): Record<string, string> {
  const dir = path.join(FLOWS_DIR, 'egov2015');
  const files = Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.yaml')).map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
  files['messages.sw.yaml'] = (files['messages.sw.yaml'] ?? '').replace('title: "Karibu {event.shortName}"', 'title: "Karibu tena {event.shortName}"');
  files['messages.en.yaml'] = (files['messages.en.yaml'] ?? '').replace('title: "Welcome to the {event.shortName}"', 'title: "Welcome back to the {event.shortName}"');
  return files;
}

describe.each<Language>(['sw', 'en'])('a release staged to one phone (%s)', (lang) => {
  let stack: UssdStack;
  let live: LivePacks | undefined;

  beforeAll(async () => {
    const { loaded } = loadPacks(FLOWS_DIR);
    stack = await createUssdStack({
      defaultLanguage: lang,
      catalogue: (redis, keys) => {
        live = createLivePacks({ store: createReleaseStore(redis, redis, keys), boot: loaded, maxScreenChars: 160, logger: createLogger('silent') });
        return live;
      },
    });
    if (!live) throw new Error('no catalogue');
    const store = createReleaseStore(stack.redis, stack.redis, stack.keys);
    const releases = createReleaseService({ store, live, clock: fixedClock('2015-08-17T06:00:00.000Z'), logger: createLogger('silent') });
    await releases.registerBoot(loaded);
    await releases.upload('egov2015', changedFiles(), ADMIN, { phones: [STAGED] });
  });
  afterAll(async () => { await stack.close(); });

  it('shows the staged phone the new home screen and another phone the live one', async () => {
    const staged = new AtPhone(stack.app, STAGED);
    const unstaged = new AtPhone(stack.app, UNSTAGED);
    expect([await staged.dial(), await unstaged.dial()]).toEqual([HOME.staged[lang], HOME.live[lang]]);
    // Past the home screen the two versions are the same flow.
    expect(await staged.send('2')).toBe(await unstaged.send('2'));
  });
});
