/**
 * The webhook key in a query string: the USSD fast path reads it by splitting when there is
 * nothing to decode, and must read exactly what URLSearchParams reads.
 */
import { queryKey } from '../../../src/http/webhooks/at-form-parser';

function reference(query: string): string | undefined {
  const all = new URLSearchParams(query).getAll('key');
  return all.length === 1 ? all[0] : undefined;
}

describe('queryKey', () => {
  const cases = [
    '', 'key=abc', 'key=', 'key', 'key=a=b', 'a=1&key=abc&b=2', 'key=abc&key=abc', 'key=abc&key=def', 'keys=abc', 'Key=abc',
    '&&key=abc&&', 'key=abc&key', '=abc', 'key=a%62c', 'key=a+b', 'k%65y=abc', 'key=%zz', 'key=abc&k%65y=abc', 'key=%E2%82%AC', 'key=a;b', 'key=abc#frag',
  ];
  it.each(cases)('reads %p as URLSearchParams does', (query) => {
    expect(queryKey(query)).toBe(reference(query));
  });

  it('gives the one key, and nothing for a missing or repeated one', () => {
    expect(queryKey('a=1&key=s3cret')).toBe('s3cret');
    expect(queryKey('a=1')).toBeUndefined();
    expect(queryKey('key=x&key=x')).toBeUndefined();
  });
});
