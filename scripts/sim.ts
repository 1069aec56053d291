/**
 * `npm run sim`: a phone in the terminal. It dials the gateway's real USSD webhook over HTTP, as
 * Africa's Talking would, prints each screen in a box with its character count and reads answers
 * (`:new` dials again, `:q` quits). With --script it plays a transcript and exits 1 when the
 * gateway answers with an error, an unexpected status or a session that ends too soon.
 *
 *   tsx scripts/sim.ts [--url URL] [--phone +255712345678] [--code *384*2015#]
 *                      [--key WEBHOOK_KEY] [--script FILE]
 *
 * Without --url it dials the gateway started here: PUBLIC_URL, else http://localhost:PORT (from
 * the environment or ./.env, 3000 by default); the key defaults to WEBHOOK_KEY from the same.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { renderScreen } from './lib/screen-box';
import { parseTranscript } from './lib/transcript';
import { UssdClientError, UssdSession, type UssdClientOptions, type UssdScreen } from './lib/ussd-client';
import { localGatewayUrl, localWebhookKey, unreachableHint } from './lib/local-gateway';

const USAGE = 'usage: tsx scripts/sim.ts [--url URL] [--phone +255...] [--code *384*2015#] [--key KEY] [--script FILE]';

interface Run {
  client: UssdClientOptions;
  maxScreenChars: number;
}

/** The gateway's screen budget from the simulator's config.json; 160 when it cannot be read. */
async function screenBudget(baseUrl: string): Promise<number> {
  try {
    const response = await fetch(new URL('simulator/config.json', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { maxScreenChars?: unknown };
    return typeof body.maxScreenChars === 'number' ? body.maxScreenChars : 160;
  } catch {
    return 160;
  }
}

function show(run: Run, screen: UssdScreen): void {
  process.stdout.write(`${renderScreen(screen, run.maxScreenChars)}\n`);
}

/** Plays a transcript; resolves to the exit code. */
async function playScript(run: Run, inputs: string[]): Promise<number> {
  let session = new UssdSession(run.client);
  try {
    show(run, await session.start());
    for (const [index, input] of inputs.entries()) {
      if (input === ':q') break;
      if (input === ':new') {
        await session.hangUp();
        session = new UssdSession(run.client);
        show(run, await session.start());
        continue;
      }
      if (session.closed) {
        process.stderr.write(`sim: the session ended before input ${index + 1} (${JSON.stringify(input)}); add ":new" to dial again\n`);
        return 1;
      }
      process.stdout.write(`> ${input}\n`);
      show(run, await session.answer(input));
    }
    await session.hangUp();
    return 0;
  } catch (error) {
    if (!(error instanceof UssdClientError)) throw error;
    process.stderr.write(`sim: ${error.code}: ${error.code === 'SIM.UNREACHABLE' ? unreachableHint(run.client.baseUrl) : error.message}\n`);
    return 1;
  }
}

/** Reads answers from the keyboard until `:q` or end of input (Ctrl-D). */
async function interactive(run: Run): Promise<number> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const lines = prompt[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string | undefined> => {
    prompt.setPrompt(question);
    prompt.prompt();
    const next = await lines.next();
    return next.done ? undefined : String(next.value);
  };
  let session: UssdSession | undefined;
  try {
    for (;;) {
      if (session?.closed) {
        const again = await ask('(session ended: Enter dials again, :q quits) ');
        if (again === undefined || again.trim() === ':q') return 0;
      }
      if (!session || session.closed) {
        const dialled = new UssdSession(run.client);
        session = dialled;
        process.stdout.write(`Dialling ${run.client.serviceCode} from ${run.client.phoneNumber} (${dialled.sessionId})\n`);
        await step(run, () => dialled.start());
        continue;
      }
      const input = await ask('> ');
      if (input === undefined || input.trim() === ':q') return 0;
      if (input.trim() === ':new') {
        await session.hangUp();
        session = undefined;
        continue;
      }
      const open = session;
      await step(run, () => open.answer(input));
    }
  } finally {
    await session?.hangUp();
    prompt.close();
  }
}

async function step(run: Run, hop: () => Promise<UssdScreen>): Promise<void> {
  try {
    show(run, await hop());
  } catch (error) {
    if (!(error instanceof UssdClientError)) throw error;
    process.stdout.write(`[${error.code}] ${error.code === 'SIM.UNREACHABLE' ? unreachableHint(run.client.baseUrl) : error.message}\n`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      phone: { type: 'string' },
      code: { type: 'string' },
      key: { type: 'string' },
      script: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const transcript = values.script ? parseTranscript(readFileSync(values.script, 'utf8'), values.script) : undefined;
  const url = values.url ?? localGatewayUrl(process.env, process.cwd());
  const client: UssdClientOptions = {
    baseUrl: url,
    phoneNumber: values.phone ?? transcript?.phone ?? '+255712345678',
    serviceCode: values.code ?? transcript?.code ?? '*384*2015#',
    key: values.key ?? localWebhookKey(process.env, process.cwd()),
  };
  const run: Run = { client, maxScreenChars: await screenBudget(url) };
  return transcript ? playScript(run, transcript.inputs) : interactive(run);
}

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
  },
);
