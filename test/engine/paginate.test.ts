import { fitSingle, paginate } from '../../src/engine/paginate';
import { textUnits } from '../../src/kernel/text/gsm';

const settings = { budget: 60, moreLine: '98. Zaidi', backLine: '0. Rudi' };

describe('paginate', () => {
  test('a menu keeps its options on the first page; the body runs on behind "more"', () => {
    const body = ['S303 Sheria na miongozo kwa viongozi', 'Jumatano 19/8, 11:30-12:30, Simba Hall', 'Mada: Sera, sheria na miongozo ya TEHAMA'];
    const menuSettings = { budget: 100, moreLine: '98. Zaidi', backLine: '0. Rudi' };
    const pages = paginate({ body, options: ['1. Nikumbushe'], optionsFirst: true }, menuSettings);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toContain('1. Nikumbushe');
    expect(pages[0]?.endsWith('1. Nikumbushe\n98. Zaidi\n0. Rudi')).toBe(true);
    for (const page of pages) expect(textUnits(page)).toBeLessThanOrEqual(100);
    const words = pages.join(' ').replace(/\n/g, ' ').split(' ');
    for (const word of body.join(' ').split(' ')) expect(words).toContain(word);
    // The same screen without the flag pushes the option behind "98".
    expect(paginate({ body, options: ['1. Nikumbushe'] }, menuSettings)[0]).not.toContain('Nikumbushe');
  });

  test('a menu that fits is one page either way', () => {
    expect(paginate({ body: ['Chagua:'], options: ['1. A'], optionsFirst: true }, settings)).toEqual(['Chagua:\n1. A\n0. Rudi']);
  });

  test('a screen that fits is one page with the back line', () => {
    expect(paginate({ body: ['Chagua:'], options: ['1. A', '2. B'] }, settings)).toEqual(['Chagua:\n1. A\n2. B\n0. Rudi']);
  });

  test('options move whole to the next page, numbered as given', () => {
    const options = Array.from({ length: 8 }, (_, i) => `${i + 1}. Kikao cha ${i + 1}`);
    const pages = paginate({ body: ['Siku:'], options }, settings);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(textUnits(page)).toBeLessThanOrEqual(60);
    const shown = pages.flatMap((p) => p.split('\n')).filter((l) => /^\d\. Kikao/.test(l));
    expect(shown).toEqual(options);
    expect(pages.slice(0, -1).every((p) => p.endsWith('98. Zaidi\n0. Rudi'))).toBe(true);
    expect(pages.at(-1)?.endsWith('0. Rudi')).toBe(true);
    expect(pages.at(-1)).not.toContain('98.');
  });

  test('long body text splits on word boundaries only', () => {
    const words = Array.from({ length: 40 }, (_, i) => `neno${i}`);
    const pages = paginate({ body: [words.join(' ')], options: ['1. Nikumbushe'] }, settings);
    const text = pages.map((p) => p.replace(/\n?98\. Zaidi/, '').replace(/\n?0\. Rudi/, '')).join(' ').replace(/\n/g, ' ');
    expect(text.split(' ').filter((w) => w.startsWith('neno'))).toEqual(words);
    for (const page of pages) expect(textUnits(page)).toBeLessThanOrEqual(60);
  });

  test('a paragraph that fits a page moves whole instead of splitting', () => {
    const pages = paginate({ body: ['x'.repeat(30), 'Mada: Sera na sheria za TEHAMA'], options: [] }, settings);
    expect(pages[1]?.startsWith('Mada: Sera na sheria za TEHAMA')).toBe(true);
  });

  test('no back line when there is nowhere to go back to', () => {
    expect(paginate({ body: ['Karibu'], options: ['1. A'] }, { ...settings, backLine: null })).toEqual(['Karibu\n1. A']);
  });

  test('an option longer than a page is shortened with "..." at a word, never overflowing', () => {
    const pages = paginate({ body: [], options: [`1. ${'neno '.repeat(30).trim()}`] }, settings);
    expect(pages[0]).toMatch(/neno\.\.\.\n98\. Zaidi|neno\.\.\.\n0\. Rudi/);
    for (const page of pages) expect(textUnits(page)).toBeLessThanOrEqual(60);
  });

  test('fitSingle cuts a long one-page text at a word boundary', () => {
    const text = fitSingle('Asante sana kwa kujisajili kwenye mkutano wa mwaka wa Serikali Mtandao', 40);
    expect(textUnits(text)).toBeLessThanOrEqual(40);
    expect(text.endsWith('...')).toBe(true);
    expect('Asante sana kwa kujisajili kwenye mkutano'.startsWith(text.slice(0, -3))).toBe(true);
  });
});
