/**
 * The callback spool on a real folder: what `append` resolved is on disk, replayed in order once
 * the applier works, refused when full, and files of a process that no longer runs are taken over.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFileSpool, type SpoolRecord } from '../../../src/infra/spool/file-spool';
import { AppError } from '../../../src/kernel/errors';
import { createLogger } from '../../../src/kernel/logger';

const logger = createLogger('silent');

describe('file spool', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-spool-test-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  function spoolWith(applied: SpoolRecord[], state: { up: boolean }, maxBytes = 1_000_000) {
    return createFileSpool({
      dir, maxBytes, logger, retryIntervalMs: 60_000,
      replayOne: async (record) => {
        if (!state.up) throw new Error('Connection is closed.');
        applied.push(record);
      },
    });
  }

  it('keeps records on disk once append resolves, and replays them in order when the applier works', async () => {
    const applied: SpoolRecord[] = [];
    const state = { up: false };
    const spool = spoolWith(applied, state);
    await Promise.all([1, 2, 3].map((n) => spool.append({ kind: 'dlr', body: { id: `ATXid_${n}` } })));
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(readFileSync(path.join(dir, files[0] as string), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(spool.depth()).toBe(3);
    expect(await spool.replay()).toEqual({ replayed: 0, waiting: 3 });
    state.up = true;
    expect(await spool.replay()).toEqual({ replayed: 3, waiting: 0 });
    expect(applied.map((r) => (r.body as { id: string }).id)).toEqual(['ATXid_1', 'ATXid_2', 'ATXid_3']);
    expect(readdirSync(dir)).toEqual([]);
    await spool.close();
  });

  it('refuses with SMS.UNAVAILABLE when full, and takes records again once replayed', async () => {
    const applied: SpoolRecord[] = [];
    const state = { up: false };
    const spool = spoolWith(applied, state, 200);
    await spool.append({ kind: 'sms', body: { text: 'x'.repeat(100) } });
    await expect(spool.append({ kind: 'sms', body: { text: 'y'.repeat(100) } })).rejects.toMatchObject({ code: 'SMS.UNAVAILABLE' });
    state.up = true;
    await spool.replay();
    await spool.append({ kind: 'sms', body: { text: 'y'.repeat(100) } });
    expect(spool.depth()).toBe(1);
    await spool.close();
  });

  it('refuses when the folder cannot be written', async () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const spool = createFileSpool({ dir: path.join(file, 'spool'), maxBytes: 1000, logger, replayOne: async () => undefined });
    const refused = await spool.append({ kind: 'dlr', body: {} }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    await spool.close();
  });

  it("takes over a dead process's file at start (skipping a torn last line) and leaves a live one's alone", async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path.join(dir, `callbacks-${dead}-1-aa.spool`), `${JSON.stringify({ kind: 'sms', body: { id: 'one' } })}\n${JSON.stringify({ kind: 'sms', body: { id: 'two' } })}\n{"kind":"sms","bo`);
    const live = `callbacks-${process.ppid}-1-bb.spool`;
    writeFileSync(path.join(dir, live), `${JSON.stringify({ kind: 'sms', body: { id: 'other' } })}\n`);
    const applied: SpoolRecord[] = [];
    const spool = spoolWith(applied, { up: true });
    await spool.start();
    expect(applied.map((r) => (r.body as { id: string }).id)).toEqual(['one', 'two']);
    expect(readdirSync(dir)).toEqual([live]);
    await spool.close();
  });

  it('leaves what it could not replay on disk for the next start', async () => {
    const state = { up: false };
    const first = spoolWith([], state);
    await first.append({ kind: 'opt_out', body: { phoneNumber: '+255754000001' } });
    await first.close();
    // The same process starting again (a container's pid 1 after a restart) has another start time:
    // simulate it by renaming the file to a dead owner.
    const [name] = readdirSync(dir);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path.join(dir, `callbacks-${dead}-2-cc.spool`), readFileSync(path.join(dir, name as string)));
    rmSync(path.join(dir, name as string));
    const applied: SpoolRecord[] = [];
    const second = spoolWith(applied, { up: true });
    await second.start();
    expect(applied).toEqual([{ kind: 'opt_out', body: { phoneNumber: '+255754000001' } }]);
    await second.close();
  });
});
