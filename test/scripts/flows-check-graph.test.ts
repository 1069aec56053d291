/** `npm run flows:check -- --graph --out FILE` writes the Mermaid graph, and only it, to FILE. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('flows:check --graph --out', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiungo-graph-'));

  it('writes one pack\'s graph to FILE through npm, with nothing of npm in it', () => {
    const file = path.join(dir, 'menu.mmd');
    const run = spawnSync('npm', ['run', 'flows:check', '--', '--graph', '--out', file, '--pack', 'egov2015'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('flowchart TD');
    expect(text).toContain('%% egov2015 (');
    expect(text).not.toMatch(/^>|kiungo@|tsx scripts/m);
    expect(text).not.toContain('egov2016');
    expect(run.stdout).not.toContain('flowchart');
  }, 70_000);

  it('writes one file per pack when several are checked', () => {
    const file = path.join(dir, 'all.mmd');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/flows-check.ts', '--graph', '--out', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(path.join(dir, 'all.egov2015.mmd'));
    expect(readFileSync(path.join(dir, 'all.egov2016.mmd'), 'utf8')).toMatch(/^flowchart TD\n {2}%% egov2016 /);
  }, 70_000);
});
