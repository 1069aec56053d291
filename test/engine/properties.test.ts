/**
 * Properties over any caller input: every hop answers with a CON/END screen that fits 160 GSM-7
 * characters; the engine is deterministic and never mutates what it is given.
 */
import fc from 'fast-check';
import type { Snapshot } from '../../src/engine';
import { resolveAction, startSession, step, type EngineContext } from '../../src/event/engine';
import { isGsm7, textUnits } from '../../src/kernel/text/gsm';
import { EngineHost, REGISTERED, samplePack } from '../support/engine-host';

const pack = samplePack();

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
  now: fc.constantFrom('2015-08-17T09:10:00+03:00', '2015-08-19T14:30:00+03:00', '2015-08-22T08:00:00Z', 'not a date'),
  forceOutcome: fc.constantFrom(undefined, undefined, 'error', 'exists'),
  lang: fc.constantFrom('sw' as const, 'en' as const),
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

test('any input sequence yields CON/END screens within budget, from any reachable state', () => {
  fc.assert(
    fc.property(setupArb, fc.array(inputArb, { maxLength: 25 }), (setup, inputs) => {
      const host = new EngineHost(pack, {
        delegate: setup.registered ? REGISTERED : null, reminders: setup.reminders, now: setup.now,
        ...(setup.forceOutcome ? { forceOutcome: setup.forceOutcome } : {}),
      });
      const hops = host.dial({ lang: setup.lang });
      for (const input of inputs) {
        if (hops.at(-1)?.screen.startsWith('END ')) break;
        hops.push(host.send(input));
      }
      for (const hop of hops) {
        expect(hop.screen).toMatch(/^(CON|END) /);
        const text = hop.screen.slice(4);
        expect(text.length).toBeGreaterThan(0);
        expect(isGsm7(text)).toBe(true);
        expect(textUnits(text)).toBeLessThanOrEqual(pack.screen.maxChars);
        expect(text).not.toMatch(/undefined|null|NaN|\{[a-z]+\.[a-zA-Z]+\}/);
      }
    }),
    { numRuns: 400 },
  );
});

test('step is deterministic and does not mutate its arguments', () => {
  fc.assert(
    fc.property(setupArb, fc.array(inputArb, { maxLength: 15 }), (setup, inputs) => {
      const ctx: EngineContext = deepFreeze({
        now: setup.now, phone: '+255754000001', delegate: setup.registered ? REGISTERED : null, event: pack.event, reminders: setup.reminders,
      });
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

test('the pack is never mutated by a session', () => {
  const before = JSON.stringify(pack);
  const host = new EngineHost(pack);
  host.dial();
  ['1', 'Asha Juma', 'Wizara', '1', '1', '1'].forEach((i) => host.send(i));
  expect(JSON.stringify(pack)).toBe(before);
});
