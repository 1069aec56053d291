/**
 * Writes `.env.example` and the README's configuration table from the schema's ENV_DOCS
 * (`npx tsx scripts/env-docs.ts`), so neither drifts from the code; a test checks both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ENV_DOCS } from '../src/config/schema';

const example = [
  '# Kiungo configuration. Every variable is optional for a local run: `npm start` works with none.',
  '# Every line is commented: uncomment a variable to set it. `NAME=value` shows the default, `NAME=` none.',
  '# (Nothing here is set by copying this file, so a copy used as docker compose\'s .env keeps the image\'s NODE_ENV=production.)',
  '',
  ...ENV_DOCS.flatMap(([name, fallback, meaning]) => [`# ${meaning}`, `# ${name}=${fallback ?? ''}`, '']),
].join('\n');
writeFileSync('.env.example', example);

const table = ['| variable | default | meaning |', '|---|---|---|', ...ENV_DOCS.map(([name, fallback, meaning]) => `| \`${name}\` | ${fallback === undefined ? '(unset)' : `\`${fallback}\``} | ${meaning.replace(/\|/g, '\\|')} |`)];
const readme = readFileSync('README.md', 'utf8').split('\n');
const start = readme.findIndex((line) => line.startsWith('| variable | default | meaning |'));
if (start < 0) throw new Error('README.md has no configuration table to replace');
let end = start;
while (end < readme.length && (readme[end] ?? '').startsWith('|')) end++;
readme.splice(start, end - start, ...table);
writeFileSync('README.md', readme.join('\n'));
process.stdout.write(`wrote .env.example and the README table (${ENV_DOCS.length} variables)\n`);
