/** Secrets compared in constant time, whatever their length or type. */
import { secretDigest, secretMatcher } from '../../src/kernel/secrets';

describe('secretMatcher', () => {
  const matches = secretMatcher('s3cret-webhook-key');

  it('accepts the secret and nothing else', () => {
    expect(matches('s3cret-webhook-key')).toBe(true);
    expect(matches('s3cret-webhook-kez')).toBe(false);
    expect(matches('s3cret')).toBe(false);
    expect(matches('s3cret-webhook-key-and-more')).toBe(false);
    expect(matches('')).toBe(false);
  });

  it('tells apart guesses that differ only past the secret, in padding or in a non-ASCII unit', () => {
    expect(matches('s3cret-webhook-key\u0000')).toBe(false);
    expect(matches(`s3cret-webhook-key${'\u0000'.repeat(200)}`)).toBe(false);
    expect(matches('s3cret-webhook-kéy')).toBe(false);
    const unicode = secretMatcher('ufunguo-ñ-😀');
    expect(unicode('ufunguo-ñ-😀')).toBe(true);
    expect(unicode('ufunguo-n-😀')).toBe(false);
    expect(unicode('ufunguo-ñ-😁')).toBe(false);
  });

  it('matches a secret longer than the fixed span, and only it', () => {
    const long = 'k'.repeat(300);
    const matchesLong = secretMatcher(long);
    expect(matchesLong(long)).toBe(true);
    expect(matchesLong(`${'k'.repeat(299)}x`)).toBe(false);
    expect(matchesLong('k'.repeat(299))).toBe(false);
    expect(matchesLong('k'.repeat(301))).toBe(false);
  });

  it('never matches a value that is not text (missing or repeated parameter)', () => {
    expect(matches(undefined)).toBe(false);
    expect(matches(['s3cret-webhook-key', 's3cret-webhook-key'])).toBe(false);
    expect(matches({ key: 's3cret-webhook-key' })).toBe(false);
  });

  it('keeps secrets as fixed-length digests', () => {
    expect(secretDigest('a')).toHaveLength(32);
    expect(secretDigest('a'.repeat(5000))).toHaveLength(32);
    expect(secretDigest('a').equals(secretDigest('b'))).toBe(false);
  });
});
