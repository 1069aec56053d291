/**
 * The baselines the gateway is measured against, each in its own process:
 * `baseline-server.ts express|node-http <port> <redisUrl>`. Per request: read the form body, one
 * Redis GET and one SET of the session's key (ioredis), answer `200 text/plain` `CON ...`. This is
 * the least any USSD handler keeping a session in Redis must do.
 */
import http from 'node:http';
import express from 'express';
import Redis from 'ioredis';

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
  if ((kind !== 'express' && kind !== 'node-http') || !port || !redisUrl) {
    process.stderr.write('usage: baseline-server.ts express|node-http <port> <redisUrl>\n');
    process.exit(2);
  }
  const answer = sessionAnswer(new Redis(redisUrl, { maxRetriesPerRequest: 1 }));
  const server = http.createServer(kind === 'express' ? expressBaseline(answer) : nodeHttpBaseline(answer));
  server.keepAliveTimeout = 65_000;
  server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
