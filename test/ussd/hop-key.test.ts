/**
 * A hop's answer is kept under the first 20 hex digits of the SHA-1 of AT's text: the name every
 * version of the gateway reads (a retry may reach another process, old or new), whether the text
 * is short (kept in memory after its first hop) or not.
 */
import { createHash } from 'node:crypto';
import { hopKey } from '../../src/ussd/session-store.redis';

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex').slice(0, 20);

test('the key of a text is its SHA-1 prefix, the first time and every time after', () => {
  const texts = ['', '1', '1*2', '98', '1*Asha Juma', '1*Asha Juma*TANESCO*3*1', '😀', 'x'.repeat(12), 'x'.repeat(13), 'a*b*c*d*e*f*g'];
  for (let round = 0; round < 3; round++) for (const text of texts) expect(hopKey(text)).toBe(sha1(text));
  expect(hopKey('')).toBe('da39a3ee5e6b4b0d3255');
});

test('many distinct short texts keep their keys right past the memory bound', () => {
  for (let i = 0; i < 10_000; i++) {
    const text = `1*${i}`;
    expect(hopKey(text)).toBe(sha1(text));
  }
  expect(hopKey('1*5')).toBe(sha1('1*5'));
});
