import { baseServiceCode, matchServiceCode, splitUssdText } from '../../src/engine';

const conf = { id: 'conf', serviceCodes: ['*384*2015#'] };
const other = { id: 'other', serviceCodes: ['*384*77#'] };
const dedicated = { id: 'ded', serviceCodes: ['*150*01#', '*149#'] };

describe('matchServiceCode', () => {
  test('exact match first', () => {
    expect(matchServiceCode([conf, other], '*384*2015#')).toBe(conf);
    expect(matchServiceCode([conf, other, dedicated], '*149#')).toBe(dedicated);
  });
  test('the base code matches the only pack on that base', () => {
    expect(matchServiceCode([conf, dedicated], '*384#')).toBe(conf);
  });
  test('the base code is ambiguous when two packs share it', () => {
    expect(matchServiceCode([conf, other], '*384#')).toBeNull();
  });
  test('digits dialled after a code are a deep link into its pack, also when packs share the base', () => {
    expect(matchServiceCode([conf, other], '*384*2015*2#')).toBe(conf);
    expect(matchServiceCode([conf, other], '*384*77*1*3#')).toBe(other);
    expect(matchServiceCode([conf, other], '*384*20151#')).toBeNull();
  });
  test('a single loaded pack answers every code', () => {
    expect(matchServiceCode([conf], '*999#')).toBe(conf);
    expect(matchServiceCode([conf, other], '*999#')).toBeNull();
    expect(matchServiceCode([], '*384#')).toBeNull();
  });
  test('base codes and AT text splitting', () => {
    expect(baseServiceCode('*384*2015#')).toBe('*384#');
    expect(baseServiceCode('*384#')).toBe('*384#');
    expect(splitUssdText('')).toEqual([]);
    expect(splitUssdText('1*2*Asha')).toEqual(['1', '2', 'Asha']);
  });
});
