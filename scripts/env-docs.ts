/**
 * Writes `.env.example` and prints the README configuration table from the schema's ENV_DOCS
 * (`npx tsx scripts/env-docs.ts`), so neither drifts from the code; a test checks both.
 */
import { writeFileSync } from 'node:fs';
import { ENV_DOCS } from '../src/config/schema';

const example = [
  '# Kiungo configuration. Every variable is optional for a local run: `npm start` works with none.',
  '# A line with a value shows the default; a commented line is unset by default.',
  '',
  ...ENV_DOCS.flatMap(([name, fallback, meaning]) => [`# ${meaning}`, fallback === undefined ? `# ${name}=` : `${name}=${fallback}`, '']),
].join('\n');
writeFileSync('.env.example', example);

const table = ['| variable | default | meaning |', '|---|---|---|', ...ENV_DOCS.map(([name, fallback, meaning]) => `| \`${name}\` | ${fallback === undefined ? '(unset)' : `\`${fallback}\``} | ${meaning.replace(/\|/g, '\\|')} |`)].join('\n');
process.stdout.write(`${table}\n`);
