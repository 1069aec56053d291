/**
 * `npm run security` stays true: its hostile cases, replayed against the compiled gateway with
 * production settings, all answer as expected (the table it prints has no mismatch).
 */
import { runSecurity, table } from '../../scripts/security';
import { SECURITY_CASES } from '../../scripts/security/cases';

describe('npm run security', () => {
  it('names each case once', () => {
    expect(new Set(SECURITY_CASES.map((c) => c.name)).size).toBe(SECURITY_CASES.length);
  });

  it('replays every hostile case against the compiled gateway as expected', async () => {
    const rows = await runSecurity({ build: true });
    expect(rows).toHaveLength(SECURITY_CASES.length);
    const mismatches = rows.filter((row) => !row.ok);
    if (mismatches.length > 0) throw new Error(`cases differ:\n${table(rows)}`);
  }, 400_000);
});
