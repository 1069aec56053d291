/**
 * Runs dependency-cruiser's API with the project's real rule set (.dependency-cruiser.cjs) and
 * prints the violations as JSON. A separate Node process because dependency-cruiser is ESM-only
 * and the test runner loads CommonJS.
 *
 *   node test/architecture/cruise.mjs <baseDir> <known-violations.json | -> <target>...
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [baseDir, known, ...targets] = process.argv.slice(2);
const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
const { tsConfig: _tsConfig, ...rest } = options;
const cruiseOptions = {
  ...rest,
  baseDir: path.resolve(baseDir),
  validate: true,
  ...(known && known !== '-' ? { knownViolations: JSON.parse(readFileSync(known, 'utf8')) } : {}),
};
const result = await cruise(targets, cruiseOptions);
const { violations, totalCruised } = result.output.summary;
process.stdout.write(JSON.stringify({
  totalCruised,
  violations: violations.filter((v) => v.rule.severity !== 'ignore').map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })),
}));
