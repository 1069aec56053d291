/**
 * Screens are laid out once per pack and agenda version: the same view asked for again (another
 * caller on the same agenda list) reuses the pages; changed texts (an edited agenda) or a reloaded
 * pack lay out afresh.
 */
import * as paginateModule from '../../src/engine/paginate';
import { pagesOf } from '../../src/engine/screen';
import type { Snapshot } from '../../src/engine';
import { samplePacks } from '../support/ussd-stack';

jest.mock('../../src/engine/paginate', () => {
  const actual = jest.requireActual('../../src/engine/paginate');
  return { ...actual, paginate: jest.fn(actual.paginate) };
});

const pack = samplePacks()[0]!;
const snapshot = { node: 'agenda_day', lang: 'sw', page: 0 } as unknown as Snapshot;
const view = (title: string) => ({ type: 'CON' as const, body: [title], options: Array.from({ length: 30 }, (_, i) => `${i + 1}. Kikao cha ${i + 1}`), paginate: true, nav: true });

test('lays a view out once per pack and text, and afresh when either changes', () => {
  const calls = (): number => (paginateModule.paginate as jest.Mock).mock.calls.length;
  const first = pagesOf(pack, snapshot, view('Ratiba ya 17/8'));
  for (let caller = 0; caller < 50; caller += 1) expect(pagesOf(pack, snapshot, view('Ratiba ya 17/8'))).toEqual(first);
  expect(calls()).toBe(1);
  pagesOf(pack, snapshot, view('Ratiba ya 17/8 (imebadilishwa)'));
  expect(calls()).toBe(2);
  pagesOf(pack, { ...snapshot, lang: 'en' } as Snapshot, view('Ratiba ya 17/8'));
  expect(calls()).toBe(3);
  pagesOf(structuredClone(pack), snapshot, view('Ratiba ya 17/8'));
  expect(calls()).toBe(4);
  expect(first.length).toBeGreaterThan(1);
});
