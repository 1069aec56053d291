/** The CLI's release commands against a whole gateway: upload a pack folder staged to a phone, list, promote, roll back. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../scripts/cli';
import type { CliIo } from '../../scripts/lib/cli-io';
import { startGatewayStack, type GatewayStack } from '../support/gateway-stack';

const ADMIN = 'admin-token-0123456789abcdef';

function captureIo(env: Record<string, string>): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { env, cwd: tmpdir(), stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), write: (t) => stdout.push(t), confirm: async () => false, progressStream: new PassThrough() };
}

describe('kiungo CLI: releases', () => {
  let stack: GatewayStack;
  let server: Server;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${ADMIN}` }, workers: false });
    server = await new Promise<Server>((resolve) => { const s = stack.gateway.app.listen(0, '127.0.0.1', () => resolve(s)); });
    env = { KIUNGO_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, KIUNGO_TOKEN: ADMIN, KIUNGO_PACK: 'egov2015' };
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
  });

  it('uploads a folder staged to a phone, lists the versions, promotes and rolls back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiungo-release-'));
    cpSync(path.resolve(__dirname, '../../flows/egov2015'), dir, { recursive: true });
    const messages = path.join(dir, 'messages.sw.yaml');
    writeFileSync(messages, readFileSync(messages, 'utf8').replace('title: "Karibu {event.shortName}"', 'title: "Karibu tena {event.shortName}"'));

    const upload = captureIo(env);
    await expect(main(['release', dir, '--stage', '+255713300001,0713300002'], upload)).resolves.toBe(0);
    const version = /^Stored: version ([0-9a-f]{12})/.exec(upload.stdout[0] ?? '')?.[1];
    expect(version).toBeDefined();
    expect(upload.stdout.join('\n')).toContain(`staged ${version} to 2 phone(s): +255713300001 +255713300002`);

    const list = captureIo(env);
    await expect(main(['releases'], list)).resolves.toBe(0);
    expect(list.stdout.join('\n')).toMatch(new RegExp(`${version}  staged .* upload by admin token 1 \\(admin\\)`));
    expect(list.stdout.join('\n')).toMatch(/live .* FLOWS_DIR by FLOWS_DIR \(operator\)/);

    const promote = captureIo(env);
    await expect(main(['promote'], promote)).resolves.toBe(0);
    expect(promote.stdout[0]).toMatch(new RegExp(`live ${version}$`));
    const rollback = captureIo(env);
    await expect(main(['rollback'], rollback)).resolves.toBe(0);
    expect(rollback.stdout[0]).not.toContain(`live ${version}`);

    const broken = captureIo(env);
    writeFileSync(path.join(dir, 'ussd.yaml'), readFileSync(path.join(dir, 'ussd.yaml'), 'utf8').replace('next: reg_name', 'next: reg_nmae'));
    await expect(main(['release', dir], broken)).resolves.toBe(1);
    expect(broken.stderr.join('\n')).toMatch(/flows:check[\s\S]*reg_nmae/);
  }, 30000);
});
