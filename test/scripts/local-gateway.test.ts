/**
 * The sim and the CLI find the gateway started on this machine without --url or --token: its
 * URL from PUBLIC_URL / PORT (environment or ./.env) and the admin token `npm start` keeps in
 * ./data/admin-token; when nothing answers, the error names the URL tried and --url.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { PassThrough } from 'node:stream';
import { main } from '../../scripts/cli';
import type { CliIo } from '../../scripts/lib/cli-io';
import { localAdminToken, localGatewayUrl } from '../../scripts/lib/local-gateway';
import { freePort } from '../../src/infra/redis/private-redis';
import { ADMIN, createAdminStack, type AdminStack } from '../http/admin/support/admin-stack';

const root = path.resolve(__dirname, '../..');

function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiungo-local-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function captureIo(env: Record<string, string>, cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { env, cwd, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), write: (t) => stdout.push(t), confirm: async () => false, progressStream: new PassThrough() };
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
}

describe('the gateway started here', () => {
  it('is found at PUBLIC_URL, else localhost:PORT from the environment or ./.env, else localhost:3000', () => {
    const plain = tempDir();
    const dotEnv = tempDir({ '.env': 'PORT=4100\nWEBHOOK_KEY=abc\n' });
    const publicUrl = tempDir({ '.env': 'PORT=4100\nPUBLIC_URL=https://kiungo.example.org/\n' });
    expect(localGatewayUrl({}, plain)).toBe('http://localhost:3000');
    expect(localGatewayUrl({ PORT: '4200' }, plain)).toBe('http://localhost:4200');
    expect(localGatewayUrl({}, dotEnv)).toBe('http://localhost:4100');
    expect(localGatewayUrl({ PORT: '4300' }, dotEnv)).toBe('http://localhost:4300');
    expect(localGatewayUrl({}, publicUrl)).toBe('https://kiungo.example.org');
  });

  it("uses ADMIN_TOKENS' first admin token, else ./data/admin-token", () => {
    const saved = tempDir({ 'data/admin-token': 'saved-token-0123456789\n' });
    expect(localAdminToken({}, saved)).toBe('saved-token-0123456789');
    expect(localAdminToken({ ADMIN_TOKENS: 'viewer:v-0123456789abcdef,admin:a-0123456789abcdef:egov2015' }, saved)).toBe('a-0123456789abcdef');
    expect(localAdminToken({}, tempDir())).toBeUndefined();
  });
});

describe('npm run cli with no --url or --token', () => {
  let stack: AdminStack;
  let server: Server;
  beforeAll(async () => {
    stack = await createAdminStack();
    server = await listen(stack.app);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
  });

  it('talks to the gateway on PORT from ./.env with the token in ./data/admin-token', async () => {
    const port = (server.address() as AddressInfo).port;
    const cwd = tempDir({ '.env': `PORT=${port}\n`, 'data/admin-token': `${ADMIN}\n` });
    const io = captureIo({}, cwd);
    await expect(main(['packs'], io)).resolves.toBe(0);
    expect(io.stdout[0]).toMatch(/^egov2015 /);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('names the URL it tried and --url when nothing answers', async () => {
    const port = await freePort();
    const io = captureIo({ PORT: String(port) }, tempDir({ 'data/admin-token': `${ADMIN}\n` }));
    await expect(main(['packs'], io)).resolves.toBe(1);
    expect(io.stderr.join('\n')).toContain(`http://localhost:${port}`);
    expect(io.stderr.join('\n')).toContain('--url');
  });
});

describe('npm run sim with no --url', () => {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  function sim(cwd: string, env: Record<string, string>, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
    writeFileSync(path.join(cwd, 'script.txt'), script);
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', tsx, path.join(root, 'scripts/sim.ts'), '--script', 'script.txt'], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('dials the gateway on PORT from ./.env, with its WEBHOOK_KEY', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.post('/webhooks/africastalking/ussd', (req, res) => res.type('text/plain').send(req.query.key === 'k-123' ? 'END Karibu' : 'END bad key'));
    app.post('/webhooks/africastalking/ussd-events', (_req, res) => res.send('OK'));
    const server = await listen(app);
    try {
      const cwd = tempDir({ '.env': `PORT=${(server.address() as AddressInfo).port}\nWEBHOOK_KEY=k-123\n` });
      const result = await sim(cwd, {}, '');
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('│ Karibu');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30000);

  it('names the URL it tried and --url when nothing answers', async () => {
    const port = await freePort();
    const result = await sim(tempDir(), { PORT: String(port) }, '');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`http://localhost:${port}`);
    expect(result.stderr).toContain('--url');
  }, 30000);
});
