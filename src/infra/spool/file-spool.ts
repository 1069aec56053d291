/**
 * A local append-only spool for callbacks that could not reach Redis. `append` resolves only once
 * the record is written and fsync'd, so a webhook may acknowledge it; a full spool refuses instead
 * (`AppError('SMS.UNAVAILABLE')`), so the caller answers with a status that makes the sender retry.
 *
 * Files are JSON lines named `callbacks-<pid>-<start>-<random>.spool` under `dir`. A process owns
 * the files it wrote; at start it also claims (by an atomic rename) the files of processes that no
 * longer run, so a `kill -9` loses nothing: the next start, or another process on the same data
 * dir, replays them. Replay runs at start and every `retryIntervalMs` while anything waits (Redis
 * returning is noticed within that interval). Records are applied in order; the first failure
 * stops the pass and the rest waits for the next one. A record may be applied twice (a crash
 * after applying, before the file is removed): the appliers must be idempotent. A torn last line
 * (a crash during the write, before the fsync, so never acknowledged) is skipped and counted.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';

export interface SpoolRecord {
  kind: string;
  body: unknown;
}

export interface FileSpoolOptions {
  dir: string;
  /** Bytes the spool's files may hold together; an append past it is refused. */
  maxBytes: number;
  logger: Logger;
  /** Applies one record (throws when it cannot yet, e.g. Redis still down). */
  replayOne(record: SpoolRecord): Promise<void>;
  retryIntervalMs?: number;
  /** Counters for the metrics. */
  observe?: { spooled?(kind: string): void; replayed?(kind: string): void; unreadable?(): void };
}

export interface FileSpool {
  /** Writes and fsyncs the record; resolves once it is durable. Throws when the spool is full or the disk fails. */
  append(record: SpoolRecord): Promise<void>;
  /** One replay pass; resolves with how many records were applied and how many still wait. */
  replay(): Promise<{ replayed: number; waiting: number }>;
  /** Records waiting to be replayed. */
  depth(): number;
  /** Bytes held in the spool's files. */
  bytes(): number;
  /** Claims files of processes that died, replays, and starts the retry timer. */
  start(): Promise<void>;
  /** Stops the timer and closes the open file (what waits stays on disk for the next start). */
  close(): Promise<void>;
}

interface SpoolFile {
  path: string;
  /** Complete records in the file. */
  entries: number;
  /** Records at the start of the file already applied in this process. */
  done: number;
  size: number;
}

const NAME = /^callbacks-(\d+)-(\d+)-[0-9a-f]+\.spool$/;

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Records in a spool file's text; a line that does not parse (a torn write) is counted apart. */
function readRecords(text: string): { records: SpoolRecord[]; unreadable: number } {
  const records: SpoolRecord[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const parsed = JSON.parse(line) as Partial<SpoolRecord>;
      if (typeof parsed.kind === 'string') records.push({ kind: parsed.kind, body: parsed.body });
      else unreadable += 1;
    } catch {
      unreadable += 1;
    }
  }
  return { records, unreadable };
}

export function createFileSpool(options: FileSpoolOptions): FileSpool {
  const { dir, maxBytes, logger } = options;
  const log = logger.child({ module: 'callback-spool' });
  const start = Math.round(performance.timeOrigin);
  const newName = (): string => path.join(dir, `callbacks-${process.pid}-${start}-${randomBytes(6).toString('hex')}.spool`);
  /** Files waiting for replay, oldest first (the active file is not among them). */
  const waiting: SpoolFile[] = [];
  let active: (SpoolFile & { handle: fs.FileHandle }) | undefined;
  let queued: Array<{ line: string; resolve: () => void; reject: (error: Error) => void }> = [];
  let queuedBytes = 0;
  let lock: Promise<unknown> = Promise.resolve();
  let replaying: Promise<{ replayed: number; waiting: number }> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let dirReady = false;

  /** Runs `task` after every task before it (file writes, rotation). */
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const next = lock.then(task, task);
    lock = next.catch(() => undefined);
    return next;
  };
  const heldBytes = (): number => waiting.reduce((sum, file) => sum + file.size, 0) + (active?.size ?? 0) + queuedBytes;
  const depth = (): number => waiting.reduce((sum, file) => sum + file.entries - file.done, 0) + (active?.entries ?? 0);

  async function syncDir(): Promise<void> {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async function ensureDir(): Promise<void> {
    if (dirReady) return;
    await fs.mkdir(dir, { recursive: true });
    dirReady = true;
  }

  async function flush(): Promise<void> {
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    const text = batch.map((item) => item.line).join('');
    const size = Buffer.byteLength(text);
    try {
      if (!active) {
        await ensureDir();
        const file = newName();
        const handle = await fs.open(file, 'a');
        // The new file's name must survive a crash too.
        await syncDir();
        active = { path: file, entries: 0, done: 0, size: 0, handle };
      }
      await active.handle.write(text);
      await active.handle.datasync();
      active.entries += batch.length;
      active.size += size;
      for (const item of batch) item.resolve();
    } catch (error) {
      log.error({ err: error instanceof Error ? error.message : String(error) }, 'callback spool write failed');
      for (const item of batch) item.reject(new AppError('SMS.UNAVAILABLE', 'the callback spool could not write', undefined, { cause: error }));
    } finally {
      queuedBytes -= size;
    }
  }

  function append(record: SpoolRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const size = Buffer.byteLength(line);
    if (heldBytes() + size > maxBytes) {
      log.error({ kind: record.kind, bytes: heldBytes(), maxBytes }, 'callback spool full: refusing (the sender is asked to retry)');
      return Promise.reject(new AppError('SMS.UNAVAILABLE', 'the callback spool is full'));
    }
    queuedBytes += size;
    const written = new Promise<void>((resolve, reject) => { queued.push({ line, resolve, reject }); });
    void exclusive(flush);
    return written.then(() => {
      options.observe?.spooled?.(record.kind);
      ensureTimer();
    });
  }

  /** Moves the active file to the waiting list, so new records go to a fresh file. */
  async function rotate(): Promise<void> {
    if (!active) return;
    const { handle, ...file } = active;
    active = undefined;
    await handle.close().catch(() => undefined);
    if (file.entries > 0) waiting.push(file);
    else await fs.unlink(file.path).catch(() => undefined);
  }

  async function replayPass(): Promise<{ replayed: number; waiting: number }> {
    await exclusive(rotate);
    let replayed = 0;
    while (waiting.length > 0) {
      const file = waiting[0] as SpoolFile;
      const { records, unreadable } = readRecords(await fs.readFile(file.path, 'utf8').catch(() => ''));
      if (unreadable > 0 && file.done === 0) {
        for (let i = 0; i < unreadable; i += 1) options.observe?.unreadable?.();
        log.warn({ file: path.basename(file.path), unreadable }, 'callback spool: unreadable lines skipped (a write cut by a crash, never acknowledged)');
      }
      file.entries = records.length;
      for (const record of records.slice(file.done)) {
        try {
          await options.replayOne(record);
        } catch (error) {
          log.warn({ waiting: depth(), err: error instanceof Error ? error.message : String(error) }, 'callback spool: replay paused, will retry');
          return { replayed, waiting: depth() };
        }
        file.done += 1;
        replayed += 1;
        options.observe?.replayed?.(record.kind);
      }
      await fs.unlink(file.path).catch(() => undefined);
      waiting.shift();
    }
    if (replayed > 0) log.info({ replayed }, 'callback spool replayed');
    return { replayed, waiting: depth() };
  }

  function replay(): Promise<{ replayed: number; waiting: number }> {
    replaying ??= replayPass().finally(() => { replaying = undefined; });
    return replaying;
  }

  function ensureTimer(): void {
    if (timer) return;
    timer = setInterval(() => {
      if (depth() === 0) return;
      void replay().catch((error: unknown) => log.warn({ err: error }, 'callback spool replay failed'));
    }, options.retryIntervalMs ?? 2000);
    timer.unref();
  }

  /** Takes over the files of processes that no longer run (renamed to names of this process). */
  async function claimOrphans(): Promise<void> {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    let claimed = 0;
    for (const name of names.sort()) {
      const match = NAME.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      const started = Number(match[2]);
      const mine = pid === process.pid && started === start;
      // Same pid, other start: an earlier run of this container's pid 1, for example.
      if (mine || (pid !== process.pid && pidRuns(pid))) continue;
      const target = newName();
      try {
        await fs.rename(path.join(dir, name), target);
      } catch {
        continue; // another process claimed it first
      }
      const stat = await fs.stat(target);
      const { records } = readRecords(await fs.readFile(target, 'utf8'));
      waiting.push({ path: target, entries: records.length, done: 0, size: stat.size });
      claimed += 1;
    }
    if (claimed > 0) {
      await syncDir();
      log.info({ files: claimed, records: depth() }, 'callback spool: files left by a stopped process taken over');
    }
  }

  return {
    append,
    replay,
    depth,
    bytes: heldBytes,
    async start() {
      await claimOrphans();
      if (depth() > 0) {
        ensureTimer();
        await replay();
      }
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await replaying?.catch(() => undefined);
      await exclusive(async () => {
        await active?.handle.close().catch(() => undefined);
        if (active && active.entries > 0) waiting.push({ path: active.path, entries: active.entries, done: 0, size: active.size });
        else if (active) await fs.unlink(active.path).catch(() => undefined);
        active = undefined;
      });
      if (depth() > 0) log.warn({ waiting: depth() }, 'callback spool: closing with records not yet replayed (they stay on disk for the next start)');
    },
  };
}
