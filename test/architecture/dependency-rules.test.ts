/**
 * The dependency rules (.dependency-cruiser.cjs) run through dependency-cruiser's API: on a small
 * fixture tree with one breach of each rule they reject every breach, naming the rule, and let the
 * allowed imports through; on the real src tree they find nothing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const RUNNER = path.join(__dirname, 'cruise.mjs');

interface Violation { rule: string; from: string; to: string }

async function cruise(baseDir: string, knownViolations: string | null): Promise<{ totalCruised: number; violations: Violation[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [RUNNER, baseDir, knownViolations ?? '-', 'src'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as { totalCruised: number; violations: Violation[] };
}

describe('dependency rules', () => {
  it('reject one breach of each rule in the fixture tree, naming the rule', async () => {
    const { violations } = await cruise(path.join(__dirname, 'fixture'), null);
    const found = violations.map((v) => `${v.rule}: ${v.from} -> ${v.to.replace(/^.*node_modules\/([^/]+)\/.*$/, '$1')}`).sort();
    expect(found).toEqual([
      'engine-imports-only-kernel: src/engine/step.ts -> src/event/agenda.ts',
      'kernel-imports-nothing: src/kernel/clock.ts -> src/event/agenda.ts',
      'modules-never-import-the-edge: src/reminders/remind.ts -> src/http/edge.ts',
      'no-circular: src/sms/a.ts -> src/sms/b.ts',
      'no-orphans: src/organiser/unused.ts -> src/organiser/unused.ts',
      'only-main-imports-compose: src/http/admin.ts -> src/compose/wire.ts',
      'redis-client-only-in-stores: src/http/ready.ts -> src/infra/redis/client.ts',
      'storage-libraries-only-in-stores: src/reminders/remind.ts -> bullmq',
    ]);
  }, 60_000);

  it('pass on the real src tree', async () => {
    const result = await cruise(ROOT, null);
    expect(result.totalCruised).toBeGreaterThan(100);
    expect(result.violations).toEqual([]);
  }, 60_000);
});
