import { maskPhone, normalisePhone } from '../../src/kernel/phone';

describe('normalisePhone', () => {
  it.each([
    ['0712 345 678', '+255712345678'],
    ['255712345678', '+255712345678'],
    ['+255712345678', '+255712345678'],
    ['+255 712-345-678', '+255712345678'],
    ['  +255 (0)712 345 678 ', '+255712345678'],
    ['712345678', '+255712345678'],
    ['00255712345678', '+255712345678'],
    ['+254712345678', '+254712345678'],
    ['+447911123456', '+447911123456'],
  ])('accepts %p as %s', (input, e164) => {
    expect(normalisePhone(input)).toEqual({ ok: true, e164 });
  });

  it.each(['61', '62', '63', '65', '66', '67', '68', '69', '71', '73', '74', '75', '76', '77', '78', '79'])(
    'accepts every Tanzanian mobile prefix: 0%s',
    (prefix) => {
      expect(normalisePhone(`0${prefix}1234567`)).toEqual({ ok: true, e164: `+255${prefix}1234567` });
    },
  );

  it('follows libphonenumber-js on ranges newer than the SDK metadata (60, 70, 72 are mobile; 64 is not valid)', () => {
    expect(normalisePhone('+255721234567')).toEqual({ ok: true, e164: '+255721234567' });
    expect(normalisePhone('+255701234567')).toEqual({ ok: true, e164: '+255701234567' });
    expect(normalisePhone('+255641234567')).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['+25571234567', 'invalid'],
    ['071234567', 'invalid'],
    ['abc', 'invalid'],
    ['+255712345678 ext 5', 'invalid'],
    ['+2557123456789', 'too_long'],
    ['0712345678901234567890123456789012345678901', 'too_long'],
    ['+255222123456', 'not_mobile'],
    ['0222123456', 'not_mobile'],
    ['+442071838750', 'not_mobile'],
  ])('rejects %p as %s', (input, reason) => {
    expect(normalisePhone(input)).toEqual({ ok: false, reason });
  });

  it('uses the default country for national numbers', () => {
    expect(normalisePhone('0712 345 678', 'KE')).toEqual({ ok: true, e164: '+254712345678' });
  });

  it('never throws on junk', () => {
    for (const junk of ['+', '++255', '\u0000', '😀', '+999999999999', 'x'.repeat(10_000), undefined as unknown as string]) {
      expect(() => normalisePhone(junk)).not.toThrow();
    }
  });
});

describe('maskPhone', () => {
  it.each([
    ['+255712345678', '+2557XXXXX678'],
    ['+254712345678', '+2547XXXXX678'],
    ['+447911123456', '+447XXXXXX456'],
    ['+14155552671', '+14XXXXXX671'],
  ])('masks %s as %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it('masks what does not parse, keeping at most the last three digits', () => {
    expect(maskPhone('0712345678')).toBe('XXXXXXX678');
    expect(maskPhone('12')).toBe('XX');
    expect(maskPhone('')).toBe('');
    expect(maskPhone('hello')).toBe('XXXXX');
  });

  it('never throws and never shows more than the last three digits of the subscriber number', () => {
    for (const junk of ['+', '+255', '+2557', '+25571234567', '\u0000', 'x'.repeat(1000), undefined as unknown as string]) {
      expect(() => maskPhone(junk)).not.toThrow();
    }
    expect(maskPhone('+255712345678')).not.toContain('2345');
  });
});

describe('the Tanzanian fast path', () => {
  it('agrees with the full metadata for every two-digit mobile prefix', () => {
    const { TZ_MOBILE_E164 } = jest.requireActual('../../src/kernel/phone') as typeof import('../../src/kernel/phone');
    const { parsePhoneNumberFromString } = jest.requireActual('libphonenumber-js/max') as typeof import('libphonenumber-js/max');
    for (let prefix = 60; prefix <= 79; prefix++) {
      const number = `+255${prefix}1234567`;
      const parsed = parsePhoneNumberFromString(number);
      const metadataSaysMobile = parsed?.isValid() === true && ['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(parsed.getType() ?? '');
      expect([number, TZ_MOBILE_E164.test(number)]).toEqual([number, metadataSaysMobile]);
    }
  });
});
