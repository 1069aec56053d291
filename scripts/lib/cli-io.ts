/** What the CLI reads and writes, so tests can run it in-process. */
import { createInterface } from 'node:readline/promises';

export interface CliIo {
  env: Record<string, string | undefined>;
  /** Where ./.env and ./data/admin-token are looked for (default: the working directory). */
  cwd?: string;
  out(line: string): void;
  err(line: string): void;
  /** Writes raw text (CSV) without adding a line end. */
  write(text: string): void;
  confirm(question: string): Promise<boolean>;
  progressStream: NodeJS.WritableStream;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim());
      } finally {
        rl.close();
      }
    },
    progressStream: process.stderr,
  };
}
