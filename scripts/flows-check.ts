/**
 * Validates every flow pack: `tsx scripts/flows-check.ts [--graph] [dir]` (dir defaults to
 * FLOWS_DIR or flows/). Prints every problem with file, path and a suggested fix; exits 1 if any.
 * `--graph` also prints each pack's USSD graph as Mermaid.
 */
import { loadPacks } from '../src/packs/load';
import { toMermaid } from '../src/packs/graph';
import { formatProblem } from '../src/packs/problem';

function main(argv: string[]): number {
  const graph = argv.includes('--graph');
  const dir = argv.find((a) => !a.startsWith('--')) ?? process.env.FLOWS_DIR ?? 'flows';
  const { loaded, problems } = loadPacks(dir);
  if (graph) for (const { pack } of loaded) process.stdout.write(`${toMermaid(pack)}\n\n`);
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  const summary = loaded.map(({ pack }) => `${pack.id}@${pack.version} (${Object.keys(pack.nodes).length} nodes)`).join(', ');
  process.stderr.write(problems.length === 0 ? `flows:check OK: ${summary || 'no packs'}\n` : `flows:check: ${problems.length} problem(s) in ${dir}\n`);
  return problems.length === 0 && loaded.length > 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
