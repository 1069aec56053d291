/**
 * `npm run bench [-- --only ussd] [--connections 50] [--duration 10] [--warmup 2] [--targets ...]`:
 * runs the bench parts one after the other and prints one JSON document on stdout (progress goes
 * to stderr). Each part starts its own servers, Redis and load generator as child processes and
 * stops them. Exit code 1 when a part fails (its error is in the JSON).
 */
import os from 'node:os';
import { BENCH_PARTS } from './bench/parts';
import type { BenchOptions } from './bench/types';

/** `--name value` and `--name=value` pairs; a bare `--name` is "true". */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.slice(2).split(/=(.*)/s);
    const next = argv[i + 1];
    if (inline !== undefined) flags[name ?? ''] = inline;
    else if (next !== undefined && !next.startsWith('--')) flags[name ?? ''] = (i++, next);
    else flags[name ?? ''] = 'true';
  }
  return flags;
}

function positive(flags: Record<string, string>, name: string, fallback: number, min = 1): number {
  const value = flags[name] === undefined ? fallback : Number(flags[name]);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  const only = flags.only?.split(',').map((s) => s.trim());
  const unknown = (only ?? []).filter((name) => !BENCH_PARTS.some((p) => p.name === name));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}: use ${BENCH_PARTS.map((p) => p.name).join(', ')}`);
  const options: BenchOptions = {
    connections: positive(flags, 'connections', 50),
    durationS: positive(flags, 'duration', 10),
    warmupS: positive(flags, 'warmup', 2, 0),
    flags,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const cpus = os.cpus();
  const report: Record<string, unknown> & { parts: Record<string, unknown> } = {
    startedAt: new Date().toISOString(),
    host: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)), node: process.version, platform: `${os.platform()} ${os.release()}` },
    options: { connections: options.connections, durationS: options.durationS, warmupS: options.warmupS, only: only ?? BENCH_PARTS.map((p) => p.name) },
    parts: {},
  };
  let failed = false;
  for (const part of BENCH_PARTS.filter((p) => !only || only.includes(p.name))) {
    options.log(`${part.name}: ${part.description}`);
    try {
      report.parts[part.name] = await part.run(options);
    } catch (error) {
      failed = true;
      report.parts[part.name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
