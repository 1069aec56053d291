/**
 * `npm run reliability [-- --recipients 10000] [--only kill,redis,sigterm,provider,cluster,sentinel,sentinel-pause,many,chaos] [--seed 42] [--faults 8]`:
 * the reliability scenarios of `test/reliability` at a larger scale, each against a real worker
 * process, a private append-only redis-server and Africa's Talking answered by nock inside the
 * worker. Prints one JSON summary on stdout (progress on stderr); exit code 1 on any violation.
 */
import os from 'node:os';
import { redisRestart, providerFailure, sigterm, workerKills, type ScenarioOptions, type ScenarioResult } from '../test/scenarios/reliability/support/scenarios';
import { clusterScenario } from '../test/scenarios/reliability/support/cluster-scenario';
import { manyProcesses } from '../test/scenarios/reliability/support/many-processes';
import { sentinelScenario } from '../test/scenarios/reliability/support/sentinel-scenario';
import { chaosScenario } from '../test/scenarios/reliability/support/chaos';
import { parseFlags } from './bench';

const SCENARIOS: Record<string, (options: ScenarioOptions, flags: Record<string, string>) => Promise<ScenarioResult>> = {
  kill: (options) => workerKills(options),
  redis: (options) => redisRestart({ ...options, how: 'crash' }),
  sigterm: (options) => sigterm(options),
  provider: (options) => providerFailure(options),
  cluster: (options) => clusterScenario(options),
  sentinel: (options) => sentinelScenario({ ...options, how: 'kill' }),
  'sentinel-pause': (options) => sentinelScenario({ ...options, how: 'pause' }),
  chaos: (options, flags) => chaosScenario({ ...options, faults: Number(flags.faults ?? 8) }),
  many: (options) => manyProcesses({ ...options, apis: 3, workers: 4, rate: 400, inbound: 200, subscribers: 100 }),
};

async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  const recipients = Number(flags.recipients ?? 10_000);
  if (!Number.isInteger(recipients) || recipients < 100) throw new Error('--recipients must be a whole number >= 100');
  const only = (flags.only ?? Object.keys(SCENARIOS).join(',')).split(',').map((s) => s.trim());
  const unknown = only.filter((name) => !SCENARIOS[name]);
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}: use ${Object.keys(SCENARIOS).join(', ')}`);
  const seed = flags.seed === undefined ? Date.now() % 1_000_000 : Number(flags.seed);
  const log = (message: string): void => { process.stderr.write(`[reliability] ${message}\n`); };
  const results: Record<string, unknown> = {};
  let failed = false;
  for (const name of only) {
    const scenario = SCENARIOS[name];
    if (!scenario) continue;
    try {
      const result = await scenario({ recipients, seed, log }, flags);
      if (result.facts.violations.length > 0) failed = true;
      results[name] = result;
    } catch (error) {
      failed = true;
      results[name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  const summary = { startedAt: new Date().toISOString(), host: { cpus: os.cpus().length, node: process.version }, recipients, seed, ok: !failed, scenarios: results };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exit(code); },
  (error: unknown) => {
    process.stderr.write(`reliability: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
