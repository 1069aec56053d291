import { parseCondition, evaluateCondition } from '../../src/engine/conditions';
import fc from 'fast-check';
import { sanitizeDisplay, sanitizeInput, toGsm } from '../../src/engine/sanitize';
import { renderTemplate, templateVariables } from '../../src/engine/template';
import { normalizeTzMobile, validateNumber, validatePhone, validateText, validateYesNo } from '../../src/engine/validators';
import { gsmSeptets, isGsm7, toGsmFriendly } from '../../src/kernel/text/gsm';
import { normalisePhone } from '../../src/kernel/phone';

describe('templates', () => {
  test('fills variables and renders missing ones as empty', () => {
    expect(renderTemplate('Asante {values.name}, namba {values.code}{x.y}.', { 'values.name': 'Asha' })).toBe('Asante Asha, namba .');
  });
  test('a value containing braces is not expanded again', () => {
    expect(renderTemplate('Jina: {values.name}', { 'values.name': '{delegate.code}', 'delegate.code': 'EG-1' })).toBe('Jina: {delegate.code}');
  });
  test('lists the variables used', () => {
    expect(templateVariables('{a.b} and {values.x} {not valid}')).toEqual(['a.b', 'values.x']);
  });
});

describe('sanitising caller input', () => {
  test('strips control characters, collapses spaces, trims', () => {
    expect(sanitizeInput('  Asha\u0007\tJuma\r\n ')).toBe('Asha Juma');
  });
  test('drops emoji, keeps GSM letters, folds other accents', () => {
    expect(sanitizeInput('Zuhura 😀 Çiğdem Éva')).toBe('Zuhura Çigdem Éva');
    expect(isGsm7(sanitizeInput('🎉🎉🎉'))).toBe(true);
  });
  test('"CON END" stays plain text', () => {
    expect(sanitizeInput('CON END')).toBe('CON END');
  });
  test('display text replaces the unknown with ? and fixes typography', () => {
    expect(toGsm('\u201CSera\u201D \u2013 ICT \u4e2d')).toBe('"Sera" - ICT ?');
  });
});

describe('plain ASCII takes a shortcut to the same text', () => {
  // The cleaning as written before the shortcut, character by character.
  const gsmChar = (char: string, fallback: string): string => {
    if (gsmSeptets(char) !== undefined) return char;
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    return base.length > 0 && Array.from(base).every((c) => gsmSeptets(c) !== undefined) ? base : fallback;
  };
  const slowGsm = (text: string, fallback = '?'): string => Array.from(toGsmFriendly(text.normalize('NFC')), (char) => gsmChar(char, fallback)).join('');
  const slowInput = (raw: string): string => slowGsm(raw.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' '), '').replace(/\s+/g, ' ').trim();
  const slowDisplay = (text: string): string => slowGsm(text.replace(/[\p{Cc}\p{Cf}]/gu, ' '), '?').replace(/ {2,}/g, ' ').trim();
  const texts = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(' ', '`', 'a', 'Z', '9', '*', '#', '{', '~', '\\', '\t', '\n', 'é', 'ğ', '\u00a0', '\u2019', '😀'), maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  test('input, display and GSM text as before for any text', () => {
    fc.assert(fc.property(texts, (text) => {
      expect(sanitizeInput(text)).toBe(slowInput(text));
      expect(sanitizeDisplay(text)).toBe(slowDisplay(text));
      expect(toGsm(text)).toBe(slowGsm(text));
      expect(toGsm(text, '')).toBe(slowGsm(text, ''));
    }), { numRuns: 3000 });
  });
  test('the backtick is not plain', () => {
    expect(sanitizeInput('a`b  c ')).toBe('ab c');
    expect(toGsm('`')).toBe('?');
  });
});

describe('validators', () => {
  test('text length and pattern', () => {
    expect(validateText('Jo', { minLength: 3, maxLength: 40 })).toEqual({ ok: false, reason: 'error.too_short', vars: { 'input.min': '3' } });
    expect(validateText('x'.repeat(41), { minLength: 3, maxLength: 40 })).toMatchObject({ ok: false, reason: 'error.too_long' });
    expect(validateText('S101', { minLength: 1, maxLength: 10, pattern: 'S\\d{3}' })).toEqual({ ok: true, value: 'S101' });
    expect(validateText('X1', { minLength: 1, maxLength: 10, pattern: 'S\\d{3}' })).toMatchObject({ ok: false, reason: 'error.bad_format' });
  });
  test('numbers and ranges', () => {
    expect(validateNumber('12', { min: 1, max: 20 })).toEqual({ ok: true, value: 12 });
    expect(validateNumber('21', { min: 1, max: 20 })).toMatchObject({ ok: false, reason: 'error.out_of_range' });
    expect(validateNumber('1e3', {})).toMatchObject({ ok: false, reason: 'error.not_number' });
  });
  test.each([
    ['0754 123 456', '+255754123456'],
    ['0654123456', '+255654123456'],
    ['255713123456', '+255713123456'],
    ['+255 789 123 456', '+255789123456'],
    ['612345678', '+255612345678'],
    // Ranges the kernel's phone rules accept (libphonenumber's metadata); an older copy here rejected them.
    ['0601234567', '+255601234567'],
    ['0701234567', '+255701234567'],
    ['0721234567', '+255721234567'],
  ])('TZ mobile %s', (input, e164) => {
    expect(normalizeTzMobile(input)).toBe(e164);
    expect(validatePhone(input)).toEqual({ ok: true, value: e164 });
  });
  test.each(['0641234567', '075412345', '+254712345678', '07541234567', '0221234567', 'abc', ''])('not a TZ mobile: %s', (input) => {
    expect(validatePhone(input)).toEqual({ ok: false, reason: 'error.bad_phone' });
  });
  test.each(['0601234567', '0701234567', '+255 72 123 4567', '0641234567', '0221234567', '+254712345678'])('agrees with the kernel phone rules on TZ numbers: %s', (input) => {
    const kernel = normalisePhone(input, 'TZ');
    const expected = kernel.ok && kernel.e164.startsWith('+255') ? kernel.e164 : null;
    expect(normalizeTzMobile(input)).toBe(expected);
  });
  test('yes/no', () => {
    expect(validateYesNo('1')).toEqual({ ok: true, value: true });
    expect(validateYesNo('2')).toEqual({ ok: true, value: false });
    expect(validateYesNo('ndiyo')).toMatchObject({ ok: false });
  });
});

describe('conditions', () => {
  const names = ['delegate', 'subscribed', 'registered'];
  const resolve = (ref: string): string | boolean | null => ({ delegate: null, 'values.editing': true, lang: 'sw', subscribed: false } as Record<string, string | boolean | null>)[ref] ?? null;
  test.each([
    ['delegate == null', true],
    ['delegate != null', false],
    ['values.editing == true', true],
    ['values.editing', true],
    ['!subscribed', true],
    ["lang == 'sw' && values.editing", true],
    ['lang == en', false],
  ])('%s -> %s', (expr, expected) => {
    expect(evaluateCondition(expr, names, resolve)).toBe(expected);
  });
  test('unknown names are errors for flows:check and false at run time', () => {
    expect(parseCondition('registerd', names)).toEqual({ error: expect.stringContaining("unknown name 'registerd'") });
    expect(evaluateCondition('registerd', names, resolve)).toBe(false);
  });
  test('names come from the vocabulary: one it does not list is unknown', () => {
    expect(parseCondition('registered', names)).toEqual({ clauses: [{ kind: 'flag', negate: false, ref: 'registered' }] });
    expect(parseCondition('registered', [])).toEqual({ error: expect.stringContaining("unknown name 'registered'") });
  });
});
