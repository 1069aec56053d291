import { NETWORKS, networkOf } from '../../src/kernel/network';

describe('networkOf', () => {
  test.each([
    ['64004', 'vodacom'], ['64002', 'yas'], ['64005', 'airtel'], ['64009', 'halotel'], [' 64004 ', 'vodacom'],
    ['64003', 'other'], ['64007', 'other'], ['99999', 'other'], ['63902', 'other'], ['', 'other'], [undefined, 'other'], ['64004; DROP', 'other'],
  ])('%p is %p', (code, label) => {
    expect(networkOf(code)).toBe(label);
  });

  test('the label set is closed', () => {
    expect(NETWORKS).toEqual(['vodacom', 'yas', 'airtel', 'halotel', 'other']);
  });
});
