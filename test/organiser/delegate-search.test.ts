/** The delegate search reads a typed phone number in the forms organisers use. */
import { delegateSearchTerm } from '../../src/organiser/delegate-search';

describe('delegate search term', () => {
  test.each([
    ['0787654321', '+255787654321'],
    ['787654321', '+255787654321'],
    ['+255 787 654 321', '+255787654321'],
    ['255787654321', '+255787654321'],
    ['00255787654321', '+255787654321'],
    ['0787 654', '787654'],
    ['787-65', '78765'],
    ['+255 787', '+255787'],
  ])('%s searches for %s', (typed, term) => {
    expect(delegateSearchTerm(typed)).toBe(term);
  });

  test.each(['Asha', 'EG-0101', 'Wizara ya Fedha', 'K7Q2M'])('%s is searched as typed', (typed) => {
    expect(delegateSearchTerm(typed)).toBe(typed);
  });
});
