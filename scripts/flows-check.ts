/**
 * Validates every flow pack: `tsx scripts/flows-check.ts [--graph [--out FILE] [--pack ID]] [dir]`
 * (dir defaults to FLOWS_DIR or flows/). Prints every problem with file, path and a suggested fix
 * on stderr; exits 1 if any. `--graph` also prints each pack's USSD graph as Mermaid on stdout;
 * `--out FILE` writes it to FILE instead (one pack per file: with several packs and no --pack,
 * FILE gets the pack id before its extension, `menu.egov2015.mmd`), so nothing else lands in it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPacks } from '../src/packs/load';
import { toMermaid } from '../src/packs/graph';
import { formatProblem } from '../src/packs/problem';

const USAGE = 'usage: npm run flows:check -- [--graph] [--out FILE] [--pack ID] [dir]';

/** `menu.mmd` + `egov2015` -> `menu.egov2015.mmd`. */
export function perPackFile(file: string, packId: string): string {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.${packId}${ext}`;
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { graph: { type: 'boolean', default: false }, out: { type: 'string' }, pack: { type: 'string' } } });
  const dir = positionals[0] ?? process.env.FLOWS_DIR ?? 'flows';
  const { loaded, problems } = loadPacks(dir);
  const chosen = loaded.filter(({ pack }) => values.pack === undefined || pack.id === values.pack);
  if (values.pack !== undefined && chosen.length === 0) {
    process.stderr.write(`flows:check: no pack '${values.pack}' in ${dir} (packs: ${loaded.map((l) => l.pack.id).join(', ')})\n`);
    return 1;
  }
  if (values.out !== undefined) {
    for (const { pack } of chosen) {
      const file = chosen.length === 1 ? values.out : perPackFile(values.out, pack.id);
      writeFileSync(file, `${toMermaid(pack)}\n`);
      process.stderr.write(`flows:check: wrote the graph of ${pack.id} to ${file}\n`);
    }
  } else if (values.graph) for (const { pack } of chosen) process.stdout.write(`${toMermaid(pack)}\n\n`);
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  const summary = loaded.map(({ pack }) => `${pack.id}@${pack.version} (${Object.keys(pack.nodes).length} nodes)`).join(', ');
  process.stderr.write(problems.length === 0 ? `flows:check OK: ${summary || 'no packs'}\n` : `flows:check: ${problems.length} problem(s) in ${dir}\n`);
  return problems.length === 0 && loaded.length > 0 ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`flows:check: ${(error as Error).message}\n${USAGE}\n`);
  process.exitCode = 2;
}
