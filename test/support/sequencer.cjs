/**
 * Test file order: the slowest first, so that no long file starts last while the other workers
 * idle. Jest knows a file's duration from its previous run (its cache); a file it has no duration
 * for (a fresh checkout, as on CI) gets an estimate from what it is: the reliability scenarios and
 * the compiled gateway start several processes and take tens of seconds although their files are
 * small, browser files take time in proportion to their size. Jest's own fallback, file size
 * alone, would put the reliability scenarios last.
 */
const { statSync } = require('node:fs');
const { default: TestSequencer } = require('@jest/test-sequencer');

function estimateMs(file) {
  const path = file.replace(/\\/g, '/');
  let size = 0;
  try { size = statSync(file).size; } catch { /* unknown: 0 */ }
  if (/\/test\/scenarios\/reliability\/[^/]+\.test\.ts$/.test(path)) return 30_000;
  if (/\/test\/scenarios\/(compiled|start)\//.test(path)) return 20_000 + size;
  if (/\/test\/scenarios\/browser\//.test(path)) return 2 * size;
  if (/\/test\/scenarios\//.test(path)) return 5_000 + size / 4;
  return size / 4;
}

class SlowestFirst extends TestSequencer {
  time(test) {
    return super.time(test) ?? estimateMs(test.path);
  }
}

module.exports = SlowestFirst;
