import { NETWORKS, NETWORK_NAMES, networkOf } from '../../src/kernel/network';
import { NETWORK_CODES, PREFIX_NETWORKS, networkOfNumber, prefixNetworkNamed } from '../../src/kernel/network-prefix';

describe('networkOf', () => {
  test.each([
    ['64004', 'vodacom'], ['64002', 'yas'], ['64005', 'airtel'], ['64009', 'halotel'], [' 64004 ', 'vodacom'],
    ['64003', 'other'], ['64007', 'other'], ['99999', 'other'], ['63902', 'other'], ['', 'other'], [undefined, 'other'], ['64004; DROP', 'other'],
  ])('%p is %p', (code, label) => {
    expect(networkOf(code)).toBe(label);
  });

  test('the label set is closed', () => {
    expect(NETWORKS).toEqual(['vodacom', 'yas', 'airtel', 'halotel', 'other']);
    expect(NETWORK_NAMES.yas).toBe('Yas (Tigo)');
  });
});

describe('one name per network across the prefix table and the networkCode labels', () => {
  test('Yas (the former Tigo) is `yas` in both, and no module says `tigo`', () => {
    expect(PREFIX_NETWORKS).toContain('yas');
    expect(PREFIX_NETWORKS).not.toContain('tigo');
    expect(networkOfNumber('+255714000001')).toBe('yas');
    expect(networkOfNumber('+255654000001')).toBe('yas');
    expect(networkOfNumber('+255674000001')).toBe('yas');
  });

  test('every metric label but `other` is a prefix network, and the label of its AT code', () => {
    for (const label of NETWORKS.filter((n) => n !== 'other')) {
      expect(PREFIX_NETWORKS).toContain(label);
      expect(networkOf(NETWORK_CODES[label as Exclude<typeof label, 'other'>])).toBe(label);
    }
  });

  test('a number and its network\'s AT code give the same name', () => {
    for (const phone of ['+255754000001', '+255714000001', '+255688000001', '+255621000001']) {
      const byPrefix = networkOfNumber(phone);
      if (byPrefix === 'other' || byPrefix === 'ttcl' || byPrefix === 'zantel') throw new Error(`unexpected ${byPrefix}`);
      expect(networkOf(NETWORK_CODES[byPrefix])).toBe(byPrefix);
    }
  });

  test('an operator may still write the former name: tigo is read as yas, in any case', () => {
    expect(prefixNetworkNamed('tigo')).toBe('yas');
    expect(prefixNetworkNamed(' Tigo ')).toBe('yas');
    expect(prefixNetworkNamed('YAS')).toBe('yas');
    expect(prefixNetworkNamed('vodacom')).toBe('vodacom');
    expect(prefixNetworkNamed('safaricom')).toBeUndefined();
  });
});
