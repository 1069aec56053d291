/** The CLI's audience words, `not-checked-in` included. */
import { parseAudience } from '../../scripts/lib/cli-broadcast';

describe('CLI audiences', () => {
  it('reads not-checked-in with the others, and refuses it with a value', () => {
    expect(parseAudience(['not-checked-in,cohort:2'])).toEqual({ notCheckedIn: true, cohorts: ['2'] });
    expect(() => parseAudience(['not-checked-in:yes'])).toThrow(/not-checked-in/);
  });
});
