/**
 * The baselines the gateway is measured against, each in its own process:
 * `baseline-server.ts express|node-http|ussd-builder <port> <redisUrl>`. Per request: read the form
 * body, one Redis GET and one SET of the session's key (ioredis), answer `200 text/plain` `CON ...`.
 * This is the least any USSD handler keeping a session in Redis must do. `ussd-builder` does the
 * same on node:http and serves the register menu (the pack's own screen texts) through the npm
 * package `ussd-builder`, a menu built per request as its README shows.
 */
import http from 'node:http';
import express from 'express';
import Redis from 'ioredis';
import UssdMenu from 'ussd-builder';
import { registerScreens } from './ussd';
import { ROOT } from './processes';
import path from 'node:path';

const SESSION_TTL_S = 200;

type Answer = (sessionId: string, text: string) => Promise<string>;

function sessionAnswer(redis: Redis): Answer {
  return async (sessionId, text) => {
    const key = `bench:baseline:${sessionId}`;
    const previous = await redis.get(key);
    await redis.set(key, text, 'EX', SESSION_TTL_S);
    return `CON hop ${previous === null ? 1 : text.split('*').length + 1}`;
  };
}

function expressBaseline(answer: Answer): http.RequestListener {
  const app = express();
  app.post('/webhooks/africastalking/ussd', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const reply = await answer(body.sessionId ?? '', body.text ?? '');
    res.status(200).type('text/plain; charset=utf-8').send(reply);
  });
  return app;
}

/** The register path as ussd-builder states: dial, 1, a name, an institution; the screens are the pack's. */
function ussdBuilderAnswer(redis: Redis): Answer {
  const screens = registerScreens(path.resolve(ROOT, process.env.FLOWS_DIR ?? 'flows')).map((screen) => screen.replace(/^CON /, ''));
  const [home = '', name = '', institution = '', type = ''] = screens;
  return async (sessionId, text) => {
    const key = `bench:ussd-builder:${sessionId}`;
    await redis.get(key);
    const menu = new UssdMenu();
    menu.startState({ run: () => menu.con(`${home}Mkutano\n1. Jisajili`), next: { 1: 'name' } });
    menu.state('name', { run: () => menu.con(name), next: { '*.+': 'institution' } });
    menu.state('institution', { run: () => menu.con(institution), next: { '*.+': 'type' } });
    menu.state('type', { run: () => menu.con(`${type}\n1. Wizara\n2. Idara`), next: { '*\\d': 'type' } });
    const reply = await menu.run({ sessionId, serviceCode: '*384*2015#', phoneNumber: '+255754000000', text });
    await redis.set(key, text, 'EX', SESSION_TTL_S);
    return reply;
  };
}

function nodeHttpBaseline(answer: Answer): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      answer(form.get('sessionId') ?? '', form.get('text') ?? '').then(
        (reply) => {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(reply) });
          res.end(reply);
        },
        () => {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('END busy');
        },
      );
    });
  };
}

function main(): void {
  const [kind, port, redisUrl] = process.argv.slice(2);
  if ((kind !== 'express' && kind !== 'node-http' && kind !== 'ussd-builder') || !port || !redisUrl) {
    process.stderr.write('usage: baseline-server.ts express|node-http|ussd-builder <port> <redisUrl>\n');
    process.exit(2);
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const answer = kind === 'ussd-builder' ? ussdBuilderAnswer(redis) : sessionAnswer(redis);
  const server = http.createServer(kind === 'express' ? expressBaseline(answer) : nodeHttpBaseline(answer));
  server.keepAliveTimeout = 65_000;
  server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
