/**
 * Properties over any caller input: through the real USSD service every hop answers with a
 * CON/END screen that fits 160 GSM-7 characters, from any reachable state; the engine's step is
 * deterministic and never mutates what it is given; a session never mutates its pack.
 */
import fc from 'fast-check';
import type { Snapshot } from '../../src/engine';
import { resolveAction, startSession, step, type EngineContext } from '../../src/event/engine';
import type { EventPack } from '../../src/event/event-pack';
import { isGsm7, textUnits } from '../../src/kernel/text/gsm';
import { CALLER, REGISTERED, UssdPlayer } from '../support/ussd-player';
import { samplePacks } from '../support/ussd-stack';

jest.mock('../../src/event/registration-code', () => jest.requireActual('../support/fixed-registration-codes'));

const pack = samplePacks().find((p) => p.id === 'egov2015') as EventPack;

const inputArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '00', '98', '1', '2', '3', '4', '5', '6', '7', '9', '10', '99', '#', '*', '') },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('😀', 'Asha 🎉 Juma', '\u0000\u0007\u001b[2J', 'CON END', '{values.name}', 'Ñgo\u0301ma', 'x'.repeat(400)) },
  { weight: 1, arbitrary: fc.string({ minLength: 100, maxLength: 300 }) },
);

const setupArb = fc.record({
  registered: fc.boolean(),
  reminders: fc.subarray(['S101', 'S102', 'S203', 'S305', 'S999']),
  now: fc.constantFrom('2015-08-17T09:10:00+03:00', '2015-08-19T14:30:00+03:00', '2015-08-22T08:00:00Z'),
  failingWrites: fc.boolean(),
  lang: fc.constantFrom('sw' as const, 'en' as const),
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

test('any input sequence yields CON/END screens within budget, from any reachable state', async () => {
  await fc.assert(
    fc.asyncProperty(setupArb, fc.array(inputArb, { maxLength: 25 }), async (setup, inputs) => {
      const player = await UssdPlayer.start({
        lang: setup.lang, registered: setup.registered, reminders: setup.reminders, now: setup.now,
        ...(setup.failingWrites ? { forceOutcome: 'error' as const } : {}),
      });
      try {
        const screens = [(await player.dial()).screen];
        for (const input of inputs) {
          if (screens.at(-1)?.startsWith('END ')) break;
          screens.push((await player.send(input)).screen);
        }
        for (const screen of screens) {
          expect(screen).toMatch(/^(CON|END) /);
          const text = screen.slice(4);
          expect(text.length).toBeGreaterThan(0);
          expect(isGsm7(text)).toBe(true);
          expect(textUnits(text)).toBeLessThanOrEqual(pack.screen.maxChars);
          expect(text).not.toMatch(/undefined|null|NaN|\{[a-z]+\.[a-zA-Z]+\}/);
        }
      } finally {
        await player.close();
      }
    }),
    { numRuns: 400 },
  );
}, 120_000);

test('step is deterministic and does not mutate its arguments', () => {
  const nowArb = fc.constantFrom('2015-08-17T09:10:00+03:00', '2015-08-19T14:30:00+03:00', '2015-08-22T08:00:00Z', 'not a date');
  fc.assert(
    fc.property(setupArb, nowArb, fc.array(inputArb, { maxLength: 15 }), (setup, now, inputs) => {
      const delegate = setup.registered ? { ...REGISTERED, language: setup.lang } : null;
      const ctx: EngineContext = deepFreeze({ now, phone: CALLER, delegate, event: pack.event, reminders: setup.reminders });
      const run = (): string[] => {
        const out: string[] = [];
        let result = startSession(pack, ctx, { lang: setup.lang });
        out.push(JSON.stringify(result));
        for (const input of inputs) {
          if (result.snapshot.ended) break;
          const before: Snapshot = deepFreeze(result.snapshot);
          const copy = JSON.stringify(before);
          result = step(pack, before, input, ctx);
          if (result.pendingAction) result = resolveAction(pack, deepFreeze(result.snapshot), { result: 'ok', values: { code: 'EG-0001' } }, ctx);
          expect(JSON.stringify(before)).toBe(copy);
          out.push(JSON.stringify(result));
        }
        return out;
      };
      expect(run()).toEqual(run());
    }),
    { numRuns: 200 },
  );
});

test('the pack is never mutated by a session', async () => {
  const before = JSON.stringify(pack);
  const player = await UssdPlayer.start({ lang: 'sw', packs: [pack] });
  try {
    await player.dial();
    const hops = [];
    for (const input of ['1', 'Asha Juma', 'Wizara', '1', '1', '1']) hops.push(await player.send(input));
    expect(hops.at(-1)?.screen).toMatch(/^CON Asante Asha Juma, umesajiliwa\. /);
  } finally {
    await player.close();
  }
  expect(JSON.stringify(pack)).toBe(before);
});
